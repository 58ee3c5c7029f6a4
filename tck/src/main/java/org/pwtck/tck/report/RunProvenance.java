package org.pwtck.tck.report;

import java.time.Instant;
import org.pwtck.reports.model.Provenance;

/**
 * The provenance of a run (TCK version and commit from the build, JDK, OS, CPUs, start and
 * duration, the command), for every kind of run that writes a report: the TCK, a filter author's
 * behaviour tests, {@code pwtck test} and {@code gate}.
 */
public final class RunProvenance {
    private RunProvenance() {}

    public static Provenance of(String command, Instant startedAt, long durationMillis) {
        return of(command, startedAt, durationMillis, null);
    }

    /** With the upstreams the run's filters talked to (cluster name → what served it). */
    public static Provenance of(
            String command,
            Instant startedAt,
            long durationMillis,
            java.util.Map<String, String> upstreams) {
        return new Provenance(
                TckBuild.version(),
                TckBuild.commit(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(),
                startedAt.toString(),
                durationMillis,
                command,
                upstreams);
    }
}
