package org.pwtck.host.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pwtck.host.plugin.Guests.CONFIGURE;
import static org.pwtck.host.plugin.Guests.CREATE;
import static org.pwtck.host.plugin.Guests.DELETE;
import static org.pwtck.host.plugin.Guests.DONE;
import static org.pwtck.host.plugin.Guests.LOG;
import static org.pwtck.host.plugin.Guests.TICK;
import static org.pwtck.host.plugin.Guests.VM_START;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.context.StreamListener;
import org.pwtck.host.vm.GuestMemory;

/** Root and stream context lifecycles, teardown order, proxy_done and the effective context. */
class LifecycleTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    private static final String IMPORTS =
            """
              (import "env" "proxy_done" (func $done (result i32)))
              (import "env" "proxy_set_effective_context" (func $set_effective (param i32) (result i32)))
              (import "env" "proxy_get_header_map_size" (func $map_size (param i32 i32) (result i32)))
              (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
            """;

    /**
     * on_tick records (TICK, id), then, if {@code $target} is set, sets the effective context to it
     * and calls proxy_done twice, recording each status.
     */
    private static final String TICK_AND_HELPERS =
            """
              (global $target (mut i32) (i32.const 0))
              (func (export "t_set_target") (param i32) (global.set $target (local.get 0)))
              (func (export "proxy_on_tick") (param i32)
                (call $rec2 (i32.const 110) (local.get 0))
                (if (global.get $target)
                  (then
                    (call $rec (call $set_effective (global.get $target)))
                    (call $rec (call $done))
                    (call $rec (call $done)))))
              (func (export "t_done") (result i32) (call $done))
              (func (export "t_set_effective") (param i32) (result i32)
                (call $set_effective (local.get 0)))
              (func (export "t_map_size") (result i32)
                (call $map_size (i32.const 0) (i32.const 0x2100)))
              (func (export "t_effective_then_size") (param i32)
                (call $rec (call $map_size (i32.const 0) (i32.const 0x2100)))
                (call $rec (call $set_effective (local.get 0)))
                (call $rec (call $map_size (i32.const 0) (i32.const 0x2100)))
                (call $rec (i32.load (i32.const 0x2100))))
            """;

    private static byte[] module(String extra) {
        return Guests.module(
                AbiVersion.V0_2_1,
                IMPORTS
                        + Guests.RECORDER
                        + Guests.ROOT_CALLBACKS
                        + Guests.TEARDOWN_CALLBACKS
                        + TICK_AND_HELPERS
                        + extra);
    }

    private static PluginVm start() {
        return start(module(""));
    }

    private static PluginVm start(byte[] wasm) {
        return Guests.builder(wasm)
                .withVmConfiguration("vm-config")
                .withPluginConfiguration("{\"a\":1}")
                .build()
                .startVm();
    }

    private static void clearRecord(PluginVm vm) {
        vm.executor()
                .call(
                        () -> {
                            vm.memory().writeU32(Guests.REC, 0);
                            return null;
                        });
    }

    private static HttpStream http(PluginVm vm) {
        return vm.newHttpStream(StreamListener.NONE, StreamInfo.local());
    }

    private static void setDoneResult(PluginVm vm, int result) {
        vm.invokeAsCallback("t_set_done_result", vm.rootContext().id(), result);
    }

    // ---- the root context ----

    @Test
    void rootContextIsCreatedStartedAndConfiguredWithExactArguments() {
        try (PluginVm vm = start()) {
            assertEquals(1, vm.rootContext().id());
            assertEquals(
                    List.of(CREATE, 1, 0, VM_START, 1, 9, CONFIGURE, 1, 7), Guests.recorded(vm));
            assertEquals(List.of(1), vm.contextIds());
        }
    }

    @Test
    void emptyConfigurationsGiveSizeZero() {
        try (PluginVm vm = Guests.builder(module("")).build().startVm()) {
            assertEquals(
                    List.of(CREATE, 1, 0, VM_START, 1, 0, CONFIGURE, 1, 0), Guests.recorded(vm));
        }
    }

    @Test
    void moduleWithoutAnyCallbackStarts() {
        try (PluginVm vm = Guests.builder(Guests.module(AbiVersion.V0_2_0, "")).build().startVm()) {
            assertFalse(vm.isFailed());
            HttpStream s = http(vm);
            assertTrue(s.requestHeaders(HeaderMap.of(":path", "/"), true).isContinue());
            s.complete();
            assertEquals(List.of(1), vm.contextIds());
        }
    }

    @Test
    void vmStartReturningFalseFailsStartAndConfigureIsNotCalled() {
        Guests.CapturingLog log = new Guests.CapturingLog();
        String refusing =
                """
                  (data (i32.const 0x2000) "configure")
                  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 0))
                  (func (export "proxy_on_configure") (param i32 i32) (result i32)
                    (drop (call $log (i32.const 2) (i32.const 0x2000) (i32.const 9))) (i32.const 1))
                """;
        byte[] wasm =
                Guests.module(
                        AbiVersion.V0_2_1,
                        "  (import \"env\" \"proxy_log\" (func $log (param i32 i32 i32) (result"
                                + " i32)))\n"
                                + refusing);
        PluginStartException e =
                assertThrows(
                        PluginStartException.class,
                        () -> Guests.builder(wasm).withServices(log.services()).build().startVm());
        assertEquals("test.wasm: proxy_on_vm_start returned false", e.getMessage());
        assertEquals(List.of(), log.messages(LogLevel.INFO));
    }

    @Test
    void configureReturningFalseFailsStart() {
        String refusing =
                """
                  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 0))
                """;
        byte[] wasm = Guests.module(AbiVersion.V0_2_1, refusing);
        PluginStartException e = assertThrows(PluginStartException.class, () -> start(wasm));
        assertTrue(e.getMessage().startsWith("test.wasm: proxy_on_configure returned false"));
        assertTrue(e.getMessage().contains("refused its configuration"), e.getMessage());
    }

    @Test
    void trapInConfigureFailsStartNamingTheCallback() {
        byte[] wasm =
                Guests.module(
                        AbiVersion.V0_2_1,
                        "  (func (export \"proxy_on_configure\") (param i32 i32) (result i32)"
                                + " unreachable)\n");
        PluginStartException e = assertThrows(PluginStartException.class, () -> start(wasm));
        assertTrue(e.getMessage().startsWith("test.wasm: "), e.getMessage());
        assertTrue(e.getMessage().contains("proxy_on_configure"), e.getMessage());
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    }

    @Test
    void anyNonZeroResultOfVmStartAndConfigureIsSuccess() {
        String odd =
                """
                  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const -1))
                  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 7))
                """;
        try (PluginVm vm = start(Guests.module(AbiVersion.V0_2_1, odd))) {
            assertFalse(vm.isFailed());
        }
    }

    // ---- stream contexts ----

    @Test
    void streamContextsGetTheirIdAndTheRootIdFromOneCounter() {
        try (PluginVm vm = start()) {
            clearRecord(vm);
            HttpStream a = http(vm);
            TcpStream b = vm.newTcpStream(StreamListener.NONE, StreamInfo.local());
            HttpStream c = http(vm);
            assertEquals(2, a.contextId());
            assertEquals(3, b.contextId());
            assertEquals(4, c.contextId());
            assertEquals(List.of(CREATE, 2, 1, CREATE, 3, 1, CREATE, 4, 1), Guests.recorded(vm));
            assertEquals(List.of(1, 2, 3, 4), vm.contextIds());
            a.complete();
            HttpStream d = http(vm);
            assertEquals(5, d.contextId(), "ids are never reused");
            assertEquals(List.of(1, 3, 4, 5), vm.contextIds());
        }
    }

    @Test
    void headersCallbacksGetTwoArgumentsIn010AndThreeLater() {
        String cb010 =
                """
                  (func (export "proxy_on_request_headers") (param i32 i32) (result i32)
                    (call $rec3 (i32.const 201) (local.get 0) (local.get 1)) (i32.const 0))
                """;
        String cb021 =
                """
                  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
                    (call $rec (i32.const 201))
                    (call $rec3 (local.get 0) (local.get 1) (local.get 2)) (i32.const 0))
                """;
        HeaderMap headers = HeaderMap.of(":path", "/", "a", "b");
        try (PluginVm vm =
                Guests.builder(Guests.module(AbiVersion.V0_1_0, Guests.RECORDER + cb010))
                        .build()
                        .startVm()) {
            http(vm).requestHeaders(headers, true);
            assertEquals(List.of(201, 2, 2), Guests.recorded(vm));
        }
        try (PluginVm vm =
                Guests.builder(Guests.module(AbiVersion.V0_2_1, Guests.RECORDER + cb021))
                        .build()
                        .startVm()) {
            http(vm).requestHeaders(HeaderMap.of(":path", "/", "a", "b"), true);
            assertEquals(List.of(201, 2, 2, 1), Guests.recorded(vm));
        }
    }

    @Test
    void twoVmsOfOnePluginCountIndependently() {
        Plugin plugin = Guests.builder(module("")).build();
        try (PluginVm one = plugin.startVm();
                PluginVm two = plugin.startVm()) {
            assertEquals(2, http(one).contextId());
            assertEquals(3, http(one).contextId());
            assertEquals(2, http(two).contextId());
        }
    }

    // ---- teardown ----

    @Test
    void httpStreamTeardownIsDoneThenLogThenDelete() {
        try (PluginVm vm = start()) {
            HttpStream s = http(vm);
            clearRecord(vm);
            s.complete();
            assertEquals(List.of(DONE, 2, LOG, 2, DELETE, 2), Guests.recorded(vm));
            assertEquals(List.of(1), vm.contextIds());
        }
    }

    @Test
    void tcpStreamTeardownIsDoneThenLogThenDelete() {
        try (PluginVm vm = start()) {
            TcpStream s = vm.newTcpStream(StreamListener.NONE, StreamInfo.local());
            clearRecord(vm);
            s.complete();
            assertEquals(List.of(DONE, 2, LOG, 2, DELETE, 2), Guests.recorded(vm));
        }
    }

    @Test
    void completingTwiceTearsDownOnce() {
        try (PluginVm vm = start()) {
            HttpStream s = http(vm);
            clearRecord(vm);
            s.complete();
            s.complete();
            assertEquals(List.of(DONE, 2, LOG, 2, DELETE, 2), Guests.recorded(vm));
        }
    }

    @Test
    void onDoneReturningFalseDefersLogAndDeleteUntilProxyDone() {
        try (PluginVm vm = start()) {
            HttpStream s = http(vm);
            setDoneResult(vm, 0);
            clearRecord(vm);
            s.complete();
            assertEquals(List.of(DONE, 2), Guests.recorded(vm));
            assertEquals(List.of(1, 2), vm.contextIds(), "the context waits for proxy_done");

            vm.invokeAsCallback("t_set_target", 1, 2);
            clearRecord(vm);
            vm.tickNow();
            // set_effective OK, proxy_done OK, a second proxy_done finds nothing pending; then,
            // after on_tick has returned, on_log and on_delete.
            assertEquals(List.of(TICK, 1, 0, 0, 1, LOG, 2, DELETE, 2), Guests.recorded(vm));
            assertEquals(List.of(1), vm.contextIds());
        }
    }

    @Test
    void proxyDoneWithNothingPendingIsNotFound() {
        try (PluginVm vm = start()) {
            assertEquals(Status.NOT_FOUND.code(), vm.invokeAsCallback("t_done", 1));
            HttpStream s = http(vm);
            assertEquals(Status.NOT_FOUND.code(), vm.invokeAsCallback("t_done", s.contextId()));
            assertEquals(List.of(1, 2), vm.contextIds(), "nothing was torn down");
        }
    }

    @Test
    void closeTearsDownOpenStreamsThenTheRoot() {
        PluginVm vm = start();
        http(vm);
        vm.newTcpStream(StreamListener.NONE, StreamInfo.local());
        HttpStream finished = http(vm);
        finished.complete();
        clearRecord(vm);
        GuestMemory memory = Guests.memoryOf(vm);
        vm.close();
        assertEquals(
                List.of(
                        DONE, 2, LOG, 2, DELETE, 2, DONE, 3, LOG, 3, DELETE, 3, DONE, 1, LOG, 1,
                        DELETE, 1),
                Guests.recorded(memory));
        vm.close();
        assertEquals(18, Guests.recorded(memory).size(), "a second close does nothing");
    }

    @Test
    void closeDoesNotTearDownAStreamThatWaitsForProxyDone() {
        PluginVm vm = start();
        HttpStream s = http(vm);
        setDoneResult(vm, 0);
        s.complete();
        setDoneResult(vm, 1);
        clearRecord(vm);
        GuestMemory memory = Guests.memoryOf(vm);
        vm.close();
        assertEquals(List.of(DONE, 1, LOG, 1, DELETE, 1), Guests.recorded(memory));
    }

    @Test
    void usingAClosedVmIsAnErrorNotAHang() {
        PluginVm vm = start();
        HttpStream s = http(vm);
        vm.close();
        assertTimeoutPreemptively(
                BOUND,
                () -> {
                    assertThrows(IllegalStateException.class, () -> http(vm));
                    assertThrows(
                            IllegalStateException.class,
                            () -> s.requestHeaders(HeaderMap.of(":path", "/"), true));
                    assertThrows(
                            IllegalStateException.class, () -> vm.invokeAsCallback("t_done", 1));
                    vm.tickNow();
                    vm.drain();
                });
    }

    @Test
    void aClosedVmOnAnExecutorItDoesNotOwnRefusesToRun() {
        VmExecutor inline = VmExecutor.callingThread();
        PluginVm vm = Guests.builder(module("")).build().startVm(inline);
        assertEquals(2, http(vm).contextId());
        vm.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> http(vm));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    // ---- proxy_set_effective_context ----

    @Test
    void setEffectiveContextWithUnknownIdIsBadArgument() {
        try (PluginVm vm = start()) {
            HttpStream s = http(vm);
            assertEquals(Status.BAD_ARGUMENT.code(), vm.invokeAsCallback("t_set_effective", 1, 99));
            assertEquals(Status.BAD_ARGUMENT.code(), vm.invokeAsCallback("t_set_effective", 1, 0));
            assertEquals(Status.BAD_ARGUMENT.code(), vm.invokeAsCallback("t_set_effective", 1, -1));
            assertEquals(Status.OK.code(), vm.invokeAsCallback("t_set_effective", 1, 2));
            s.complete();
            assertEquals(
                    Status.BAD_ARGUMENT.code(),
                    vm.invokeAsCallback("t_set_effective", 1, 2),
                    "a deleted context is unknown");
        }
    }

    @Test
    void effectiveContextAppliesForTheRestOfTheCallbackOnly() {
        try (PluginVm vm = start()) {
            HttpStream s = http(vm);
            s.requestHeaders(HeaderMap.of(":path", "/", "x", "y"), false);
            clearRecord(vm);
            vm.invokeAsCallback("t_effective_then_size", 1, s.contextId());
            // root: no request headers (2); switch (0); now the stream's map: 4 + 2*8 + 8 + 4.
            assertEquals(List.of(Status.BAD_ARGUMENT.code(), 0, 0, 32), Guests.recorded(vm));
            assertEquals(
                    Status.BAD_ARGUMENT.code(),
                    vm.invokeAsCallback("t_map_size", 1),
                    "the next callback acts on its own context again");
            assertEquals(Status.OK.code(), vm.invokeAsCallback("t_map_size", s.contextId()));
        }
    }

    @Test
    void effectiveContextIsResetForTheNextDeliveredCallback() {
        try (PluginVm vm = start()) {
            HttpStream s = http(vm);
            setDoneResult(vm, 0);
            s.complete();
            // Set the effective context in one callback; on_tick (without a target) must not
            // inherit it, so its proxy_done acts on the root and finds nothing.
            assertEquals(0, vm.invokeAsCallback("t_set_effective", 1, 2));
            clearRecord(vm);
            vm.tickNow();
            assertEquals(List.of(TICK, 1), Guests.recorded(vm));
            assertEquals(Status.NOT_FOUND.code(), vm.invokeAsCallback("t_done", 1));
            assertEquals(List.of(1, 2), vm.contextIds());
        }
    }
}
