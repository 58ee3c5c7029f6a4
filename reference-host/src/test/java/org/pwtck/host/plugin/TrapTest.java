package org.pwtck.host.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.ForeignFunctions;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.context.StreamListener;

/** A trapping guest fails its VM only; host-side exceptions become statuses. */
class TrapTest {

    /** on_request_headers traps when the request has a header named "boom". */
    private static final String TRAPPING =
            """
              (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
              (import "env" "proxy_call_foreign_function" (func $ffi (param i32 i32 i32 i32 i32 i32) (result i32)))
              (data (i32.const 0x2000) "boom")
              (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
                (if (i32.eqz (call $get (i32.const 0) (i32.const 0x2000) (i32.const 4)
                                        (i32.const 0x2100) (i32.const 0x2104)))
                  (then unreachable))
                (i32.const 0))
              (func $recurse (export "t_recurse") (param i32) (result i32)
                (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
              (func (export "t_grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "t_size") (result i32) (memory.size))
              (func (export "t_load") (param i32) (result i32) (i32.load (local.get 0)))
              (func (export "t_div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
              (func (export "t_ffi") (param i32 i32) (result i32)
                (call $ffi (local.get 0) (local.get 1) (i32.const 0) (i32.const 0)
                           (i32.const 0x2200) (i32.const 0x2204)))
            """;

    private static Plugin plugin(HostServices services, int maxPages) {
        return Guests.builder(Guests.module(AbiVersion.V0_2_1, TRAPPING))
                .withServices(services)
                .withMaxMemoryPages(maxPages)
                .build();
    }

    private static Plugin plugin() {
        return plugin(HostServices.inMemory(), 4);
    }

    private static final class RecordingListener implements StreamListener {
        final List<String> failures = new ArrayList<>();

        @Override
        public void onFailure(String reason) {
            failures.add(reason);
        }
    }

    private static HeaderMap boom() {
        return HeaderMap.of(":path", "/", "boom", "1");
    }

    @Test
    void trapInAStreamCallbackFailsTheVmAndTellsTheStream() {
        try (PluginVm vm = plugin().startVm()) {
            RecordingListener listener = new RecordingListener();
            HttpStream s = vm.newHttpStream(listener, StreamInfo.local());
            FilterFailedException e =
                    assertThrows(FilterFailedException.class, () -> s.requestHeaders(boom(), true));
            assertTrue(e.getMessage().startsWith("test.wasm: "), e.getMessage());
            assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
            assertTrue(e.getMessage().contains("proxy_on_request_headers"), e.getMessage());
            assertEquals(List.of(e.getMessage()), listener.failures);
            assertTrue(vm.isFailed());
            assertEquals(e.getMessage(), vm.failureReason().orElseThrow());
        }
    }

    @Test
    void aFailedVmRefusesFurtherUse() {
        try (PluginVm vm = plugin().startVm()) {
            HttpStream s = vm.newHttpStream(StreamListener.NONE, StreamInfo.local());
            assertThrows(FilterFailedException.class, () -> s.requestHeaders(boom(), true));
            FilterFailedException again =
                    assertThrows(
                            FilterFailedException.class,
                            () -> vm.newHttpStream(StreamListener.NONE, StreamInfo.local()));
            assertTrue(again.getMessage().contains("failed earlier"), again.getMessage());
            assertTrue(again.getMessage().contains("unreachable"), again.getMessage());
            assertThrows(
                    FilterFailedException.class,
                    () -> s.responseHeaders(HeaderMap.of(":status", "200"), true));
            assertThrows(FilterFailedException.class, () -> vm.invokeAsCallback("t_size", 1));
            vm.tickNow(); // asynchronous deliveries to a failed VM are dropped, not thrown
        }
    }

    @Test
    void otherVmsOfThePluginAndOtherPluginsKeepWorking() {
        HostServices shared = HostServices.inMemory();
        Plugin plugin = plugin(shared, 4);
        Plugin other = plugin(shared, 4);
        try (PluginVm failing = plugin.startVm();
                PluginVm sibling = plugin.startVm();
                PluginVm stranger = other.startVm()) {
            HttpStream s = failing.newHttpStream(StreamListener.NONE, StreamInfo.local());
            assertThrows(FilterFailedException.class, () -> s.requestHeaders(boom(), true));
            for (PluginVm vm : List.of(sibling, stranger)) {
                assertFalse(vm.isFailed());
                HttpStream ok = vm.newHttpStream(StreamListener.NONE, StreamInfo.local());
                assertTrue(ok.requestHeaders(HeaderMap.of(":path", "/"), true).isContinue());
            }
            try (PluginVm fresh = plugin.startVm()) {
                assertFalse(fresh.isFailed());
            }
        }
    }

    @Test
    void growingMemoryPastTheLimitIsRefusedWithMinusOne() {
        try (PluginVm vm = plugin().startVm()) {
            int root = vm.rootContext().id();
            assertEquals(2, vm.invokeAsCallback("t_size", root));
            assertEquals(-1, (int) vm.invokeAsCallback("t_grow", root, 3), "2 + 3 > 4 pages");
            assertEquals(2, vm.invokeAsCallback("t_size", root), "nothing grew");
            assertEquals(2, vm.invokeAsCallback("t_grow", root, 2), "2 + 2 = 4 is allowed");
            assertEquals(4, vm.invokeAsCallback("t_size", root));
            assertEquals(-1, (int) vm.invokeAsCallback("t_grow", root, 1));
            assertEquals(-1, (int) vm.invokeAsCallback("t_grow", root, 0x10000));
            assertFalse(vm.isFailed());
            assertEquals(4L * 65536, Guests.memoryOf(vm).size());
        }
    }

