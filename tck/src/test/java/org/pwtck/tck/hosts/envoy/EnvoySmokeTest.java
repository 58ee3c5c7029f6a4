package org.pwtck.tck.hosts.envoy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pwtck.tck.api.Deployment;
import org.pwtck.tck.api.DeploymentException;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.api.TckConfig;
import org.pwtck.tck.http.EchoBackend;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;
import org.pwtck.tck.wat.WatProbe;

/** A real Envoy, if one is installed: deploy, exchange, logs, refusal. Skipped without a binary. */
class EnvoySmokeTest {
    private static final TckConfig CONFIG = new TckConfig(k -> Optional.empty());
    private static EchoBackend echo;
    private static EnvoyHostUnderTest host;

    @BeforeAll
    static void start() throws Exception {
        try {
            EnvoyBinary.locate(CONFIG);
        } catch (EnvoyBinary.NotFoundException e) {
            Assumptions.abort("no Envoy binary, smoke test skipped: " + e.getMessage());
        }
        host = (EnvoyHostUnderTest) new EnvoyHostProvider().create(CONFIG);
        echo = new EchoBackend();
        host.start(echo);
        assertEquals("Envoy", host.info().name());
        assertTrue(host.info().version().startsWith("1."), host.info().version());
    }

    @AfterAll
    static void stop() throws Exception {
        if (host != null) {
            System.out.println("Envoy start-to-ready in the smoke test: " + host.readySummary());
            host.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    @Test
    void watProbeAnswersLocally() throws Exception {
        try (Deployment d = host.deploy(WatProbe.v021().body("i32.const 7").spec("smoke-local"))) {
            TckResponse r = d.exchange(TckRequest.get("/"));
            assertEquals(200, r.status(), r.toString());
            assertEquals(7, WatProbe.Window.of(r.body()).status());
            assertTrue(r.upstream().isEmpty(), "a local response never reaches the upstream");
        }
    }

    @Test
    void passThroughReachesTheEchoAndLogs() throws Exception {
        String wat =
                """
                (module
                  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
                  (memory (export "memory") 1)
                  (data (i32.const 16) "pwtck smoke hello")
                  (global $heap (mut i32) (i32.const 1024))
                  (func (export "proxy_on_memory_allocate") (param $n i32) (result i32) (local $p i32)
                    global.get $heap local.set $p
                    global.get $heap local.get $n i32.add global.set $heap
                    local.get $p)
                  (func (export "proxy_abi_version_0_2_1"))
                  (func (export "proxy_on_context_create") (param i32 i32))
                  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) i32.const 1)
                  (func (export "proxy_on_configure") (param i32 i32) (result i32) i32.const 1)
                  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
                    (drop (call $log (i32.const 2) (i32.const 16) (i32.const 17)))
                    i32.const 0))
                """;
        FilterSpec spec = FilterSpec.of("smoke-pass", "wat", Wat2Wasm.parse(wat), "");
        try (Deployment d = host.deploy(spec)) {
            TckResponse r =
                    d.exchange(TckRequest.get("/anything/smoke").withHeader("x-smoke", "1"));
            assertEquals(200, r.status(), r.toString());
            assertEquals("1", r.header("x-pwtck-echo").orElse(null), r.toString());
            var seen =
                    r.upstream().orElseThrow(() -> new AssertionError("upstream not seen: " + r));
            assertEquals("/anything/smoke", seen.path());
            assertEquals("1", seen.header("x-smoke").orElse(null));
            assertEquals(
                    org.pwtck.tck.http.ProxyExchange.AUTHORITY, seen.header("host").orElse(null));
            assertTrue(
                    d.logs().contains("INFO smoke-pass: pwtck smoke hello"),
                    "filter log: " + d.logs());
        }
    }

    @Test
    void aModuleEnvoyRefusesIsADeploymentExceptionWithEnvoysReason() {
        DeploymentException e =
                assertThrows(
                        DeploymentException.class,
                        () ->
                                host.deploy(
                                        FilterSpec.of(
                                                "not-wasm", "wat", "not wasm".getBytes(), "")));
        assertTrue(
                e.getMessage().startsWith("Envoy refused filter not-wasm: Envoy exited with code"),
                e.getMessage());
        assertTrue(e.getMessage().contains("not-wasm"), e.getMessage());
    }
}
