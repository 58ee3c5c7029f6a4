package org.pwtck.tck.latency.bench;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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

    /** SIGTERM, up to 5 s, then SIGKILL. */
    static void stop(Process p) {
        try {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(p);
        }
    }
}
