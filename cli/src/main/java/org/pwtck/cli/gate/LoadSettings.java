package org.pwtck.cli.gate;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.pwtck.tck.latency.LoadResult;
import org.pwtck.tck.latency.OpenLoopLoad;

/**
 * How each arm of a gate's latency measurement runs: an open-loop rate over a few kept-alive
 * connections, a warm-up that is not counted, then the measured window. The defaults keep a gate
 * short (two arms of 2 s + 5 s per host) while giving 250 samples per arm, enough for a p99 (its
 * third-worst sample); raise {@code --duration} for a steadier tail.
 */
public record LoadSettings(
        double rate,
        int connections,
        Duration warmup,
        Duration duration,
        Duration timeout,
        String path,
        Map<String, String> headers) {

    public static final double DEFAULT_RATE = 50;
    public static final int DEFAULT_CONNECTIONS = 4;
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(2);
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(5);

    /**
     * Long enough that a slow filter's requests are measured (and exceed the budget) rather than
     * dropped as timeouts, which the histogram would not show.
     */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    public LoadResult run(URI listener) throws InterruptedException {
        OpenLoopLoad.Builder b =
                OpenLoopLoad.to(URI.create(listener.toString().replaceAll("/+$", "") + path))
                        .withRate(rate)
                        .withConnections(connections)
                        .withWarmup(warmup)
                        .withDuration(duration)
                        .withTimeout(timeout);
        headers.forEach(b::addHeader);
        return b.build().run();
    }

    public String describe() {
        return String.format(
                java.util.Locale.ROOT,
                "%.0f requests/s open loop over %d connections, %d s warm-up, %d s measured",
                rate,
                connections,
                warmup.toSeconds(),
                duration.toSeconds());
    }
}
