package org.pwtck.tck.author;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pwtck.reports.model.CaseResult;
import org.pwtck.reports.model.CompatibilityReport;
import org.pwtck.reports.model.FilterInfo;
import org.pwtck.reports.model.HostInfo;
import org.pwtck.reports.model.Outcome;
import org.pwtck.reports.model.Provenance;
import org.pwtck.tck.report.ReportWriter;
import org.pwtck.tck.report.RunProvenance;

/**
 * The results of a filter author's run (behaviour tests, smoke, latency budget), per host, written
 * in the TCK's format: {@code <dir>/<host>/report.json} ({@code pwtck.report/v1}), {@code
 * report.html} and {@code junit.xml}. Thread-safe.
 */
public final class FilterRunReport {
    private final String command;
    private final Instant startedAt = Instant.now();
    private final long startedNanos = System.nanoTime();
    private final List<FilterInfo> filters = new ArrayList<>();
    private final Map<String, HostInfo> hosts = new LinkedHashMap<>();
    private final Map<String, List<CaseResult>> results = new LinkedHashMap<>();

    /**
     * @param command how the run was started, for the report's provenance
     */
    public FilterRunReport(String command) {
        this.command = command;
    }

    public synchronized FilterRunReport addFilter(FilterInfo filter) {
        if (!filters.contains(filter)) {
            filters.add(filter);
        }
        return this;
    }

    public synchronized void add(HostInfo host, CaseResult result) {
        hosts.putIfAbsent(host.id(), host);
        results.computeIfAbsent(host.id(), k -> new ArrayList<>()).add(result);
    }

    /** Every host's results, in the order hosts were first seen. */
    public synchronized Map<String, List<CaseResult>> results() {
        Map<String, List<CaseResult>> copy = new LinkedHashMap<>();
        results.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    /** True when at least one result exists and none failed (skips do not count as passes). */
    public synchronized boolean passed() {
        List<CaseResult> all = results.values().stream().flatMap(List::stream).toList();
        return all.stream().anyMatch(r -> r.outcome() == Outcome.PASS)
                && all.stream()
                        .noneMatch(
                                r -> r.outcome() == Outcome.FAIL || r.outcome() == Outcome.XPASS);
    }

    public synchronized CompatibilityReport report(String hostId) {
        List<CaseResult> sorted = new ArrayList<>(results.getOrDefault(hostId, List.of()));
        sorted.sort(Comparator.comparing(CaseResult::caseId));
        return new CompatibilityReport(
                CompatibilityReport.SCHEMA_VERSION,
                hosts.get(hostId),
                provenance(),
                List.copyOf(filters),
                sorted);
    }

    /** Writes one report directory per host under {@code dir}; returns them by host id. */
    public synchronized Map<String, Path> write(Path dir) throws IOException {
        Map<String, Path> written = new LinkedHashMap<>();
        for (String host : hosts.keySet()) {
            written.put(host, ReportWriter.write(report(host), dir.resolve(host)));
        }
        return written;
    }

    private Provenance provenance() {
        return RunProvenance.of(command, startedAt, (System.nanoTime() - startedNanos) / 1_000_000);
    }
}
