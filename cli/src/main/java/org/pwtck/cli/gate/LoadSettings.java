package org.pwtck.cli.gate;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /** Both arms' rounds, in the order they ran. */
    public record Rounds(List<LoadResult> baseline, List<LoadResult> candidate) {
        public LoadResult baselineMerged() {
            return merge(baseline);
        }

        public LoadResult candidateMerged() {
            return merge(candidate);
        }

        /**
         * The median over rounds of (candidate − baseline) at a percentile. One round's spike (a
         * neighbour's GC, a scheduler stall) moves a pooled p99 by its whole size; here it must
         * land on the candidate in most rounds to count, as a cost the filter really adds does.
         */
        public double addedMicros(double percentile) {
            List<Long> diffs = new ArrayList<>();
            for (int i = 0; i < baseline.size(); i++) {
                diffs.add(
                        candidate.get(i).percentileMicros(percentile)
                                - baseline.get(i).percentileMicros(percentile));
            }
            diffs.sort(null);
            int n = diffs.size();
            return n % 2 == 1 ? diffs.get(n / 2) : (diffs.get(n / 2 - 1) + diffs.get(n / 2)) / 2.0;
        }
    }

    /**
     * Measures two listeners in alternating rounds (warm-up of each, then baseline, candidate,
     * baseline, candidate…), each round a share of the measured time. Measured one after the other,
     * a drift in the machine's load (a neighbour's build starting) would land on one arm only and
     * read as the filter's cost.
     */
    public Rounds alternate(URI baseline, URI candidate) throws InterruptedException {
        run(baseline, warmup, Duration.ZERO);
        run(candidate, warmup, Duration.ZERO);
        Duration round = duration.dividedBy(rounds);
        List<LoadResult> a = new ArrayList<>();
        List<LoadResult> b = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            a.add(run(baseline, Duration.ZERO, round));
            b.add(run(candidate, Duration.ZERO, round));
        }
        return new Rounds(List.copyOf(a), List.copyOf(b));
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

    /** All rounds of one arm as one result: histograms added, counts and times summed. */
    static LoadResult merge(List<LoadResult> rounds) {
        Histogram h = rounds.get(0).histogram().copy();
        long millis = rounds.get(0).measuredMillis();
        long completed = rounds.get(0).completed();
        long errors = rounds.get(0).errors();
        long timeouts = rounds.get(0).timeouts();
        for (LoadResult r : rounds.subList(1, rounds.size())) {
            h.add(r.histogram());
            millis += r.measuredMillis();
            completed += r.completed();
            errors += r.errors();
            timeouts += r.timeouts();
        }
        return new LoadResult(
                rounds.get(0).targetRate(),
                completed * 1000.0 / Math.max(1, millis),
                completed,
                errors,
                timeouts,
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
