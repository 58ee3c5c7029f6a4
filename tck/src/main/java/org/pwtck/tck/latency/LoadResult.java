package org.pwtck.tck.latency;

import org.HdrHistogram.Histogram;

/**
 * What one constant-rate run measured: latency from each request's intended send time (so a stall
 * shows up in the tail instead of being hidden), the rate actually achieved, errors and timeouts.
 * Latencies are in microseconds.
 */
public record LoadResult(
        double targetRate,
        double achievedRate,
        long completed,
        long errors,
        long timeouts,
        long measuredMillis,
        Histogram histogram) {

    public long percentileMicros(double percentile) {
        return histogram.getValueAtPercentile(percentile);
    }

    public long maxMicros() {
        return histogram.getMaxValue();
    }

    @Override
    public String toString() {
        return String.format(
                "target %.0f/s achieved %.1f/s, %d ok, %d errors, %d timeouts, p50 %d µs, p90 %d µs,"
                        + " p99 %d µs, p99.9 %d µs, max %d µs",
                targetRate,
                achievedRate,
                completed,
                errors,
                timeouts,
                percentileMicros(50),
                percentileMicros(90),
                percentileMicros(99),
                percentileMicros(99.9),
                maxMicros());
    }
}
