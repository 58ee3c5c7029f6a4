package org.pwtck.reports.model;

import java.util.Map;

/** The host a report is about: a stable id, its name and version, and its wasm engine. */
public record HostInfo(
        String id, String name, String version, String engine, Map<String, String> details) {}
