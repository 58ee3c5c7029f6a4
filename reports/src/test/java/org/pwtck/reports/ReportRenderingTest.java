package org.pwtck.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pwtck.reports.model.CaseResult;
import org.pwtck.reports.model.CompatibilityReport;
import org.pwtck.reports.model.Evidence;
import org.pwtck.reports.model.FilterInfo;
import org.pwtck.reports.model.HostInfo;
import org.pwtck.reports.model.Outcome;
import org.pwtck.reports.model.Provenance;
import org.pwtck.reports.model.ReportJson;

class ReportRenderingTest {
    @TempDir Path dir;

    static CompatibilityReport report(String host, Outcome sizeOutcome) {
        return new CompatibilityReport(
                CompatibilityReport.SCHEMA_VERSION,
                new HostInfo(host, host + " name", "1.0", "engine", Map.of("k", "v")),
                new Provenance(
                        "0.1.0",
                        "abc",
                        "jdk",
                        "linux",
                        "amd64",
                        2,
                        "2026-11-21T00:00:00Z",
                        1234,
                        "mvn test -Ptck"),
                List.of(new FilterInfo("rust", "probe", "ff", "rustc", "proxy-wasm 0.2.5")),
                List.of(
                        result("HeaderMapSize", "rust", sizeOutcome, "expected <b>&"),
                        result("LogLevels", "rust", Outcome.PASS, null),
                        result("GrpcHappy", "go", Outcome.NOT_SUPPORTED, "no gRPC")));
    }

    static CaseResult result(String id, String lang, Outcome o, String message) {
        return new CaseResult(
                id,
                "does " + id,
                "Area",
                List.of("proxy_x"),
                List.of("HTTP_HEADERS"),
                "ABI.md §2.4",
                "HTTP_FILTER",
                lang,
                o,
                5,
                new Evidence("1", "2", message, null, List.of("log line")));
    }

    @Test
    void jsonRoundTripsAndRefusesOtherSchemas() throws IOException {
        CompatibilityReport r = report("reference", Outcome.PASS);
        Path f = dir.resolve("report.json");
        ReportJson.write(r, f);
        assertEquals(r, ReportJson.read(f));
        Files.writeString(f, Files.readString(f).replace("pwtck.report/v1", "pwtck.report/v9"));
        IOException e = assertThrows(IOException.class, () -> ReportJson.read(f));
        assertTrue(e.getMessage().contains("schema version pwtck.report/v9"), e.getMessage());
        Files.writeString(f, "not json");
        IOException e2 = assertThrows(IOException.class, () -> ReportJson.read(f));
        assertTrue(e2.getMessage().startsWith(f + ": not a pwtck report"), e2.getMessage());
    }

    @Test
    void htmlEscapesEvidenceAndLinksCellsToEvidence() {
        String html = HtmlReport.render(report("reference", Outcome.FAIL));
        assertTrue(html.contains("expected &lt;b&gt;&amp;"), "evidence must be escaped");
        assertFalse(html.contains("expected <b>&"));
        assertTrue(html.contains("href=\"#HeaderMapSize-rust\""));
        assertTrue(html.contains("id=\"HeaderMapSize-rust\""));
        assertTrue(html.contains("<b>red</b>"), "a FAIL makes the run red");
    }

    @Test
    void junitXmlCountsFailuresAndSkips() {
        String xml = JUnitXmlReport.render(report("reference", Outcome.FAIL));
        assertTrue(xml.contains("tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""), xml);
        assertTrue(xml.contains("<skipped message=\"NOT_SUPPORTED: no gRPC\"/>"), xml);
    }

    @Test
    void differencesListOnlyCasesWhoseOutcomesDiffer() {
        var runs =
                List.of(
                        new SideBySideReport.Run(
                                report("reference", Outcome.PASS), "reference/report.html"),
                        new SideBySideReport.Run(
                                report("envoy", Outcome.XFAIL), "envoy/report.html"));
        var diffs = SideBySideReport.differences(runs);
        assertEquals(1, diffs.size());
        assertEquals("HeaderMapSize", diffs.get(0).caseId());
        String index = SideBySideReport.index(runs);
        assertTrue(index.contains("1 host differences"));
        assertTrue(index.contains("envoy/report.html#HeaderMapSize-rust"));
        assertTrue(SideBySideReport.differencesPage(runs).contains("HeaderMapSize [rust]"));
    }

    @Test
    void mergeCommandWritesPagesAndRejectsBadInput() throws IOException {
        Path a = dir.resolve("a/report.json");
        Path b = dir.resolve("b/report.json");
        ReportJson.write(report("reference", Outcome.PASS), a);
        ReportJson.write(report("envoy", Outcome.FAIL), b);
        int code =
                new picocli.CommandLine(new ReportsCli())
                        .execute(
                                "merge",
                                "--out",
                                dir.resolve("out").toString(),
                                a.toString(),
                                b.toString());
        assertEquals(0, code);
        assertTrue(Files.readString(dir.resolve("out/index.html")).contains("envoy name"));
        assertTrue(Files.exists(dir.resolve("out/differences.html")));
        assertTrue(Files.exists(dir.resolve("a/report.html")));
    }
}
