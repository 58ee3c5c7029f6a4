package org.pwtck.host.vm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a filter gets from WASI: no files and no arguments, only the environment it was configured
 * with, a real clock and random source, and stdout/stderr delivered line by line.
 */
public record WasiConfig(
        Map<String, String> environment, Consumer<String> stdout, Consumer<String> stderr) {

    /** The environment keeps its order: the guest sees the variables as they were added. */
    public WasiConfig {
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }
}
