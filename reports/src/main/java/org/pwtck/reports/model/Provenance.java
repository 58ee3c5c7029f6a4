package org.pwtck.reports.model;

import java.util.Map;

/**
 * Where and with what a run happened, so its numbers can be compared and reproduced. {@code
 * upstreams} names the servers the filters talked to (the echo, the gRPC server, the real httpbin
 * and its version), absent in reports written before it existed. {@code tckCommit} is {@code git
 * describe} of the checkout the TCK was built from (abbreviated hash, {@code -dirty} with
 * uncommitted changes), or {@code unknown} when it was built outside git.
 */
public record Provenance(
        String tckVersion,
        String tckCommit,
        String jdk,
        String os,
        String arch,
        int cpus,
        String startedAt,
        long durationMillis,
        String command,
        Map<String, String> upstreams) {

    public Provenance {
        // Sorted, so the JSON is the same from run to run.
        upstreams =
                upstreams == null
                        ? Map.of()
                        : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(upstreams));
    }

    public Provenance(
            String tckVersion,
            String tckCommit,
            String jdk,
            String os,
            String arch,
            int cpus,
            String startedAt,
            long durationMillis,
            String command) {
        this(tckVersion, tckCommit, jdk, os, arch, cpus, startedAt, durationMillis, command, null);
    }
}
