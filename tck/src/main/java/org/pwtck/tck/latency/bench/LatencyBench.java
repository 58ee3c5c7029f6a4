package org.pwtck.tck.latency.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.pwtck.reports.latency.LatencyReport;
import org.pwtck.reports.latency.LatencyReport.Arm;
import org.pwtck.reports.latency.LatencyReport.ColdStart;
import org.pwtck.reports.latency.LatencyReport.Run;
import org.pwtck.tck.api.TckConfig;
import org.pwtck.tck.hosts.envoy.EnvoyBinary;

/**
 * One latency run: starts the bench upstream, then each arm's proxy in turn (its own process),
 * drives it through the plan, measures filter cold starts, and returns the report. Progress goes to
 * the given sink, one line per arm and per run.
 */
public final class LatencyBench {
    /**
     * What to run; {@code filter} present = your own module instead of the corpus; {@code baseRate}
     * present = the load points are fractions of it instead of the baseline's throughput (fixed
     * rates make runs comparable across machines and versions).
     */
    public record Options(
            BenchPlan plan,
            Optional<Path> filter,
            String filterName,
            String filterConfig,
            Optional<Pattern> arms,
            boolean envoy,
            boolean coldStarts,
            Optional<Path> jmh,
            List<String> hostJvmArgs,
            Optional<Double> baseRate,
            List<String> notes,
            String command) {}

    private final Options options;
    private final Consumer<String> progress;

