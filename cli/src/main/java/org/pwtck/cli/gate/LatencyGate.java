package org.pwtck.cli.gate;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.pwtck.cli.FilterInput;
import org.pwtck.cli.smoke.SmokeRun;
import org.pwtck.reports.latency.HistogramCodec;
import org.pwtck.reports.model.CaseResult;
import org.pwtck.reports.model.Evidence;
import org.pwtck.reports.model.HostInfo;
import org.pwtck.reports.model.Outcome;
import org.pwtck.tck.api.Deployment;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.author.FilterRunReport;
import org.pwtck.tck.author.HostPool;
import org.pwtck.tck.latency.LoadResult;

/**
 * The latency budget on one host: the same open-loop load against a no-op wasm filter (the
 * baseline) and against the author's filter, each deployed alone on the host, in alternating rounds
 * so that both arms see the same machine (see {@link LoadSettings#alternate}), and one result per
 * budget limit: the added latency at that percentile with both arms' numbers as evidence. Requests
 * that fail or time out under load fail the budget too, since a filter that drops requests is not
 * fast.
 */
public final class LatencyGate {
    private final FilterInput filter;
    private final Budget budget;
    private final LoadSettings load;

    public LatencyGate(FilterInput filter, Budget budget, LoadSettings load) {
        this.filter = filter;
        this.budget = budget;
        this.load = load;
    }

    /**
     * Measures on a started host and records one result per limit; when the host cannot be
     * measured, records them SKIPPED with the reason.
     */
    public void run(HostPool.Slot slot, FilterRunReport report) {
        long started = System.nanoTime();
        HostInfo host = slot.info();
        if (slot.unavailable().isPresent()) {
            skipAll(report, host, started, slot.unavailable().get());
            return;
        }
        LoadSettings.Rounds rounds;
        try (Deployment baseline = slot.host().orElseThrow().deploy(baselineSpec());
                Deployment candidate = slot.host().orElseThrow().deploy(SmokeRun.spec(filter))) {
            if (baseline.listener().isEmpty() || candidate.listener().isEmpty()) {
                skipAll(
                        report,
                        host,
                        started,
                        "host " + slot.id() + " has no network listener to send load to");
                return;
            }
            rounds = load.alternate(baseline.listener().get(), candidate.listener().get());
        } catch (Exception e) {
            for (Budget.Limit limit : budget.limits()) {
                record(
                        report,
                        host,
                        limit,
                        Outcome.FAIL,
                        started,
                        "on host " + slot.id() + ": the latency run failed: " + e,
                        null,
                        List.of());
            }
            return;
        }
        for (Budget.Limit limit : budget.limits()) {
            judge(report, host, slot.id(), limit, rounds, started);
        }
    }

