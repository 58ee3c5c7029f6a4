package org.pwtck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pwtck.reports.model.CaseResult;
import org.pwtck.reports.model.CompatibilityReport;
import org.pwtck.reports.model.Outcome;
import org.pwtck.reports.model.ReportJson;

/** {@code pwtck test} on the in-process reference host (fast, no sockets to the filter). */
class TestCommandTest {
    @TempDir Path dir;

    private Cli test(Path wasm, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "test";
        args[1] = wasm.toString();
        args[2] = "--report-dir";
        args[3] = dir.resolve("report").toString();
        System.arraycopy(more, 0, args, 4, more.length);
        return Cli.run(args);
    }

    @Test
    void aGoodFilterPassesThroughAndTheReportSaysSo() throws Exception {
        Cli r = test(TestFilters.good(dir), "--hosts", "reference");

        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("reference        smoke        PASS"), r.all());
        Path reportDir = dir.resolve("report/reference");
        CompatibilityReport report = ReportJson.read(reportDir.resolve("report.json"));
        assertEquals(CompatibilityReport.SCHEMA_VERSION, report.schemaVersion());
        CaseResult smoke = report.results().get(0);
        assertEquals(Outcome.PASS, smoke.outcome());
        assertTrue(smoke.hostCalls().contains("proxy_add_header_map_value"), smoke.toString());
        // the filter's header reached the upstream, as the transcript shows
        assertTrue(
                String.join("\n", smoke.evidence().log()).contains("X-Pwtck-Gated"),
                smoke.evidence().log().toString());
        assertTrue(Files.readString(reportDir.resolve("report.html")).contains("smoke"));
        assertTrue(Files.readString(reportDir.resolve("junit.xml")).contains("smoke"));
    }

    @Test
    void aFilterThatTrapsOnRequestHeadersFailsWithTheTrap() throws Exception {
        Cli r = test(TestFilters.trapsOnRequestHeaders(dir), "--hosts", "reference");

        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("reference        smoke        FAIL"), r.all());
        assertTrue(r.out().contains("trapped in proxy_on_request_headers"), r.all());
        assertTrue(r.out().contains("the upstream never saw the request"), r.all());
        CompatibilityReport report = ReportJson.read(dir.resolve("report/reference/report.json"));
        assertEquals(Outcome.FAIL, report.results().get(0).outcome());
    }

    @Test
    void aFilterWithAnImportTheHostLacksFailsToLoadNamingHostAndImport() throws Exception {
        Cli r = test(TestFilters.missingImport(dir), "--hosts", "reference");

        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("failed to load on host reference"), r.all());
        assertTrue(r.out().contains("env.proxy_get_secret"), r.all());
    }

    @Test
    void aFilterWhoseOnConfigureReturnsFalseFailsToLoad() throws Exception {
        Cli r = test(TestFilters.refusesConfiguration(dir), "--hosts", "reference");

        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("failed to load on host reference"), r.all());
        assertTrue(r.out().contains("on_configure"), r.all());
    }

    @Test
    void aFilterWithoutAbiMarkerFailsToLoadNamingTheMarker() throws Exception {
        Cli r = test(TestFilters.noAbiMarker(dir), "--hosts", "reference");

        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("failed to load on host reference"), r.all());
        assertTrue(r.out().contains("ABI marker"), r.all());
    }

    @Test
    void anExpectedLocalResponseThatIsNotSentFails() throws Exception {
        Cli r = test(TestFilters.good(dir), "--hosts", "reference", "--expect-status", "403");

        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("client got status 200"), r.all());
        assertTrue(r.out().contains("the upstream saw the request"), r.all());
    }

    @Test
    void anUnavailableHostIsSkippedWithTheReasonNeverPassed() throws Exception {
        Path good = TestFilters.good(dir);
        String old = System.getProperty("pwtck.envoy.bin");
        System.setProperty("pwtck.envoy.bin", dir.resolve("no-envoy-here").toString());
        try {
            Cli both = test(good, "--hosts", "reference,envoy");
            Cli strict = test(good, "--hosts", "reference,envoy", "--require-all-hosts");
            Cli onlyEnvoy = test(good, "--hosts", "envoy");

            assertEquals(0, both.exitCode(), both.all());
            assertTrue(both.out().contains("envoy            smoke        SKIPPED"), both.all());
            assertTrue(both.out().contains("host envoy is not available"), both.all());
            assertTrue(both.out().contains("PASSED (some hosts skipped"), both.all());
            CompatibilityReport envoy = ReportJson.read(dir.resolve("report/envoy/report.json"));
            assertEquals(Outcome.SKIPPED, envoy.results().get(0).outcome());

            assertEquals(1, strict.exitCode(), strict.all());
            assertEquals(1, onlyEnvoy.exitCode(), onlyEnvoy.all());
            assertTrue(onlyEnvoy.out().contains("no host was available"), onlyEnvoy.all());
        } finally {
            if (old == null) {
                System.clearProperty("pwtck.envoy.bin");
            } else {
                System.setProperty("pwtck.envoy.bin", old);
            }
        }
    }

    /** Envoy's own reasons reach the output too; runs only where Envoy is installed. */
    @Test
    void onEnvoyTheFailuresCarryEnvoysReasons() throws Exception {
        try (org.pwtck.tck.author.HostPool pool =
                org.pwtck.tck.author.HostPool.fromSystemProperties()) {
            org.junit.jupiter.api.Assumptions.assumeTrue(
                    pool.get("envoy").unavailable().isEmpty(),
                    () -> pool.get("envoy").unavailable().get());
        }

        Cli trap = test(TestFilters.trapsOnRequestHeaders(dir), "--hosts", "envoy");
        Cli missing = test(TestFilters.missingImport(dir), "--hosts", "envoy");

        assertEquals(1, trap.exitCode(), trap.all());
        assertTrue(trap.out().contains("envoy            smoke        FAIL"), trap.all());
        assertTrue(trap.out().contains("proxy_on_request_headers failed"), trap.all());
        assertEquals(1, missing.exitCode(), missing.all());
        assertTrue(missing.out().contains("failed to load on host envoy"), missing.all());
        assertTrue(missing.out().contains("missing import: env.proxy_get_secret"), missing.all());
    }

    @Test
    void badInputIsExitTwoWithTheReason() throws Exception {
        Path good = TestFilters.good(dir);
        Path notWasm = Files.writeString(dir.resolve("x.wasm"), "hello");

        Cli host = test(good, "--hosts", "nginx");
        Cli wasm = test(notWasm, "--hosts", "reference");
        Cli config =
                test(good, "--hosts", "reference", "--config", dir.resolve("no.json").toString());
        Cli header = test(good, "--hosts", "reference", "--header", "no-colon");

        assertEquals(2, host.exitCode(), host.all());
        assertTrue(host.err().contains("unknown host \"nginx\"; known:"), host.all());
        assertEquals(2, wasm.exitCode(), wasm.all());
        assertTrue(wasm.err().contains("not a WebAssembly module"), wasm.all());
        assertEquals(2, config.exitCode(), config.all());
        assertTrue(config.err().contains("cannot read the --config: no such file"), config.all());
        assertEquals(2, header.exitCode(), header.all());
        assertTrue(header.err().contains("expected NAME:VALUE"), header.all());
    }
}
