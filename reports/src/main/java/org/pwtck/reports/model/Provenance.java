package org.pwtck.reports.model;

/** Where and with what a run happened, so its numbers can be compared and reproduced. */
public record Provenance(
        String tckVersion,
        String tckCommit,
        String jdk,
        String os,
        String arch,
        int cpus,
        String startedAt,
        long durationMillis,
        String command) {}