    @Test
    void infiniteRecursionIsATrapNotACrash() {
        Plugin plugin = plugin();
        try (PluginVm vm = plugin.startVm()) {
            FilterFailedException e =
                    assertThrows(
                            FilterFailedException.class,
                            () -> vm.invokeAsCallback("t_recurse", 1, 0));
            assertTrue(e.getMessage().startsWith("test.wasm: "), e.getMessage());
            assertTrue(e.getMessage().contains("t_recurse"), e.getMessage());
            assertTrue(vm.isFailed());
        }
        try (PluginVm vm = plugin.startVm()) {
            assertEquals(2, vm.invokeAsCallback("t_size", 1), "a new VM works");
        }
    }

    @Test
    void outOfBoundsLoadIsATrap() {
        try (PluginVm vm = plugin().startVm()) {
            FilterFailedException e =
                    assertThrows(
                            FilterFailedException.class,
                            () -> vm.invokeAsCallback("t_load", 1, 0x7FFFFFF0));
            assertTrue(e.getMessage().contains("t_load"), e.getMessage());
            assertTrue(vm.isFailed());
        }
    }

    @Test
    void divisionByZeroIsATrap() {
        try (PluginVm vm = plugin().startVm()) {
            assertEquals(1, vm.invokeAsCallback("t_div", 1, 1));
            FilterFailedException e =
                    assertThrows(
                            FilterFailedException.class, () -> vm.invokeAsCallback("t_div", 1, 0));
            assertTrue(e.getMessage().contains("t_div"), e.getMessage());
        }
    }

    @Test
    void javaExceptionInAHostServiceIsInternalFailure() {
        HostServices services =
                HostServices.inMemory()
                        .withForeignFunctions(
                                ForeignFunctions.withDefaults()
                                        .register(
                                                "boom",
                                                args -> {
                                                    throw new IllegalStateException("bug");
                                                }));
        try (PluginVm vm = plugin(services, 4).startVm()) {
            int name = 0x2300;
            vm.executor()
                    .call(
                            () -> {
                                vm.memory().write(name, "boom".getBytes());
                                return null;
                            });
            assertEquals(Status.INTERNAL_FAILURE.code(), vm.invokeAsCallback("t_ffi", 1, name, 4));
            assertFalse(vm.isFailed());
            vm.executor()
                    .call(
                            () -> {
                                vm.memory().write(name, "echo".getBytes());
                                return null;
                            });
            assertEquals(Status.OK.code(), vm.invokeAsCallback("t_ffi", 1, name, 4));
        }
    }

    @Test
    void javaExceptionInTheLogIsInternalFailure() {
        HostServices services =
                HostServices.inMemory()
                        .withLog(
                                (p, level, msg) -> {
                                    throw new IllegalStateException("log is down");
                                });
        byte[] wasm =
                Guests.module(
                        AbiVersion.V0_2_1,
                        "  (import \"env\" \"proxy_log\" (func $log (param i32 i32 i32) (result"
                                + " i32)))\n"
                                + "  (func (export \"t_log\") (result i32) (call $log (i32.const"
                                + " 2) (i32.const 0) (i32.const 1)))\n");
        try (PluginVm vm = Guests.builder(wasm).withServices(services).build().startVm()) {
            assertEquals(Status.INTERNAL_FAILURE.code(), vm.invokeAsCallback("t_log", 1));
            assertFalse(vm.isFailed());
        }
    }

    @Test
    void trapInAnAsynchronousCallbackFailsTheVmWithoutThrowing() {
        byte[] wasm =
                Guests.module(
                        AbiVersion.V0_2_1,
                        "  (func (export \"proxy_on_tick\") (param i32) unreachable)\n");
        try (PluginVm vm = Guests.builder(wasm).build().startVm()) {
            vm.tickNow();
            assertTrue(vm.isFailed());
            assertTrue(vm.failureReason().orElseThrow().contains("proxy_on_tick"));
            assertThrows(
                    FilterFailedException.class,
                    () -> vm.newHttpStream(StreamListener.NONE, StreamInfo.local()));
        }
    }

    @Test
    void procExitInACallbackFailsTheVm() {
        byte[] wasm =
                Guests.module(
                        AbiVersion.V0_2_1,
                        "  (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $exit (param"
                                + " i32)))\n"
                                + "  (func (export \"t_exit\") (call $exit (i32.const 0)))\n");
        try (PluginVm vm = Guests.builder(wasm).build().startVm()) {
            FilterFailedException e =
                    assertThrows(
                            FilterFailedException.class, () -> vm.invokeAsCallback("t_exit", 1));
            assertTrue(e.getMessage().contains("proc_exit(0)"), e.getMessage());
            assertTrue(vm.isFailed());
        }
    }
}