    public LatencyBench(Options options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    public LatencyReport run(Path workDir) throws Exception {
        Instant started = Instant.now();
        String loadBefore = MachineInfo.loadAverage();
        Optional<Path> envoyBinary = Optional.empty();
        String envoyVersion = "not found";
        if (options.envoy()) {
            try {
                envoyBinary =
                        Optional.of(
                                EnvoyBinary.locate(new TckConfig(k -> Optional.empty())).path());
                envoyVersion = EnvoyBinary.versionLine(envoyBinary.get()).orElse("unknown");
            } catch (EnvoyBinary.NotFoundException e) {
                envoyVersion = "not found: " + e.getMessage();
            }
        }
        ArmCatalog catalog = new ArmCatalog(workDir);
        boolean withEnvoy = envoyBinary.isPresent();
        List<ArmSpec> specs =
                select(
                        options.filter().isPresent()
                                ? catalog.custom(
                                        options.filter().get(),
                                        options.filterName(),
                                        options.filterConfig(),
                                        withEnvoy)
                                : options.plan().mode().equals("smoke")
                                        ? catalog.smoke(withEnvoy)
                                        : catalog.full(withEnvoy));
        BenchPlan plan = options.plan();
        List<Arm> arms = new ArrayList<>();
        double baseRate = options.baseRate().orElse(Double.NaN);
        ArmRunner runner = new ArmRunner(plan, progress);
        try (BenchUpstream upstream = BenchUpstream.start()) {
            if (Double.isNaN(baseRate)) {
                baseRate = calibrate(specs, workDir, upstream, runner, envoyBinary);
            }
            int i = 0;
            for (ArmSpec spec : specs) {
                i++;
                progress.accept(String.format("[%d/%d] %s", i, specs.size(), spec.label()));
                arms.add(runArm(spec, workDir, upstream, runner, baseRate, envoyBinary));
            }
        } finally {
            runner.close();
        }
        List<ColdStart> coldStarts = options.coldStarts() ? coldStarts(specs) : List.of();
        JsonNode jmh = null;
        if (options.jmh().isPresent() && Files.isRegularFile(options.jmh().get())) {
            jmh = org.pwtck.reports.latency.LatencyReportJson.readJmh(options.jmh().get());
        }
        Map<String, String> versions = MachineInfo.versions();
        versions.put("envoy", envoyVersion);
        List<String> notes = new ArrayList<>(options.notes());
        if (!withEnvoy && options.envoy()) {
            notes.add("Envoy arms left out: " + envoyVersion);
        }
        LatencyReport partial =
                new LatencyReport(
                        LatencyReport.SCHEMA,
                        started.truncatedTo(ChronoUnit.SECONDS).toString(),
                        options.filter().isPresent() ? "custom (" + plan.mode() + ")" : plan.mode(),
                        options.command(),
                        Duration.between(started, Instant.now()).toMillis(),
                        MachineInfo.machine(loadBefore, MachineInfo.loadAverage()),
                        versions,
                        new LatencyReport.Plan(
                                plan.armWarmup().toMillis(),
                                plan.warmup().toMillis(),
                                plan.duration().toMillis(),
                                plan.saturation().toMillis(),
                                plan.connections(),
                                plan.clientThreads(),
                                plan.fractions(),
                                options.baseRate().isPresent()
                                        ? "--rate (given)"
                                        : String.join(" and ", BASELINES),
                                Double.isNaN(baseRate) ? 0 : baseRate,
                                "Netty on one event loop in the bench JVM: /headers answered as"
                                        + " httpbin, anything else \"ok\"; also the httpbin"
                                        + " cluster of the Org/Product mapper",
                                "reference host: workers 1; Envoy: --concurrency 1"),
                        arms,
                        coldStarts,
                        List.of(),
                        jmh,
                        notes);
        return withGoals(partial);
    }

    /** Deletes the run's scratch directory (modules, configs, proxy logs). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static LatencyReport withGoals(LatencyReport r) {
        return new LatencyReport(
                r.schema(),
                r.generated(),
                r.mode(),
                r.command(),
                r.durationMillis(),
                r.machine(),
                r.versions(),
                r.plan(),
                r.arms(),
                r.coldStarts(),
                Goals.of(r),
                r.jmh(),
                r.notes());
    }

    /** The no-filter arms whose throughput sets the offered rates (those that run). */
    private static final List<String> BASELINES =
            List.of(ArmSpec.REFERENCE_NONE, ArmSpec.ENVOY_NONE);

    /**
     * The offered rates' base: the lower saturation throughput of the hosts' no-filter arms, so
     * that every load point is below saturation for both baselines and a filter arm that falls over
     * shows its own cost. Each baseline is started for it once more before the arms run.
     */
    private double calibrate(
            List<ArmSpec> specs,
            Path workDir,
            BenchUpstream upstream,
            ArmRunner runner,
            Optional<Path> envoyBinary)
            throws Exception {
        double base = Double.MAX_VALUE;
        for (ArmSpec spec : specs) {
            if (!BASELINES.contains(spec.id())) {
                continue;
            }
            progress.accept("calibrating the offered rates on " + spec.label());
            Path dir = Files.createDirectories(workDir.resolve("calibrate-" + spec.host()));
            try (Target target = start(spec, dir, upstream.port(), envoyBinary)) {
                ArmRunner.check(target.uri());
                base = Math.min(base, runner.calibrate(target));
            }
        }
        if (base == Double.MAX_VALUE) {
            throw new IllegalStateException("no baseline arm to calibrate the rates on");
        }
        progress.accept(
                String.format(
                        java.util.Locale.ROOT, "offered rates are fractions of %.0f/s", base));
        return base;
    }

    /** The arms the pattern selects; the rate-setting baselines always stay, first. */
    private List<ArmSpec> select(List<ArmSpec> all) {
        if (options.arms().isEmpty()) {
            return all;
        }
        Pattern p = options.arms().get();
        Set<String> keep = new LinkedHashSet<>();
        keep.addAll(BASELINES);
        for (ArmSpec a : all) {
            if (p.matcher(a.id()).find()) {
                keep.add(a.id());
                if (a.baseline() != null) {
                    keep.add(a.baseline());
                }
            }
        }
        return all.stream().filter(a -> keep.contains(a.id())).toList();
    }

    private Arm runArm(
            ArmSpec spec,
            Path workDir,
            BenchUpstream upstream,
            ArmRunner runner,
            double baseRate,
            Optional<Path> envoyBinary) {
        Map<String, String> config = new LinkedHashMap<>();
        spec.filter()
                .ifPresent(
                        f -> {
                            config.put("module", f.wasm().getFileName().toString());
                            config.put("plugin configuration", f.config());
                        });
        try {
            Path dir = Files.createDirectories(workDir.resolve(spec.id().replace('/', '_')));
            try (Target target = start(spec, dir, upstream.port(), envoyBinary)) {
                config.put("started", target.describe());
                ArmRunner.check(target.uri());
                List<Run> runs = runner.all(target, baseRate);
                return arm(spec, config, runs, null);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            progress.accept("    failed: " + reason);
            return arm(spec, config, List.of(), reason);
        }
    }

    private Target start(ArmSpec spec, Path dir, int upstreamPort, Optional<Path> envoyBinary)
            throws Exception {
        Duration ready = Duration.ofSeconds(120);
        return switch (spec.host()) {
            case ArmSpec.DIRECT -> Target.direct(upstreamPort);
            case ArmSpec.REFERENCE ->
                    ReferenceHostTarget.start(
                            dir, upstreamPort, spec.filter(), options.hostJvmArgs(), ready);
            default ->
                    EnvoyTarget.start(
                            envoyBinary.orElseThrow(), dir, upstreamPort, spec.filter(), ready);
        };
    }

    private static Arm arm(ArmSpec spec, Map<String, String> config, List<Run> runs, String error) {
        Optional<FilterUnderTest> f = spec.filter();
        return new Arm(
                spec.id(),
                spec.label(),
                spec.host(),
                f.map(FilterUnderTest::name).orElse(null),
                f.map(FilterUnderTest::language).orElse(null),
                spec.host().equals(ArmSpec.REFERENCE)
                        ? f.map(FilterUnderTest::engine).orElse(null)
                        : spec.host().equals(ArmSpec.ENVOY) ? "v8" : null,
                spec.baseline(),
                config,
                runs,
                error);
    }

    /** Every filter and engine the reference host ran, in the bench JVM (library API). */
    private List<ColdStart> coldStarts(List<ArmSpec> specs) {
        List<ColdStart> out = new ArrayList<>();
        progress.accept("cold starts (reference host library):");
        for (ArmSpec spec : specs) {
            if (!spec.host().equals(ArmSpec.REFERENCE) || spec.filter().isEmpty()) {
                continue;
            }
            FilterUnderTest f = spec.filter().get();
            try {
                ColdStart c = ColdStartProbe.measure(f);
                out.add(c);
                progress.accept(
                        String.format(
                                java.util.Locale.ROOT,
                                "    %s (%s) %s: first %.0f ms, cached %.1f ms",
                                f.name(),
                                f.language(),
                                f.engine(),
                                c.firstReadyMillis(),
                                c.cachedReadyMillis()));
            } catch (Exception e) {
                progress.accept("    " + spec.id() + " failed: " + e);
            }
        }
        return out;
    }

    /** Writes {@code latency.json} and {@code latency.html} into {@code out}. */
    public static void write(LatencyReport report, Path out) throws IOException {
        org.pwtck.reports.latency.LatencyReportJson.write(report, out.resolve("latency.json"));
        org.pwtck.reports.latency.LatencyHtml.write(report, out.resolve("latency.html"));
    }
}
