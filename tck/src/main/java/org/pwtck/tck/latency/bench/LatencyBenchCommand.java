package org.pwtck.tck.latency.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.pwtck.reports.latency.LatencyHtml;
import org.pwtck.reports.latency.LatencyReport;
import org.pwtck.reports.latency.LatencyReportJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pwtck-latency}: runs the latency bench and writes latency.json and latency.html. */
@Command(
        name = "pwtck-latency",
        mixinStandardHelpOptions = true,
        description = {
            "Open-loop latency of proxy-wasm filters on the reference host and Envoy:"
                    + " writes latency.json (canonical, with the raw histograms) and latency.html."
        })
public final class LatencyBenchCommand implements Callable<Integer> {
    @Option(names = "--mode", description = "full (the published run) or smoke (seconds per arm)")
    String mode = "full";

    @Option(names = "--out", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("target/latency-report");

    @Option(names = "--filter", description = "your own .wasm instead of the corpus")
    Path filter;

    @Option(
            names = "--config",
            description =
                    "plugin configuration of --filter: JSON text, or @file to read it from a file")
    String config = "";

    @Option(names = "--name", description = "filter name in the report (default: the file name)")
    String name;

    @Option(names = "--arms", description = "regex on arm ids to run (baselines are kept)")
    String arms;

    @Option(names = "--no-envoy", negatable = true, description = "leave Envoy out")
    boolean envoy = true;

    @Option(names = "--no-cold-start", negatable = true, description = "skip the cold starts")
    boolean coldStart = true;

    @Option(names = "--duration", description = "measured seconds per load point")
    Double duration;

    @Option(names = "--connections", description = "client connections")
    Integer connections;

    @Option(
            names = "--loads",
            split = ",",
            description = "load fractions of the baseline's throughput, e.g. 0.2,0.5,0.8")
    List<Double> loads;

    @Option(
            names = "--rate",
            description =
                    "req/s the load fractions apply to (default: the baseline's saturation"
                            + " throughput, measured first)")
    Double rate;

    @Option(names = "--jmh", description = "JMH JSON result of the callback-path comparison")
    Path jmh;

    @Option(
            names = "--host-jvm-args",
            description = "JVM options of the reference host process, space separated")
    String hostJvmArgs = "";

    @Option(names = "--note", description = "a note for the report (repeatable)")
    List<String> notes = new java.util.ArrayList<>();

    @Option(names = "--keep", description = "keep the scratch directory (proxy logs, configs)")
    boolean keep;

    /** The arguments as given, for the report's {@code command}. */
    private static List<String> arguments = List.of();

    public static void main(String[] args) {
        arguments = List.of(args);
        System.exit(
                new CommandLine(new LatencyBenchCommand())
                        .setOverwrittenOptionsAllowed(true) // a later --out wins over the pom's
                        .execute(args));
    }

    @Option(
            names = "--render",
            description = "only re-render latency.html from this latency.json (into --out)")
    Path render;

    @Override
    public Integer call() throws Exception {
        if (render != null) {
            LatencyReport report = LatencyReportJson.read(render);
            LatencyHtml.write(report, out.resolve("latency.html"));
            System.out.println("wrote " + out.resolve("latency.html"));
            return 0;
        }
        BenchPlan plan =
                switch (mode) {
                    case "full" -> BenchPlan.full();
                    case "smoke" -> BenchPlan.smoke();
                    default ->
                            throw new CommandLine.ParameterException(
                                    new CommandLine(this),
                                    "--mode " + mode + ": must be full or smoke");
                };
        if (duration != null) {
            plan = plan.withDuration(Duration.ofMillis((long) (duration * 1000)));
        }
        if (connections != null) {
            plan = plan.withConnections(connections);
        }
        if (loads != null) {
            plan = plan.withFractions(loads);
        }
        Optional<Path> jmhFile = Optional.ofNullable(jmh).or(LatencyBenchCommand::defaultJmh);
        String filterName =
                name != null
                        ? name
                        : filter == null
                                ? ""
                                : filter.getFileName().toString().replaceFirst("\\.wasm$", "");
        LatencyBench.Options options =
                new LatencyBench.Options(
                        plan,
                        Optional.ofNullable(filter),
                        filterName,
                        pluginConfig(),
                        Optional.ofNullable(arms).map(Pattern::compile),
                        envoy,
                        coldStart,
                        jmhFile,
                        hostJvmArgs.isBlank()
                                ? List.of()
                                : Arrays.asList(hostJvmArgs.trim().split("\\s+")),
                        Optional.ofNullable(rate),
                        notes,
                        "pwtck-latency " + String.join(" ", arguments));
        Path work = Files.createTempDirectory("pwtck-latency");
        LatencyReport report;
        try {
            report = new LatencyBench(options, System.out::println).run(work);
        } finally {
            if (keep) {
                System.out.println("kept " + work + " (configs, modules, proxy logs)");
            } else {
                LatencyBench.deleteTree(work);
            }
        }
        LatencyBench.write(report, out);
        System.out.println("wrote " + out.resolve("latency.json") + " and latency.html");
        report.goals()
                .forEach(
                        g ->
                                System.out.println(
                                        "goal "
                                                + g.id()
                                                + ": "
                                                + g.verdict()
                                                + (g.measured() == null
                                                        ? ""
                                                        : " ("
                                                                + String.format(
                                                                        java.util.Locale.ROOT,
                                                                        "%.2f",
                                                                        g.measured())
                                                                + " "
                                                                + g.unit()
                                                                + ", target "
                                                                + g.target()
                                                                + ")")));
        return 0;
    }

    /** {@code --config} as given, or the content of the file it names with {@code @}. */
    private String pluginConfig() throws java.io.IOException {
        if (!config.startsWith("@")) {
            return config;
        }
        Path file = Path.of(config.substring(1));
        if (!Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--config " + config + ": no such file");
        }
        return Files.readString(file);
    }

    /** The JMH helper's output, looked for from the repository root or from a module. */
    private static Optional<Path> defaultJmh() {
        for (String p :
                List.of(
                        "reference-host/target/jmh-callback-path.json",
                        "../reference-host/target/jmh-callback-path.json")) {
            if (Files.isRegularFile(Path.of(p))) {
                return Optional.of(Path.of(p));
            }
        }
        return Optional.empty();
    }
}
