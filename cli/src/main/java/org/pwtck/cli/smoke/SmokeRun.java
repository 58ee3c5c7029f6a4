package org.pwtck.cli.smoke;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pwtck.cli.FilterInput;
import org.pwtck.reports.model.CaseResult;
import org.pwtck.reports.model.Evidence;
import org.pwtck.reports.model.FilterInfo;
import org.pwtck.reports.model.HostInfo;
import org.pwtck.reports.model.Outcome;
import org.pwtck.tck.api.Deployment;
import org.pwtck.tck.api.DeploymentException;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.author.ExpectedExchange;
import org.pwtck.tck.author.FilterRunReport;
import org.pwtck.tck.author.HostPool;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;

/**
 * The smoke behaviour, with no test code: on each host, load and configure the filter, send one
 * request, and check that it passes through to the upstream (status 200), or that the filter
 * answers it locally with the expected status. Each host gets one result: PASS, FAIL with the
 * reason (a refusal names the host and why: missing import, bad ABI marker, {@code on_configure}
 * returned false…), or SKIPPED when the host is not available here.
 */
public final class SmokeRun {
    public static final String CASE_ID = "smoke";

    private final FilterInput filter;
    private final TckRequest request;
    private final Optional<Integer> expectStatus;

    public SmokeRun(FilterInput filter, TckRequest request, Optional<Integer> expectStatus) {
        this.filter = filter;
        this.request = request;
        this.expectStatus = expectStatus;
    }

    /** The deployable form of the filter, under its file name. */
    public static FilterSpec spec(FilterInput filter) {
        return FilterSpec.of(filter.name(), "wasm", filter.wasm(), filter.config());
    }

    public static FilterInfo info(FilterInput filter) {
        return new FilterInfo(
                "wasm", filter.name(), filter.inspection().sha256(), "unknown", "unknown");
    }

    ExpectedExchange expected() {
        ExpectedExchange e = ExpectedExchange.of(request);
        int status = expectStatus.orElse(200);
        e.expectStatus(status);
        return status == 200 ? e.expectForwarded() : e.expectNotForwarded();
    }

    /** Runs the smoke exchange on one host and records its result; returns its outcome. */
    public Outcome run(HostPool.Slot slot, FilterRunReport report) {
        long started = System.nanoTime();
        HostInfo host = slot.info();
        List<String> log = new ArrayList<>();
        Outcome outcome;
        String message;
        if (slot.unavailable().isPresent()) {
            outcome = Outcome.SKIPPED;
            message = slot.unavailable().get();
        } else {
            try (Deployment d = slot.host().orElseThrow().deploy(spec(filter))) {
                TckResponse response = d.exchange(request);
                log.add("> " + request.method() + " " + request.path() + " " + request.headers());
                log.add("< " + response);
                List<String> hostLog = d.logs();
                log.addAll(hostLog.subList(Math.max(0, hostLog.size() - 30), hostLog.size()));
                List<String> problems = expected().problems(response);
                outcome = problems.isEmpty() ? Outcome.PASS : Outcome.FAIL;
                message =
                        problems.isEmpty()
                                ? null
                                : "on host "
                                        + slot.id()
                                        + ": "
                                        + String.join("; ", problems)
                                        + failureHint(d);
            } catch (DeploymentException e) {
                outcome = Outcome.FAIL;
                message =
                        "filter "
                                + filter.name()
                                + " failed to load on host "
                                + slot.id()
                                + ": "
                                + e.getMessage();
            } catch (Exception e) {
                outcome = Outcome.FAIL;
                message = "on host " + slot.id() + ": the exchange failed: " + e;
            }
        }
        record(report, host, outcome, started, message, log);
        return outcome;
    }

    /** The host's last error line (a trap, a failed callback), which says why more than a 500. */
    private static String failureHint(Deployment d) {
        List<String> logs = d.logs();
        for (int i = logs.size() - 1; i >= 0; i--) {
            String line = logs.get(i);
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("trap") || lower.contains("fail") || lower.contains("error")) {
                return " (host log: " + line.strip() + ")";
            }
        }
        return "";
    }

    private void record(
            FilterRunReport report,
            HostInfo host,
            Outcome outcome,
            long started,
            String message,
            List<String> log) {
        report.addFilter(info(filter));
        report.add(
                host,
                new CaseResult(
                        CASE_ID,
                        "load, configure, send "
                                + request.method()
                                + " "
                                + request.path()
                                + ": "
                                + (expectStatus.orElse(200) == 200
                                        ? "it passes through"
                                        : "the filter answers " + expectStatus.get()),
                        "Smoke",
                        filter.inspection().imports().stream()
                                .filter(i -> i.kind().equals("function"))
                                .map(i -> i.module().equals("env") ? i.name() : i.qualifiedName())
                                .toList(),
                        List.of(),
                        "",
                        "FILTER_BEHAVIOUR",
                        "wasm",
                        outcome,
                        (System.nanoTime() - started) / 1_000_000,
                        new Evidence(
                                expected().describe(), null, message, null, List.copyOf(log))));
    }
}
