package org.pwtck.tck.latency.bench;

import java.time.Duration;
import java.util.List;

/**
 * How long and how hard each arm is driven. Every arm gets a saturation run (closed loop, for its
 * throughput) and then one open-loop run per load fraction, at that fraction of the baseline's
 * saturation throughput (the lower of the two hosts' no-filter arms), so all arms see the same
 * offered rates. Before all that, {@code armWarmup} of saturating load, not recorded, lets a
 * freshly started JVM compile its hot paths (every arm gets it, Envoy too); {@code warmup} precedes
 * each run.
 */
record BenchPlan(
        String mode,
        Duration armWarmup,
        Duration warmup,
        Duration duration,
        Duration saturation,
        int connections,
        int clientThreads,
        List<Double> fractions,
        Duration timeout) {

    /** The published run: about a minute per arm. */
    static BenchPlan full() {
        return new BenchPlan(
                "full",
                Duration.ofSeconds(10),
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                Duration.ofSeconds(5),
                16,
                1,
                List.of(0.2, 0.5, 0.8),
                Duration.ofSeconds(2));
    }

    /** CI's smoke run: a few seconds per arm, to keep the harness working, not to measure. */
    static BenchPlan smoke() {
        return new BenchPlan(
                "smoke",
                Duration.ofMillis(500),
                Duration.ofMillis(300),
                Duration.ofMillis(1200),
                Duration.ofMillis(1000),
                4,
                1,
                List.of(0.5),
                Duration.ofSeconds(2));
    }

    BenchPlan withDuration(Duration d) {
        return new BenchPlan(
                mode,
                armWarmup,
                warmup,
                d,
                saturation,
                connections,
                clientThreads,
                fractions,
                timeout);
    }

    BenchPlan withConnections(int n) {
        return new BenchPlan(
                mode,
                armWarmup,
                warmup,
                duration,
                saturation,
                n,
                clientThreads,
                fractions,
                timeout);
    }

    BenchPlan withFractions(List<Double> f) {
        return new BenchPlan(
                mode,
                armWarmup,
                warmup,
                duration,
                saturation,
                connections,
                clientThreads,
                f,
                timeout);
    }
}