    private void judge(
            FilterRunReport report,
            HostInfo host,
            String hostId,
            Budget.Limit limit,
            LoadSettings.Rounds rounds,
            long started) {
        LoadResult base = rounds.baselineMerged();
        LoadResult measured = rounds.candidateMerged();
        double added = rounds.addedMicros(limit.percentile());
        String actual =
                "added "
                        + limit.label()
                        + " "
                        + Budget.format(added)
                        + " (median of "
                        + rounds.baseline().size()
                        + " rounds; all rounds: filter "
                        + Budget.format(measured.percentileMicros(limit.percentile()))
                        + ", baseline "
                        + Budget.format(base.percentileMicros(limit.percentile()))
                        + ")";
        List<String> problems = new ArrayList<>();
        if (!sustained(base)) {
            // Without a baseline that keeps up, the difference means nothing: not a pass.
            problems.add(
                    "the host did not sustain the load even with the no-op filter ("
                            + shortfall(base)
                            + "); the measurement is not valid, lower --rate");
        }
        if (measured.completed() == 0) {
            problems.add("no request through the filter completed");
        } else if (added > limit.micros()) {
            problems.add(actual + " exceeds the budget " + limit.describe());
        }
        if (measured.completed() > 0 && !sustained(measured)) {
            problems.add("the filter did not sustain the load (" + shortfall(measured) + ")");
        }
        long lost = measured.errors() + measured.timeouts();
        if (lost > 0) {
            problems.add(
                    lost
                            + " of "
                            + (lost + measured.completed())
                            + " requests through the filter failed or timed out ("
                            + measured.errors()
                            + " errors, "
                            + measured.timeouts()
                            + " timeouts)");
        }
        List<String> log = new ArrayList<>();
        log.add("load: " + load.describe());
        // A latency judged on a busy machine should say so: the tail is then the neighbours'.
        log.add(
                String.format(
                        java.util.Locale.ROOT,
                        "machine: %d CPUs, load average %.2f after the run",
                        Runtime.getRuntime().availableProcessors(),
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                                .getSystemLoadAverage()));
        log.add("baseline (no-op filter), all rounds: " + base);
        log.add("filter, all rounds: " + measured);
        for (int i = 0; i < rounds.baseline().size(); i++) {
            log.add(
                    "round "
                            + (i + 1)
                            + ": baseline "
                            + limit.label()
                            + " "
                            + Budget.format(
                                    rounds.baseline().get(i).percentileMicros(limit.percentile()))
                            + ", filter "
                            + Budget.format(
                                    rounds.candidate()
                                            .get(i)
                                            .percentileMicros(limit.percentile())));
        }
        log.add(
                "baseline histogram (HdrHistogram, compressed, base64): "
                        + HistogramCodec.encode(base.histogram()));
        log.add(
                "filter histogram (HdrHistogram, compressed, base64): "
                        + HistogramCodec.encode(measured.histogram()));
        record(
                report,
                host,
                limit,
                problems.isEmpty() ? Outcome.PASS : Outcome.FAIL,
                started,
                problems.isEmpty()
                        ? null
                        : "on host " + hostId + ": " + String.join("; ", problems),
                actual,
                log);
    }

    /** At least 90% of the requests due in the measured time completed. */
    private boolean sustained(LoadResult r) {
        return r.completed() >= 0.9 * due();
    }

    /** Requests due in the measured time, from the settings (a round may end early). */
    private long due() {
        return Math.round(load.rate() * load.duration().toMillis() / 1000.0);
    }

    private String shortfall(LoadResult r) {
        return String.format(
                java.util.Locale.ROOT,
                "%d of %d requests due at %.0f/s completed",
                r.completed(),
                due(),
                load.rate());
    }

    /** Records every limit SKIPPED on this host with the reason (e.g. the smoke failed). */
    public void skip(HostPool.Slot slot, FilterRunReport report, String why) {
        skipAll(report, slot.info(), System.nanoTime(), why);
    }

    private void skipAll(FilterRunReport report, HostInfo host, long started, String why) {
        for (Budget.Limit limit : budget.limits()) {
            record(report, host, limit, Outcome.SKIPPED, started, why, null, List.of());
        }
    }

    private void record(
            FilterRunReport report,
            HostInfo host,
            Budget.Limit limit,
            Outcome outcome,
            long started,
            String message,
            String actual,
            List<String> log) {
        report.add(
                host,
                new CaseResult(
                        "budget." + limit.label(),
                        "the filter adds at most "
                                + Budget.format(limit.micros())
                                + " at "
                                + limit.label()
                                + " over a no-op filter on the same host",
                        "LatencyBudget",
                        List.of(),
                        List.of(),
                        "",
                        "LATENCY",
                        "wasm",
                        outcome,
                        (System.nanoTime() - started) / 1_000_000,
                        new Evidence("added " + limit.describe(), actual, message, null, log)));
    }

    /** The no-op baseline filter, compiled from its WAT source at run time. */
    static FilterSpec baselineSpec() throws IOException {
        try (InputStream in =
                LatencyGate.class.getResourceAsStream("/pwtck/gate/noop-baseline.wat")) {
            if (in == null) {
                throw new IOException("pwtck/gate/noop-baseline.wat is missing from the jar");
            }
            String wat = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return FilterSpec.of("pwtck-noop-baseline", "wat", Wat2Wasm.parse(wat), "");
        }
    }
}
