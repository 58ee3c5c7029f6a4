package org.pwtck.host.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.testing.Wat;

/**
 * Broken filters: a trap, a loop past the callback deadline, memory exhaustion, a pause that never
 * ends, and clients that go away. One worker, so every request meets the same VMs.
 */
@Timeout(60)
class ServerFailureTest {
    @TempDir Path dir;
    EchoUpstream upstream;
    ServerFixture proxy;

    static String headersCallback(String body) {
        return Wat.module(
                AbiVersion.V0_2_1,
                "  (func (export \"proxy_on_request_headers\") (param i32 i32 i32) (result i32)\n"
                        + body
                        + ")\n");
    }

    @BeforeEach
    void start() throws Exception {
        upstream = new EchoUpstream();
        String trap = ServerFixture.wat(dir, "trap", headersCallback("unreachable"));
        String loop =
                ServerFixture.wat(dir, "loop", headersCallback("(loop $l (br $l)) i32.const 0"));
        String oom =
                ServerFixture.wat(
                        dir,
                        "oom",
                        headersCallback(
                                "(loop $l (br_if $l (i32.ne (memory.grow (i32.const 1))"
                                        + " (i32.const -1)))) unreachable"));
        String hold = ServerFixture.wat(dir, "hold", headersCallback("i32.const 1"));
        String yaml =
                """
                listeners: [{name: main, port: 0}]
                workers: 1
                limits: {callbackDeadline: 300ms, pausedStreamTimeout: 400ms}
                clusters:
                  echo: {endpoints: ["%s"]}
                filters:
                  trap: {path: %s}
                  trapopen: {path: %s, failPolicy: open}
                  loop: {path: %s}
                  oom: {path: %s, maxMemoryPages: 8}
                  hold: {path: %s}
                  headers: {path: %s, config: {response: {add: {x-ok: "1"}}}}
                routes:
                  - {name: trap, prefix: /trap, cluster: echo, filters: [trap, headers]}
                  - {name: open, prefix: /open, cluster: echo, filters: [trapopen, headers]}
                  - {name: loop, prefix: /loop, cluster: echo, filters: [loop]}
                  - {name: oom, prefix: /oom, cluster: echo, filters: [oom]}
                  - {name: hold, prefix: /hold, cluster: echo, filters: [hold]}
                  - {name: ok, prefix: /, cluster: echo, filters: [headers]}
                """
                        .formatted(
                                upstream.endpoint(),
                                trap,
                                trap,
                                loop,
                                oom,
                                hold,
                                ServerFixture.rust("headers"));
        proxy = ServerFixture.start(dir, yaml);
    }

