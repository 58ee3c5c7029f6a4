package org.pwtck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pwtck.reports.model.CaseResult;
import org.pwtck.reports.model.CompatibilityReport;
import org.pwtck.reports.model.Evidence;
import org.pwtck.reports.model.HostInfo;
import org.pwtck.reports.model.Outcome;
import org.pwtck.reports.model.Provenance;
import org.pwtck.reports.model.ReportJson;

class CheckCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void aGoodFilterIsCompatibleWithEveryPublishedHost() throws Exception {
        Cli r = Cli.run("check", TestFilters.good(dir).toString());

        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("abi       0.2.1"), r.all());
        assertTrue(r.out().contains("env.proxy_add_header_map_value"), r.all());
        // the packaged reports: both published hosts are columns of the table
        assertTrue(
                r.out().contains("envoy-1.40.0") && r.out().contains("reference-0.1.0"), r.all());
        assertTrue(r.out().contains("COMPATIBLE with"), r.all());
    }

    @Test
    void jsonListsImportsExportsMemoryAndPerHostSupport() throws Exception {
        Cli r =
                Cli.run(
                        "check",
                        TestFilters.good(dir).toString(),
                        "--format",
                        "json",
                        "--hosts",
                        "reference");

        assertEquals(0, r.exitCode(), r.all());
        JsonNode json = JSON.readTree(r.out());
        assertTrue(json.get("compatible").asBoolean());
        assertEquals("0.2.1", json.get("abiVersion").asText());
        assertEquals(2, json.get("memory").get("initialPages").asInt());
        assertEquals(List.of("reference-0.1.0"), JSON.convertValue(json.get("hosts"), List.class));
        JsonNode add = json.get("imports").get(0);
        assertEquals("proxy_add_header_map_value", add.get("name").asText());
        assertEquals("proxy-wasm", add.get("origin").asText());
        JsonNode support = add.get("hosts").get("reference-0.1.0");
        assertEquals("SUPPORTED", support.get("status").asText());
        assertFalse(support.get("cases").isEmpty(), "names the passing cases");
        assertTrue(json.get("exports").toString().contains("proxy_on_request_headers"));
    }

    @Test
    void anImportNoAbiHasIsIncompatibleAndNamed() throws Exception {
        Cli r = Cli.run("check", TestFilters.missingImport(dir).toString());

        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("pwtck/unknown-import"), r.all());
        assertTrue(r.out().contains("env.proxy_get_secret"), r.all());
        assertTrue(r.out().contains("the reference host refuses the module"), r.all());
        assertTrue(r.out().contains("INCOMPATIBLE"), r.all());
    }

    @Test
    void anImportAHostReportsNotSupportedIsFlaggedWithTheCaseId() throws Exception {
        Path reports = dir.resolve("reports");
        publish(reports, "acme", "2.0", Outcome.NOT_SUPPORTED);
        publish(reports, "other", "1.0", Outcome.PASS);

        Cli r =
                Cli.run(
                        "check",
                        TestFilters.good(dir).toString(),
                        "--reports",
                        reports.toString(),
                        "--format",
                        "json");

        assertEquals(1, r.exitCode(), r.all());
        JsonNode json = JSON.readTree(r.out());
        JsonNode finding = json.get("findings").get(0);
        assertEquals("pwtck/unsupported-import", finding.get("ruleId").asText());
        assertEquals("acme-2.0", finding.get("host").asText());
        assertEquals("env.proxy_add_header_map_value", finding.get("importName").asText());
        assertEquals("AddHeader [rust]", finding.get("cases").get(0).asText());
        assertEquals(1, json.get("findings").size(), "the other host supports it");

        Cli onlyOther =
                Cli.run(
                        "check",
                        TestFilters.good(dir).toString(),
                        "--reports",
                        reports.toString(),
                        "--hosts",
                        "other");
        assertEquals(0, onlyOther.exitCode(), onlyOther.all());
    }

    @Test
    void aFailingCaseMakesTheImportFailAndAKnownDeviationOnlyWarns() throws Exception {
        Path reports = dir.resolve("reports");
        publish(reports, "failing", "1.0", Outcome.FAIL);
        publish(reports, "deviating", "1.0", Outcome.XFAIL);

        Cli failing =
                Cli.run(
                        "check",
                        TestFilters.good(dir).toString(),
                        "--reports",
                        reports.toString(),
                        "--hosts",
                        "failing");
        Cli deviating =
                Cli.run(
                        "check",
                        TestFilters.good(dir).toString(),
                        "--reports",
                        reports.toString(),
                        "--hosts",
                        "deviating");

        assertEquals(1, failing.exitCode(), failing.all());
        assertTrue(failing.out().contains("pwtck/failing-import"), failing.all());
        assertTrue(failing.out().contains("AddHeader [rust]"), failing.all());
        assertEquals(0, deviating.exitCode(), deviating.all());
        assertTrue(deviating.out().contains("warning  pwtck/known-deviation"), deviating.all());
    }

    @Test
    void sarifHasOneResultPerFindingWithRuleIdsAndTheWasmFileAsLocation() throws Exception {
        Path wasm = TestFilters.missingImport(dir);
        Path out = dir.resolve("out/check.sarif");

        Cli r =
                Cli.run(
                        "check",
                        wasm.toString(),
                        "--hosts",
                        "reference",
                        "--format",
                        "sarif",
                        "--out",
                        out.toString());

        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("pwtck/unknown-import"), "the table for people: " + r.all());
        assertTrue(r.out().contains("INCOMPATIBLE: " + wasm), r.all());
        JsonNode sarif = JSON.readTree(Files.readString(out));
        assertEquals("2.1.0", sarif.get("version").asText());
        JsonNode run = sarif.get("runs").get(0);
        assertEquals("pwtck", run.get("tool").get("driver").get("name").asText());
        JsonNode results = run.get("results");
        assertEquals(2, results.size(), results.toString());
        assertEquals("pwtck/unknown-import", results.get(0).get("ruleId").asText());
        assertEquals("error", results.get(0).get("level").asText());
        assertEquals("pwtck/load-refused", results.get(1).get("ruleId").asText());
        assertEquals(
                wasm.toString(),
                results.get(0)
                        .get("locations")
                        .get(0)
                        .get("physicalLocation")
                        .get("artifactLocation")
                        .get("uri")
                        .asText());
        assertTrue(
                run.get("tool")
                        .get("driver")
                        .get("rules")
                        .toString()
                        .contains("pwtck/unsupported-import"),
                "every rule is declared");
    }

    @Test
    void aModuleWithoutAbiMarkerIsIncompatible() throws Exception {
        Cli r = Cli.run("check", TestFilters.noAbiMarker(dir).toString(), "--hosts", "envoy");

        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("pwtck/abi-marker"), r.all());
        assertTrue(r.out().contains("exports no ABI marker"), r.all());
    }

    @Test
    void notAWasmFileIsBadInput() throws Exception {
        Path text = Files.writeString(dir.resolve("filter.wasm"), "this is not wasm");

        Cli r = Cli.run("check", text.toString());

        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains(text + ": not a WebAssembly module"), r.all());
    }

    @Test
    void aTruncatedModuleIsBadInput() throws Exception {
        byte[] good = Files.readAllBytes(TestFilters.good(dir));
        Path cut = Files.write(dir.resolve("cut.wasm"), java.util.Arrays.copyOf(good, 40));

        Cli r = Cli.run("check", cut.toString());

        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains(cut + ": not a valid WebAssembly module"), r.all());
    }

    @Test
    void aMissingOrUnreadableFileIsBadInput() {
        Cli missing = Cli.run("check", dir.resolve("nope.wasm").toString());
        // A directory stands in for an unreadable file: tests may run as root, who reads any file.
        Cli directory = Cli.run("check", dir.toString());

        assertEquals(2, missing.exitCode(), missing.all());
        assertTrue(
                missing.err().contains("nope.wasm: cannot read the filter module: no such file"),
                missing.all());
        assertEquals(2, directory.exitCode(), directory.all());
        assertTrue(directory.err().contains("it is a directory"), directory.all());
    }

    @Test
    void anUnknownHostOrFormatIsBadInput() throws Exception {
        Path good = TestFilters.good(dir);

        Cli host = Cli.run("check", good.toString(), "--hosts", "nginx");
        Cli format = Cli.run("check", good.toString(), "--format", "xml");

        assertEquals(2, host.exitCode(), host.all());
        assertTrue(host.err().contains("unknown host \"nginx\""), host.all());
        assertTrue(host.err().contains("envoy-1.40.0"), "lists the known hosts: " + host.all());
        assertEquals(2, format.exitCode(), format.all());
        assertTrue(format.err().contains("\"xml\" is not table, json or sarif"), format.all());
    }

    @Test
    void aHostVersionPrefixSelectsThatVersion() throws Exception {
        Cli r =
                Cli.run(
                        "check",
                        TestFilters.good(dir).toString(),
                        "--hosts",
                        "envoy-1.40",
                        "--format",
                        "json");

        assertEquals(0, r.exitCode(), r.all());
        assertEquals(
                List.of("envoy-1.40.0"),
                JSON.convertValue(JSON.readTree(r.out()).get("hosts"), List.class));
    }

    /** A one-case report in which the host call the good filter imports has {@code outcome}. */
    private static void publish(Path reports, String host, String version, Outcome outcome)
            throws Exception {
        CompatibilityReport report =
                new CompatibilityReport(
                        CompatibilityReport.SCHEMA_VERSION,
                        new HostInfo(host, host, version, "test", Map.of()),
                        new Provenance("t", "t", "t", "t", "t", 1, "t", 0, "t"),
                        List.of(),
                        List.of(
                                new CaseResult(
                                        "AddHeader",
                                        "add a header",
                                        "HeaderMap",
                                        List.of("proxy_add_header_map_value"),
                                        List.of("HTTP_HEADERS"),
                                        "",
                                        "HTTP_FILTER",
                                        "rust",
                                        outcome,
                                        1,
                                        Evidence.none())));
        ReportJson.write(report, reports.resolve(host).resolve(version).resolve("report.json"));
    }
}
