package org.pwtck.reports.latency;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One latency run (schema {@value #SCHEMA}): where it ran, how load was applied, and per arm (a
 * host with or without a filter) the measured distribution at every load point with its raw
 * histogram. JSON is canonical; {@link LatencyHtml} renders it. Latencies are in microseconds.
 *
 * @param jmh the JMH result file of the callback-path comparison, as JMH wrote it, if one was given
 */
public record LatencyReport(
        String schema,
        String generated,
        String mode,
        String command,
        long durationMillis,
        Machine machine,
        Map<String, String> versions,
        Plan plan,
        List<Arm> arms,
        List<ColdStart> coldStarts,
        List<Goal> goals,
        JsonNode jmh,
        List<String> notes) {

    public static final String SCHEMA = "pwtck.latency/v1";

    public Optional<Arm> arm(String id) {
        return arms.stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /** The load points in plan order: the saturation run first, then the fractions. */
    public List<String> points() {
        return arms.stream()
                .flatMap(a -> a.runs().stream())
                .map(Run::point)
                .distinct()
                .sorted((x, y) -> Double.compare(Run.order(x, arms), Run.order(y, arms)))
                .toList();
    }

    /**
     * The machine as the run saw it; {@code loadBefore}/{@code loadAfter} are {@code
     * /proc/loadavg}, since a shared machine moves the tails.
     */
    public record Machine(
            String os,
            String arch,
            int cpus,
            String jdk,
            String jvm,
            long memoryKb,
            String loadBefore,
            String loadAfter) {}

    /**
     * How load was applied: each load point is a fraction of {@code baseRate}, the lower saturation
     * throughput of the arms named in {@code rateBasis}, offered to every arm alike so that deltas
     * compare like with like. {@code armWarmupMillis} of unrecorded saturating load precede each
     * arm (a fresh JVM compiles its hot paths), {@code warmupMillis} each run.
     */
    public record Plan(
            long armWarmupMillis,
            long warmupMillis,
            long durationMillis,
            long saturationMillis,
            int connections,
            int clientThreads,
            List<Double> loadFractions,
            String rateBasis,
            double baseRate,
            String upstream,
            String hostWorkers) {}

    /**
     * One configuration under load. {@code baseline} is the arm it is compared with (the same host
     * with no filter); {@code error} says why an arm has no runs.
     */
    public record Arm(
            String id,
            String label,
            String host,
            String filter,
            String language,
            String engine,
            String baseline,
            Map<String, String> config,
            List<Run> runs,
            String error) {

        public Optional<Run> run(String point) {
            return runs.stream().filter(r -> r.point().equals(point)).findFirst();
        }
    }

    /**
     * One load point of an arm. {@code requestedRate} is 0 for the saturation run (closed loop: its
     * latencies are service times, its achieved rate the throughput). {@code histogram} is the
     * HdrHistogram, compressed and base64-encoded ({@link HistogramCodec}).
     */
    public record Run(
            String point,
            double loadFraction,
            double requestedRate,
            double achievedRate,
            long completed,
            long errors,
            long timeouts,
            long measuredMillis,
            Latency latency,
            Resources resources,
            String histogram) {

        public static final String SATURATION = "saturation";

        public boolean saturation() {
            return SATURATION.equals(point);
        }

        static double order(String point, List<Arm> arms) {
            if (SATURATION.equals(point)) {
                return -1;
            }
            return arms.stream()
                    .flatMap(a -> a.runs().stream())
                    .filter(r -> r.point().equals(point))
                    .mapToDouble(Run::loadFraction)
                    .findFirst()
                    .orElse(0);
        }
    }

    /** Percentiles from the histogram, in µs. */
    public record Latency(long p50, long p90, long p99, long p999, long max, double mean) {}

    /**
     * The proxy process over the measured window: CPU time of all its threads (user + system) from
     * {@code /proc/<pid>/stat}, and resident memory ({@code VmRSS}, peak {@code VmHWM}) at the end.
     * Absent for an arm without its own process (direct).
     */
    public record Resources(
            long pid,
            double cpuMillis,
            double cpuPercent,
            double cpuMicrosPerRequest,
            long rssKb,
            long rssPeakKb) {}

    /**
     * How long a filter takes to become ready on the reference host's library API, first (module
     * cache empty: parse, validate and, in compiler mode, compile) and cached (the same module
     * again), each split in load ({@code Plugin.build()}), start (instantiate, {@code _initialize},
     * {@code on_vm_start}, {@code on_configure}) and the first request's callbacks.
     */
    public record ColdStart(
            String filter,
            String language,
            String engine,
            long moduleBytes,
            double firstLoadMillis,
            double firstStartMillis,
            double firstRequestMillis,
            double cachedLoadMillis,
            double cachedStartMillis,
            double cachedRequestMillis) {

        public double firstReadyMillis() {
            return firstLoadMillis + firstStartMillis + firstRequestMillis;
        }

        public double cachedReadyMillis() {
            return cachedLoadMillis + cachedStartMillis + cachedRequestMillis;
        }
    }

    /**
     * A goal of the benchmark, measured and never asserted. {@code verdict} is {@code met}, {@code
     * missed} or {@code not measured}; {@code basis} says which arms and points the number comes
     * from.
     */
    public record Goal(
            String id,
            String description,
            String target,
            Double measured,
            String unit,
            String verdict,
            String basis) {}
}
