package org.pwtck.tck.latency.bench;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.pwtck.tck.hosts.envoy.EnvoyProcess;

/** The proxy processes a bench started; a JVM that exits without closing them kills them. */
final class Children {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> LIVE.forEach(Process::destroyForcibly),
                                "pwtck-bench-reaper"));
    }

    private Children() {}

    static void track(Process p) {
        LIVE.add(p);
    }

    /** Stops {@code p} the way the Envoy adapter stops Envoy, and forgets it. */
    static void stop(Process p) {
        try {
            EnvoyProcess.terminate(p);
        } finally {
            LIVE.remove(p);
        }
    }
}
