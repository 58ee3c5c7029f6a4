package org.pwtck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pwtck.reports.model.CaseResult;
import org.pwtck.reports.model.CompatibilityReport;
import org.pwtck.reports.model.Outcome;
import org.pwtck.reports.model.ReportJson;

/**
 * {@code pwtck gate} on the reference host (as {@code reference-proxy}), with a short, slow load so
 * the tests stay quick. Budgets are generous: no assertion depends on how fast this machine is,
 * only that a filter spinning {@link TestFilters#BUSY_MILLIS} ms per request exceeds a budget a
 * pass-through filter keeps.
 */
class GateCommandTest {
    private static final String BUDGET = "p99=250ms";

    @TempDir Path dir;

    private Cli gate(Path wasm, String budget) {
        return Cli.run(
                "gate",
                wasm.toString(),
                "--budget",
                budget,
                "--hosts",
                "reference",
                "--rate",
                "1",
                "--connections",
                "1",
                "--warmup",
                "1",
                "--duration",
                "3",
                "--report-dir",
                dir.resolve("report").toString());
    }

    @Test
    void aGoodFilterStaysWithinTheBudgetAndTheReportCarriesTheNumbers() throws Exception {
        Cli r = gate(TestFilters.good(dir), BUDGET + ",p50=250ms");

        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("reference-proxy  smoke        PASS"), r.all());
        assertTrue(r.out().contains("reference-proxy  budget.p99   PASS"), r.all());
        assertTrue(r.out().contains("reference-proxy  budget.p50   PASS"), r.all());
        CompatibilityReport report =
                ReportJson.read(dir.resolve("report/reference-proxy/report.json"));
        CaseResult p99 =
                report.results().stream()
                        .filter(c -> c.caseId().equals("budget.p99"))
                        .findFirst()
                        .orElseThrow();
        assertTrue(p99.evidence().actual().startsWith("added p99 "), p99.toString());
        String log = String.join("\n", p99.evidence().log());
        assertTrue(log.contains("baseline (no-op filter), all rounds: target 1/s"), log);
        assertTrue(log.contains("round 5: baseline p99 "), log);
        assertTrue(log.contains("filter histogram (HdrHistogram"), log);
    }

    @Test
    void aBusyLoopingFilterExceedsTheBudget() throws Exception {
        Cli r = gate(TestFilters.busyLoop(dir), BUDGET);

        assertEquals(1, r.exitCode(), r.all());
        assertTrue(
                r.out().contains("reference-proxy  smoke        PASS"),
                "it still works: " + r.all());
        assertTrue(r.out().contains("reference-proxy  budget.p99   FAIL"), r.all());
        assertTrue(
                r.out().contains("exceeds the budget p99 ≤ 250 ms")
                        || r.out().contains("exceeds the budget p99 ≤ 250.00 ms"),
                r.all());
    }

    @Test
    void aFilterThatTrapsFailsTheSmokeAndIsNotMeasured() throws Exception {
        Cli r = gate(TestFilters.trapsOnRequestHeaders(dir), BUDGET);

        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("reference-proxy  smoke        FAIL"), r.all());
        assertTrue(
                r.out().contains("budget.p99   SKIPPED not measured: the smoke behaviour failed"),
                r.all());
        assertEquals(
                Outcome.FAIL,
                ReportJson.read(dir.resolve("report/reference-proxy/report.json"))
                        .results()
                        .stream()
                        .filter(c -> c.caseId().equals("smoke"))
                        .findFirst()
                        .orElseThrow()
                        .outcome());
    }

    @Test
    void aFilterWithAMissingImportFailsToLoadNamingTheHost() throws Exception {
        Cli r = gate(TestFilters.missingImport(dir), BUDGET);

        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("failed to load on host reference-proxy"), r.all());
        assertTrue(r.out().contains("proxy_get_secret"), r.all());
    }

    @Test
    void aBudgetThatDoesNotParseIsExitTwoWithTheSyntax() throws Exception {
        Path good = TestFilters.good(dir);
        for (String bad : new String[] {"p99=2", "p99<2ms", "p42=2ms", "2ms", "p99=2ms,p99=3ms"}) {
            Cli r = gate(good, bad);
            assertEquals(2, r.exitCode(), bad + ": " + r.all());
            assertTrue(r.err().contains("--budget"), bad + ": " + r.all());
        }
        Cli r = gate(good, "p99=2");
        assertTrue(r.err().contains("accepted: pNN=<number><unit>"), r.all());
        assertTrue(r.err().contains("e.g. p99=2ms"), r.all());
    }
}
