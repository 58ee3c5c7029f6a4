package org.pwtck.tck.author;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.pwtck.reports.model.CaseResult;
import org.pwtck.reports.model.CompatibilityReport;
import org.pwtck.reports.model.Outcome;
import org.pwtck.reports.model.ReportJson;
import org.pwtck.tck.http.TckRequest;

/**
 * Runs author-style test classes (nested below, not run by Surefire on their own) through the JUnit
 * Platform and checks what the extension made of them: one invocation per host, PASS and FAIL with
 * the host's name, SKIPPED (never passed) for a host that is not available, and the report.
 */
class FilterTestExtensionTest {
    static final String DIR = "target/author-extension-test";

    /** Adds {@code x-filtered: yes} to each request; the {@code TRAP} variant traps instead. */
    private static final String WAT =
            """
            (module
              (import "env" "proxy_add_header_map_value"
                (func $add (param i32 i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "x-filtered")
              (data (i32.const 32) "yes")
              (global $heap (mut i32) (i32.const 4096))
              (func (export "proxy_abi_version_0_2_1"))
              (func (export "proxy_on_memory_allocate") (param $n i32) (result i32) (local $p i32)
                global.get $heap local.set $p
                global.get $heap local.get $n i32.add global.set $heap local.get $p)
              (func (export "proxy_on_context_create") (param i32 i32))
              (func (export "proxy_on_vm_start") (param i32 i32) (result i32) i32.const 1)
              (func (export "proxy_on_configure") (param i32 i32) (result i32) i32.const 1)
              (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
                TRAP
                (drop (call $add (i32.const 0) (i32.const 16) (i32.const 10) (i32.const 32)
                                 (i32.const 3)))
                i32.const 0))
            """;

    @BeforeAll
    static void buildFilters() throws Exception {
        Files.createDirectories(Path.of(DIR));
        Files.write(Path.of(DIR, "adds-header.wasm"), Wat2Wasm.parse(WAT.replace("TRAP", "")));
        Files.write(Path.of(DIR, "traps.wasm"), Wat2Wasm.parse(WAT.replace("TRAP", "unreachable")));
    }

    @FilterTest(
            wasm = DIR + "/adds-header.wasm",
            hosts = {"reference", "envoy"})
    static class AddsHeaderBehaviour {
        @HostTest
        void addsTheHeaderUpstream(FilterUnderTest filter) throws Exception {
            filter.check(
                    ExpectedExchange.of(TckRequest.get("/headers"))
                            .expectStatus(200)
                            .expectUpstreamHeader("x-filtered", "yes"));
        }

        @HostTest
        void aWrongExpectationFails(FilterUnderTest filter) throws Exception {
            filter.check(
                    ExpectedExchange.of(TckRequest.get("/headers"))
                            .expectUpstreamHeader("x-filtered", "no"));
        }
    }

    @FilterTest(wasm = DIR + "/traps.wasm", hosts = "reference")
    static class TrapBehaviour {
        @HostTest
        void passesThrough(FilterUnderTest filter) throws Exception {
            filter.check(ExpectedExchange.of(TckRequest.get("/headers")).expectStatus(200));
        }
    }

    @FilterTest(wasm = DIR + "/no-such.wasm", hosts = "reference")
    static class MissingModule {
        @HostTest
        void anything(FilterUnderTest filter) {}
    }

    @Test
    void eachHostRunsAndTheReportSaysWhatHappened(@org.junit.jupiter.api.io.TempDir Path reports) {
        Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
        LauncherDiscoveryRequest request =
                LauncherDiscoveryRequestBuilder.request()
                        .selectors(
                                selectClass(AddsHeaderBehaviour.class),
                                selectClass(TrapBehaviour.class),
                                selectClass(MissingModule.class))
                        // Envoy made unavailable on purpose, whether or not it is installed here.
                        .configurationParameter(
                                "pwtck.envoy.bin", reports.resolve("none").toString())
                        .configurationParameter("pwtck.report.dir", reports.toString())
                        .build();
        LauncherFactory.create()
                .execute(
                        request,
                        new TestExecutionListener() {
                            @Override
                            public void executionFinished(
                                    TestIdentifier id, TestExecutionResult result) {
                                if (id.isTest()) {
                                    results.put(name(id), result);
                                }
                            }
                        });

        assertEquals(
                TestExecutionResult.Status.SUCCESSFUL,
                results.get("addsTheHeaderUpstream[reference]").getStatus(),
                results.toString());
        TestExecutionResult skipped = results.get("addsTheHeaderUpstream[envoy]");
        assertEquals(TestExecutionResult.Status.ABORTED, skipped.getStatus());
        assertTrue(message(skipped).contains("host envoy is not available"), message(skipped));
        TestExecutionResult wrong = results.get("aWrongExpectationFails[reference]");
        assertEquals(TestExecutionResult.Status.FAILED, wrong.getStatus());
        assertTrue(
                message(wrong).contains("on host reference: upstream got x-filtered: yes"),
                message(wrong));
        TestExecutionResult trap = results.get("passesThrough[reference]");
        assertEquals(TestExecutionResult.Status.FAILED, trap.getStatus());
        assertTrue(message(trap).contains("trapped in proxy_on_request_headers"), message(trap));
        TestExecutionResult missing = results.get("anything[reference]");
        assertEquals(TestExecutionResult.Status.FAILED, missing.getStatus());
        assertTrue(
                message(missing).contains("no-such.wasm is not a readable file"), message(missing));

        CompatibilityReport reference = read(reports.resolve("reference/report.json"));
        assertEquals(Outcome.PASS, outcome(reference, "AddsHeaderBehaviour.addsTheHeaderUpstream"));
        assertEquals(
                Outcome.FAIL, outcome(reference, "AddsHeaderBehaviour.aWrongExpectationFails"));
        assertEquals(Outcome.FAIL, outcome(reference, "TrapBehaviour.passesThrough"));
        CompatibilityReport envoy = read(reports.resolve("envoy/report.json"));
        assertTrue(
                envoy.results().stream().allMatch(r -> r.outcome() == Outcome.SKIPPED),
                envoy.results().toString());
        assertTrue(Files.exists(reports.resolve("reference/report.html")));
        assertTrue(Files.exists(reports.resolve("reference/junit.xml")));
    }

    private static String name(TestIdentifier id) {
        String unique = id.getUniqueId();
        String method = unique.replaceAll(".*\\[test-template:([a-zA-Z]+)\\(.*", "$1");
        return method + id.getDisplayName();
    }

    private static String message(TestExecutionResult r) {
        return r.getThrowable().map(Throwable::getMessage).orElse("(no message)");
    }

    private static CompatibilityReport read(Path file) {
        try {
            return ReportJson.read(file);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Outcome outcome(CompatibilityReport report, String caseId) {
        List<CaseResult> matching =
                report.results().stream().filter(r -> r.caseId().equals(caseId)).toList();
        assertEquals(1, matching.size(), caseId + " in " + report.results());
        return matching.get(0).outcome();
    }
}
