package org.pwtck.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.pwtck.cli.gate.Budget;
import org.pwtck.cli.gate.LatencyGate;
import org.pwtck.cli.gate.LoadSettings;
import org.pwtck.cli.smoke.SmokeRun;
import org.pwtck.reports.model.Outcome;
import org.pwtck.tck.author.FilterRunReport;
import org.pwtck.tck.author.HostPool;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pwtck gate filter.wasm --budget p99=2ms}: the smoke behaviour, then the latency budget, on
 * each host. The in-process {@code reference} host has no listener to load, so a gate runs it as
 * {@code reference-proxy} (the same host behind its Netty proxy).
 */
@Command(
        name = "gate",
        description = {
            "Run the smoke behaviour, then the same open-loop load against a no-op filter and"
                    + " the filter on each host; fail when the added latency exceeds the budget.",
            "Exit 0 passed, 1 failed (or no host available), 2 bad input."
        })
final class GateCommand implements Callable<Integer> {
    @Mixin RunOptions options;

    @Option(
            names = "--budget",
            required = true,
            paramLabel = "pNN=TIME[,…]",
            description = "The most the filter may add, e.g. p99=2ms or p99=2ms,p50=500us.")
    String budget;

    @Option(
            names = "--rate",
            paramLabel = "N",
            description = "Requests per second, open loop (default 50).")
    double rate = LoadSettings.DEFAULT_RATE;

    @Option(
            names = "--connections",
            paramLabel = "N",
            description = "Kept-alive connections (default 4).")
    int connections = LoadSettings.DEFAULT_CONNECTIONS;

    @Option(
            names = "--warmup",
            paramLabel = "SECONDS",
            description = "Warm-up per arm, not measured (default 2).")
    long warmupSeconds = LoadSettings.DEFAULT_WARMUP.toSeconds();

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            description = "Measured time per arm (default 5).")
    long durationSeconds = LoadSettings.DEFAULT_DURATION.toSeconds();

    @Option(
            names = "--rounds",
            paramLabel = "N",
            description =
                    "Alternate baseline and filter in N rounds of the measured time (default 5).")
    int rounds = LoadSettings.DEFAULT_ROUNDS;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws BadInputException, InterruptedException {
        Budget parsed;
        try {
            parsed = Budget.parse(budget);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        if (rate <= 0
                || connections < 1
                || warmupSeconds < 0
                || durationSeconds < 1
                || rounds < 1
                || rounds > durationSeconds * 10) {
            throw new BadInputException(
                    "--rate must be positive, --connections at least 1, --warmup at least 0,"
                            + " --duration at least 1 second and --rounds between 1 and 10 per"
                            + " second of --duration");
        }
        FilterInput filter = options.filter();
        SmokeRun smoke = options.smoke(filter);
        LatencyGate gate =
                new LatencyGate(
                        filter,
                        parsed,
                        new LoadSettings(
                                rate,
                                connections,
                                Duration.ofSeconds(warmupSeconds),
                                Duration.ofSeconds(durationSeconds),
                                LoadSettings.REQUEST_TIMEOUT,
                                rounds,
                                options.path,
                                options.headerMap()));
        FilterRunReport report =
                new FilterRunReport("pwtck gate " + options.wasm + " --budget " + budget)
                        .addFilter(SmokeRun.info(filter));
        try (HostPool pool = HostPool.fromSystemProperties()) {
            for (String host : networkHosts(options.hostIds())) {
                HostPool.Slot slot = pool.get(host);
                if (smoke.run(slot, report) == Outcome.FAIL) {
                    gate.skip(slot, report, "not measured: the smoke behaviour failed on " + host);
                } else {
                    gate.run(slot, report);
                }
            }
        }
        return RunSummary.finish(
                report, options.reportDir, options.requireAllHosts, spec.commandLine().getOut());
    }

    /** {@code reference} becomes {@code reference-proxy}: load needs a listener. */
    private static List<String> networkHosts(List<String> hosts) {
        List<String> out = new ArrayList<>();
        for (String h : hosts) {
            String id = h.equals("reference") ? "reference-proxy" : h;
            if (!out.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }
}
