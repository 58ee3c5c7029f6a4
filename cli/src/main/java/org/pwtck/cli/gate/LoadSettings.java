package org.pwtck.cli.gate;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.pwtck.tck.latency.LoadResult;
import org.pwtck.tck.latency.OpenLoopLoad;

/**
 * How each arm of a gate's latency measurement runs: an open-loop rate over a few kept-alive
 * connections, a warm-up that is not counted, then the measured time in rounds. The defaults keep a
 * gate short (two arms of 2 s + 5 s per host) while giving 250 samples per arm, enough for a p99
 * (its third-worst sample); raise {@code --duration} for a steadier tail.
 */
public record LoadSettings(
        double rate,
        int connections,
        Duration warmup,
        Duration duration,
        Duration timeout,
        int rounds,
        String path,
        Map<String, String> headers) {

    public static final double DEFAULT_RATE = 50;
    public static final int DEFAULT_CONNECTIONS = 4;
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(2);
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(5);
    public static final int DEFAULT_ROUNDS = 5;

    /**
     * Long enough that a slow filter's requests are measured (and exceed the budget) rather than
     * dropped as timeouts, which the histogram would not show.
     */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Measures two listeners in alternating rounds (warm-up of each, then baseline, candidate,
     * baseline, candidate…), each round a share of the measured time, and merges each arm's rounds.
     * Measured one after the other, a drift in the machine's load (a neighbour's build starting)
     * would land on one arm only and read as the filter's cost.
     *
     * @return the baseline's and the candidate's merged results
     */
    public LoadResult[] alternate(URI baseline, URI candidate) throws InterruptedException {
        run(baseline, warmup, Duration.ZERO);
        run(candidate, warmup, Duration.ZERO);
        Duration round = duration.dividedBy(rounds);
        LoadResult a = null;
        LoadResult b = null;
        for (int i = 0; i < rounds; i++) {
            a = merge(a, run(baseline, Duration.ZERO, round));
            b = merge(b, run(candidate, Duration.ZERO, round));
        }
        return new LoadResult[] {a, b};
    }

    private LoadResult run(URI listener, Duration warm, Duration measured)
            throws InterruptedException {
        OpenLoopLoad.Builder b =
                OpenLoopLoad.to(URI.create(listener.toString().replaceAll("/+$", "") + path))
                        .withRate(rate)
                        .withConnections(connections)
                        .withWarmup(warm)
                        .withDuration(measured)
                        .withTimeout(timeout);
        headers.forEach(b::addHeader);
        return b.build().run();
    }

    private static LoadResult merge(LoadResult sum, LoadResult round) {
        if (sum == null) {
            return round;
        }
        Histogram h = sum.histogram().copy();
        h.add(round.histogram());
        long millis = sum.measuredMillis() + round.measuredMillis();
        long completed = sum.completed() + round.completed();
        return new LoadResult(
                sum.targetRate(),
                completed * 1000.0 / Math.max(1, millis),
                completed,
                sum.errors() + round.errors(),
                sum.timeouts() + round.timeouts(),
                millis,
                h);
    }

    public String describe() {
        return String.format(
                java.util.Locale.ROOT,
                "%.0f requests/s open loop over %d connections, %d s warm-up, %d s measured in"
                        + " %d rounds alternating with the baseline",
                rate,
                connections,
                warmup.toSeconds(),
                duration.toSeconds(),
                rounds);
    }
}
