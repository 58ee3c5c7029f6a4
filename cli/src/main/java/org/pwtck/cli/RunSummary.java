package org.pwtck.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pwtck.reports.model.CaseResult;
import org.pwtck.reports.model.Outcome;
import org.pwtck.tck.author.FilterRunReport;

/**
 * The end of a {@code test} or {@code gate} run: every result on one line, the reports written, and
 * the exit code. Skips are never passes: a run where no host ran fails, and with {@code
 * --require-all-hosts} any skip fails.
 */
final class RunSummary {
    private RunSummary() {}

    static int finish(
            FilterRunReport report, Path reportDir, boolean requireAllHosts, PrintWriter out)
            throws BadInputException {
        Map<String, List<CaseResult>> results = report.results();
        boolean anySkipped = false;
        for (Map.Entry<String, List<CaseResult>> host : results.entrySet()) {
            for (CaseResult r : host.getValue()) {
                anySkipped |= r.outcome() == Outcome.SKIPPED;
                out.printf(
                        Locale.ROOT,
                        "%-16s %-12s %-7s %s%n",
                        host.getKey(),
                        r.caseId(),
                        r.outcome(),
                        line(r));
            }
        }
        Map<String, Path> written;
        try {
            written = report.write(reportDir);
        } catch (IOException e) {
            throw new BadInputException(
                    reportDir + ": cannot write the reports: " + e.getMessage(), e);
        }
        written.forEach((host, dir) -> out.println("report: " + dir.resolve("report.html")));
        int code;
        if (!report.passed()) {
            boolean anyFailed =
                    results.values().stream()
                            .flatMap(List::stream)
                            .anyMatch(r -> r.outcome() == Outcome.FAIL);
            out.println(
                    anyFailed ? "FAILED" : "FAILED: no host was available, so nothing was tested");
            code = Main.FAILED;
        } else if (anySkipped && requireAllHosts) {
            out.println("FAILED: a host was skipped and --require-all-hosts is set");
            code = Main.FAILED;
        } else {
            out.println(anySkipped ? "PASSED (some hosts skipped, see above)" : "PASSED");
            code = Main.OK;
        }
        out.flush();
        return code;
    }

    private static String line(CaseResult r) {
        if (r.evidence().message() != null) {
            return r.evidence().message();
        }
        return r.evidence().actual() != null ? r.evidence().actual() : r.description();
    }
}
