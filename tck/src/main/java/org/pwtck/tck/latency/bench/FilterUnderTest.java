package org.pwtck.tck.latency.bench;

import java.nio.file.Path;

/**
 * A filter an arm runs: its name and language (for the report), the module file, its plugin
 * configuration (JSON text) and, on the reference host, the Chicory engine ({@code interpreter} or
 * {@code compiler}).
 */
record FilterUnderTest(String name, String language, Path wasm, String config, String engine) {}
