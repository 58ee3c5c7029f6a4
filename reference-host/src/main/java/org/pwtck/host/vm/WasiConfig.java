package org.pwtck.host.vm;

import java.util.Map;
import java.util.function.Consumer;

/**
 * What a filter gets from WASI: no files and no arguments, only the environment it was configured
 * with, a real clock and random source, and stdout/stderr delivered line by line.
 */
public record WasiConfig(
        Map<String, String> environment, Consumer<String> stdout, Consumer<String> stderr) {

    public WasiConfig {
        environment = Map.copyOf(environment);
    }
}
