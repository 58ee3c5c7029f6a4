package org.pwtck.host.bench;

import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

/**
 * {@code -prof org.pwtck.host.bench.CpuTimeProfiler}: adds {@code cpuMicrosPerRequest}, the
 * benchmark thread's CPU time per request ({@link CallbackPathBenchmark.CpuTime}), to each
 * measurement iteration, averaged over iterations like the score (JMH's own counters would sum
 * them).
 */
public final class CpuTimeProfiler implements InternalProfiler {

    @Override
    public String getDescription() {
        return "CPU time of the benchmark thread per request (CallbackPathBenchmark)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
        CallbackPathBenchmark.CpuTime.lastMicrosPerRequest = Double.NaN;
    }

    @Override
    public Collection<? extends Result> afterIteration(
            BenchmarkParams benchmark, IterationParams iteration, IterationResult result) {
        double micros = CallbackPathBenchmark.CpuTime.lastMicrosPerRequest;
        if (iteration.getType() != IterationType.MEASUREMENT || Double.isNaN(micros)) {
            return List.of();
        }
        return List.of(
                new ScalarResult("cpuMicrosPerRequest", micros, "us/op", AggregationPolicy.AVG));
    }
}
