package org.pwtck.tck.latency.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.pwtck.reports.latency.HistogramCodec;
import org.pwtck.reports.latency.LatencyReport;
import org.pwtck.reports.latency.LatencyReport.Run;
import org.pwtck.tck.latency.LoadResult;
import org.pwtck.tck.latency.OpenLoopLoad;

/**
 * Drives one started target through the plan: a check that it answers, the saturation run, then
 * each load point; samples the proxy process's CPU time and memory around each measured window.
 */
final class ArmRunner {
    /** Every arm gets the same request; the Org/Product mapper maps these two headers. */
    static final Map<String, String> REQUEST_HEADERS = Map.of("org", "acme", "product", "rocket");

    static final String PATH = "/bench";

    private final BenchPlan plan;
    private final Consumer<String> progress;
    private final ScheduledExecutorService sampler =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "pwtck-bench-sampler");
                        t.setDaemon(true);
                        return t;
                    });

    ArmRunner(BenchPlan plan, Consumer<String> progress) {
        this.plan = plan;
        this.progress = progress;
    }

    /** The saturation run; its achieved rate is the arm's throughput. */
    Run saturation(Target target) throws InterruptedException {
        OpenLoopLoad load =
                builder(target.uri()).saturating().withDuration(plan.saturation()).build();
        Run run = measure(load, target.pid(), Run.SATURATION, 0);
        progress.accept(line(run));
        return run;
    }

    Run atRate(Target target, double fraction, double rate) throws InterruptedException {
        OpenLoopLoad load = builder(target.uri()).withRate(rate).build();
        Run run =
                measure(
                        load,
                        target.pid(),
                        String.format(Locale.ROOT, "%.0f%%", fraction * 100),
                        fraction);
        progress.accept(line(run));
        return run;
    }

    /** One request must come back 200 before any load, or the arm is reported broken. */
    static void check(URI uri) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.Builder req =
                HttpRequest.newBuilder(uri.resolve(PATH)).timeout(Duration.ofSeconds(10));
        REQUEST_HEADERS.forEach(req::header);
        HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            String body = r.body().strip();
            throw new IOException(
                    "answered "
                            + r.statusCode()
                            + " to GET "
                            + PATH
                            + ": "
                            + body.substring(0, Math.min(200, body.length())));
        }
    }

    private OpenLoopLoad.Builder builder(URI uri) {
        OpenLoopLoad.Builder b =
                OpenLoopLoad.to(uri.resolve(PATH))
                        .withConnections(plan.connections())
                        .withThreads(plan.clientThreads())
                        .withWarmup(plan.warmup())
                        .withDuration(plan.duration())
                        .withTimeout(plan.timeout());
        REQUEST_HEADERS.forEach(b::addHeader);
        return b;
    }

    private Run measure(OpenLoopLoad load, OptionalLong pid, String point, double fraction)
            throws InterruptedException {
        ProcStats[] before = new ProcStats[1];
        long[] windowStart = new long[1];
        ScheduledFuture<?> first = null;
        if (pid.isPresent()) {
            first =
                    sampler.schedule(
                            () -> {
                                windowStart[0] = System.nanoTime();
                                before[0] = ProcStats.of(pid.getAsLong()).orElse(null);
                            },
                            plan.warmup().toMillis(),
                            TimeUnit.MILLISECONDS);
        }
        LoadResult r = load.run();
        LatencyReport.Resources resources = null;
        if (first != null) {
            try {
                first.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            long wall = System.nanoTime() - windowStart[0];
            Optional<ProcStats> after = ProcStats.of(pid.getAsLong());
            if (before[0] != null && after.isPresent()) {
                double cpu = after.get().cpuNanos() - before[0].cpuNanos();
                resources =
                        new LatencyReport.Resources(
                                pid.getAsLong(),
                                cpu / 1e6,
                                100.0 * cpu / Math.max(1, wall),
                                r.completed() == 0 ? 0 : cpu / 1e3 / r.completed(),
                                after.get().rssKb(),
                                after.get().rssPeakKb());
            }
        }
        return new Run(
                point,
                fraction,
                r.targetRate(),
                r.achievedRate(),
                r.completed(),
                r.errors(),
                r.timeouts(),
                r.measuredMillis(),
                new LatencyReport.Latency(
                        r.percentileMicros(50),
                        r.percentileMicros(90),
                        r.percentileMicros(99),
                        r.percentileMicros(99.9),
                        r.maxMicros(),
                        r.histogram().getMean()),
                resources,
                HistogramCodec.encode(r.histogram()));
    }

    static String line(Run run) {
        LatencyReport.Latency l = run.latency();
        String cpu =
                run.resources() == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                ", cpu %.0f%%, rss %d MiB",
                                run.resources().cpuPercent(),
                                run.resources().rssKb() / 1024);
        return String.format(
                Locale.ROOT,
                "    %-10s %s achieved %.0f/s, p50 %d µs, p99 %d µs, p99.9 %d µs, max %d µs,"
                        + " %d errors, %d timeouts%s",
                run.point(),
                run.saturation()
                        ? "closed loop,"
                        : String.format(Locale.ROOT, "offered %.0f/s,", run.requestedRate()),
                run.achievedRate(),
                l.p50(),
                l.p99(),
                l.p999(),
                l.max(),
                run.errors(),
                run.timeouts(),
                cpu);
    }

    /**
     * A baseline's throughput for setting the offered rates: after the JIT warm-up, saturation runs
     * repeated until two agree within 10% (at most three), since a JVM still compiling its hot
     * paths, or a busy machine, gives a first number that is too low.
     */
    double calibrate(Target target) throws InterruptedException {
        warmUp(target);
        double rate = saturation(target).achievedRate();
        for (int i = 0; i < 2; i++) {
            double again = saturation(target).achievedRate();
            boolean stable = Math.abs(again - rate) <= 0.1 * again;
            rate = again;
            if (stable) {
                break;
            }
        }
        return rate;
    }

    private void warmUp(Target target) throws InterruptedException {
        builder(target.uri())
                .saturating()
                .withWarmup(Duration.ZERO)
                .withDuration(plan.armWarmup())
                .build()
                .run(); // not recorded: JIT warm-up of a fresh JVM
    }

    List<Run> all(Target target, double baseRate) throws InterruptedException {
        List<Run> runs = new ArrayList<>();
        warmUp(target);
        Run sat = saturation(target);
        runs.add(sat);
        for (double f : plan.fractions()) {
            runs.add(atRate(target, f, Math.max(1, f * baseRate)));
        }
        return runs;
    }

    void close() {
        sampler.shutdownNow();
    }
}