    @AfterEach
    void close() {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private void assertOthersUnaffected() throws Exception {
        HttpResponse<String> ok = proxy.get("/fine");
        assertEquals(200, ok.statusCode());
        assertEquals("1", ok.headers().firstValue("x-ok").orElseThrow());
    }

    @Test
    void trapFailsClosedWith503AndTheVmIsReplaced() throws Exception {
        HttpResponse<String> r = proxy.get("/trap");
        assertEquals(503, r.statusCode());
        assertEquals("trap", r.headers().firstValue("x-pwtck-error-source").orElseThrow());
        assertTrue(r.body().contains("filter trap failed"), r.body());
        assertEquals(1, proxy.counter("filter.trap.failures"));
        assertEquals(1, proxy.counter("filter.trap.fail_closed"));
        assertOthersUnaffected();
        // the next requests get a new VM (after a short back-off), which traps again
        assertTrue(
                ServerFixture.eventually(
                        () -> {
                            try {
                                proxy.get("/trap");
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            return proxy.counter("filter.trap.vm_replaced") >= 1;
                        }));
        assertTrue(proxy.counter("filter.trap.failures") >= 2);
        JsonNode stats = proxy.adminJson("/stats");
        assertTrue(stats.get("counters").get("filter.trap.failures").asLong() >= 2);
        assertOthersUnaffected();
    }

    @Test
    void trapFailsOpenBySkippingTheFilter() throws Exception {
        HttpResponse<String> r = proxy.get("/open/x");
        assertEquals(200, r.statusCode());
        assertEquals(
                "1", r.headers().firstValue("x-ok").orElseThrow(), "the next filter still ran");
        assertTrue(r.body().contains("\"path\":\"/open/x\""), r.body());
        assertEquals(1, proxy.counter("filter.trapopen.fail_open"));
        assertEquals(1, proxy.counter("filter.trapopen.failures"));
    }

    @Test
    void aStartUpLongerThanTheCallbackDeadlineIsNotCut() throws Exception {
        // on_configure spins for 600 ms of wall time, twice the callback deadline: start-up runs
        // under the (longer) start deadline, so the filter starts and serves
        String slow =
                ServerFixture.wat(
                        dir,
                        "slowstart",
                        Wat.module(
                                AbiVersion.V0_2_1,
                                """
                                  (import "env" "proxy_get_current_time_nanoseconds"
                                    (func $now (param i32) (result i32)))
                                  (func (export "proxy_on_configure") (param i32 i32) (result i32)
                                    (local $start i64)
                                    (drop (call $now (i32.const 8)))
                                    (local.set $start (i64.load (i32.const 8)))
                                    (loop $l
                                      (drop (call $now (i32.const 8)))
                                      (br_if $l (i64.lt_u
                                        (i64.sub (i64.load (i32.const 8)) (local.get $start))
                                        (i64.const 600000000))))
                                    i32.const 1)
                                  (func (export "proxy_on_request_headers")
                                    (param i32 i32 i32) (result i32) i32.const 0)
                                """));
        Path other = Files.createDirectory(dir.resolve("slow"));
        try (ServerFixture slowProxy =
                ServerFixture.start(
                        other,
                        """
                        listeners: [{name: main, port: 0}]
                        workers: 1
                        limits: {callbackDeadline: 300ms}
                        clusters: {echo: {endpoints: ["%s"]}}
                        filters: {slow: {path: %s}}
                        routes: [{name: slow, prefix: /, cluster: echo, filters: [slow]}]
                        """
                                .formatted(upstream.endpoint(), slow))) {
            assertEquals(200, slowProxy.get("/x").statusCode());
            assertEquals(0, slowProxy.counter("filter.slow.deadline_exceeded"));
        }
    }

    @Test
    void loopPastTheDeadlineIsInterruptedAndFailsClosed() throws Exception {
        HttpResponse<String> r = proxy.get("/loop");
        assertEquals(503, r.statusCode());
        assertEquals(1, proxy.counter("filter.loop.deadline_exceeded"));
        assertEquals(1, proxy.counter("filter.loop.failures"));
        // same (only) event loop: not left interrupted, other filters run
        for (int i = 0; i < 5; i++) {
            assertOthersUnaffected();
        }
    }

    @Test
    void memoryExhaustionFailsClosed() throws Exception {
        HttpResponse<String> r = proxy.get("/oom");
        assertEquals(503, r.statusCode());
        assertEquals(1, proxy.counter("filter.oom.failures"));
        assertOthersUnaffected();
    }

    @Test
    void pauseThatNeverEndsIs504() throws Exception {
        HttpResponse<String> r = proxy.get("/hold");
        assertEquals(504, r.statusCode());
        assertTrue(r.body().contains("did not resume"), r.body());
        assertEquals(1, proxy.counter("filter.hold.paused_timeouts"));
        assertContextsBackToRoot("hold");
    }

    @Test
    void clientThatDisconnectsMidRequestTearsTheStreamDown() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 5000);
            OutputStream out = s.getOutputStream();
            // headers (held by the filter), then half a body, then gone
            out.write(
                    ("POST /hold HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nhalf")
                            .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertTrue(ServerFixture.eventually(() -> proxy.counter("filter.hold.requests") == 1));
            assertEquals(2, contexts("hold"), "root + the held stream");
        }
        assertTrue(ServerFixture.eventually(() -> proxy.counter("server.client_disconnects") == 1));
        assertContextsBackToRoot("hold");
        assertOthersUnaffected();
    }

    private void assertContextsBackToRoot(String filter) throws Exception {
        assertTrue(
                ServerFixture.eventually(
                        () -> {
                            try {
                                return contexts(filter) == 1;
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }),
                "on_done/on_log/on_delete ran and the context is gone");
    }

    private int contexts(String filter) throws Exception {
        for (JsonNode f : proxy.adminJson("/filters")) {
            if (f.get("name").asText().equals(filter)) {
                int n = 0;
                for (JsonNode vm : f.get("vms")) {
                    n += vm.get("contexts").asInt();
                }
                return n;
            }
        }
        throw new AssertionError("no filter " + filter);
    }
}
