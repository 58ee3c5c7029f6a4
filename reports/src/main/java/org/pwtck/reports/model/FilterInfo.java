package org.pwtck.reports.model;

/** One filter module a run used, with its digest and how it was built. */
public record FilterInfo(
        String language, String name, String sha256, String toolchain, String sdk) {}
