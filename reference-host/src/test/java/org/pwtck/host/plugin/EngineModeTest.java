package org.pwtck.host.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pwtck.host.plugin.Guests.CONFIGURE;
import static org.pwtck.host.plugin.Guests.CREATE;
import static org.pwtck.host.plugin.Guests.DELETE;
import static org.pwtck.host.plugin.Guests.DONE;
import static org.pwtck.host.plugin.Guests.INITIALIZE;
import static org.pwtck.host.plugin.Guests.LOG;
import static org.pwtck.host.plugin.Guests.VM_START;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.context.StreamListener;
import org.pwtck.host.vm.EngineMode;
import org.pwtck.host.vm.GuestMemory;

/** The same module behaves the same in Chicory's interpreter and its compiler. */
class EngineModeTest {

    private static final String BODY =
            """
              (import "env" "proxy_call_foreign_function" (func $ffi (param i32 i32 i32 i32 i32 i32) (result i32)))
              (import "env" "proxy_get_shared_data" (func $get_shared (param i32 i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (data (i32.const 0x2000) "echo")
              (data (i32.const 0x2010) "abcdef")
              (data (i32.const 0x2040) "hello from _initialize\\n")
              (data (i32.const 0x2060) "\\40\\20\\00\\00\\17\\00\\00\\00")
              (global $restricted (mut i32) (i32.const 0))
              (func (export "_initialize")
                (call $rec (i32.const 101))
                (drop (call $fd_write (i32.const 1) (i32.const 0x2060) (i32.const 1) (i32.const 0x2070))))
              (func (export "malloc") (param i32) (result i32) (i32.const 0xC000))
              (func (export "t_echo") (result i32)
                (call $ffi (i32.const 0x2000) (i32.const 4) (i32.const 0x2010) (i32.const 6)
                           (i32.const 0x2100) (i32.const 0x2104)))
              (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
                (if (i32.eq (local.get 1) (i32.const 3)) (then unreachable))
                (i32.const 0))
              (func $recurse (export "t_recurse") (param i32) (result i32)
                (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
              (func (export "t_grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "t_shared") (result i32)
                (call $get_shared (i32.const 0x2000) (i32.const 4) (i32.const 0x2100)
                                  (i32.const 0x2104) (i32.const 0x2108)))
            """;

    private static Plugin plugin(EngineMode mode, Guests.CapturingLog log) {
        byte[] wasm =
                Guests.module(
                        AbiVersion.V0_2_1,
                        BODY + Guests.RECORDER + Guests.ROOT_CALLBACKS + Guests.TEARDOWN_CALLBACKS);
        return Guests.builder(wasm)
                .withEngine(mode)
                .withMaxMemoryPages(3)
                .withPluginConfiguration("cfg")
                .withServices(log.services())
                .build();
    }

    @ParameterizedTest
    @EnumSource(EngineMode.class)
    void lifecycleFromStartUpToClose(EngineMode mode) {
        Guests.CapturingLog log = new Guests.CapturingLog();
        Plugin plugin = plugin(mode, log);
        assertEquals(mode, plugin.module().engine());
        PluginVm vm = plugin.startVm();
        HttpStream s = vm.newHttpStream(StreamListener.NONE, StreamInfo.local());
        assertTrue(s.requestHeaders(HeaderMap.of(":path", "/"), true).isContinue());
        s.complete();
        GuestMemory memory = Guests.memoryOf(vm);
        vm.close();
        assertEquals(
                List.of(
                        INITIALIZE,
                        CREATE,
                        1,
                        0,
                        VM_START,
                        1,
                        0,
                        CONFIGURE,
                        1,
                        3,
                        CREATE,
                        2,
                        1,
                        DONE,
                        2,
                        LOG,
                        2,
                        DELETE,
                        2,
                        DONE,
                        1,
                        LOG,
                        1,
                        DELETE,
                        1),
                Guests.recorded(memory));
        assertEquals(List.of("hello from _initialize"), log.messages(LogLevel.INFO));
    }

    @ParameterizedTest
    @EnumSource(EngineMode.class)
    void allocatorPrecedenceAndHostCallResults(EngineMode mode) {
        try (PluginVm vm = plugin(mode, new Guests.CapturingLog()).startVm()) {
            assertEquals("proxy_on_memory_allocate", vm.allocatorExport());
            assertEquals(0, vm.invokeAsCallback("t_echo", 1));
            GuestMemory m = Guests.memoryOf(vm);
            long ptr = vm.executor().call(() -> m.readU32(0x2100));
            assertEquals(0x8000, ptr, "Wat.module's proxy_on_memory_allocate, not malloc");
            assertArrayEquals(
                    "abcdef".getBytes(StandardCharsets.US_ASCII),
                    vm.executor().call(() -> m.read(ptr, 6)));
            assertEquals(1, vm.invokeAsCallback("t_shared", 1), "NOT_FOUND");
        }
    }

    @ParameterizedTest
    @EnumSource(EngineMode.class)
    void memoryGrowthIsBoundedByTheLimit(EngineMode mode) {
        try (PluginVm vm = plugin(mode, new Guests.CapturingLog()).startVm()) {
            assertEquals(-1, (int) vm.invokeAsCallback("t_grow", 1, 2));
            assertEquals(2, vm.invokeAsCallback("t_grow", 1, 1));
            assertEquals(-1, (int) vm.invokeAsCallback("t_grow", 1, 1));
            assertFalse(vm.isFailed());
        }
    }

    @ParameterizedTest
    @EnumSource(EngineMode.class)
    void trapsAreContainedTheSameWay(EngineMode mode) {
        Plugin plugin = plugin(mode, new Guests.CapturingLog());
        try (PluginVm vm = plugin.startVm()) {
            HttpStream s = vm.newHttpStream(StreamListener.NONE, StreamInfo.local());
            FilterFailedException e =
                    assertThrows(
                            FilterFailedException.class,
                            () ->
                                    s.requestHeaders(
                                            HeaderMap.of("a", "1", "b", "2", "c", "3"), true));
            assertTrue(e.getMessage().startsWith("test.wasm: "), e.getMessage());
            assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
            assertTrue(vm.isFailed());
        }
        try (PluginVm vm = plugin.startVm()) {
            assertThrows(FilterFailedException.class, () -> vm.invokeAsCallback("t_recurse", 1, 0));
            assertTrue(vm.isFailed());
        }
        try (PluginVm vm = plugin.startVm()) {
            assertEquals(0, vm.invokeAsCallback("t_echo", 1), "a fresh VM works");
        }
    }
}
