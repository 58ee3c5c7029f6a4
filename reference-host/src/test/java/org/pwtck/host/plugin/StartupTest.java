package org.pwtck.host.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pwtck.host.plugin.Guests.ALLOC;
import static org.pwtck.host.plugin.Guests.CONFIGURE;
import static org.pwtck.host.plugin.Guests.CREATE;
import static org.pwtck.host.plugin.Guests.INITIALIZE;
import static org.pwtck.host.plugin.Guests.MAIN;
import static org.pwtck.host.plugin.Guests.MALLOC;
import static org.pwtck.host.plugin.Guests.START;
import static org.pwtck.host.plugin.Guests.VM_START;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.abi.Status;

/** Module start-up (restricted phase), the allocator phase and allocator precedence. */
class StartupTest {
    private static final String MARKER = AbiVersion.V0_2_1.marker();

    /** A module with one page of memory, the marker, the recorder and the given body. */
    private static byte[] module(String body) {
        return Guests.wat(
                "(module\n"
                        + body
                        + Guests.RECORDER
                        + "  (memory (export \"memory\") 1)\n"
                        + "  (func (export \""
                        + MARKER
                        + "\"))\n)");
    }

    private static final String BUMP_ALLOCATOR =
            """
              (global $heap (mut i32) (i32.const 0x8000))
              (func (export "proxy_on_memory_allocate") (param $n i32) (result i32)
                (local $p i32)
                (call $rec (i32.const 111))
                (local.set $p (global.get $heap))
                (global.set $heap (i32.add (global.get $heap) (local.get $n)))
                (local.get $p))
            """;

    private static final String IMPORT_LOG =
            "  (import \"env\" \"proxy_log\" (func $log (param i32 i32 i32) (result i32)))\n";

    private static final String IMPORT_SHARED_DATA =
            "  (import \"env\" \"proxy_get_shared_data\" (func $get_shared (param i32 i32 i32 i32"
                    + " i32) (result i32)))\n";

    private static PluginVm start(byte[] wasm) {
        return Guests.builder(wasm)
                .withVmConfiguration("vm")
                .withPluginConfiguration("plugin!")
                .build()
                .startVm();
    }

    // ---- start-up functions and their order ----

    @Test
    void initializeThenTwoArgumentMainThenRootCallbacks() {
        byte[] wasm =
                module(
                        BUMP_ALLOCATOR
                                + Guests.ROOT_CALLBACKS
                                + "  (func (export \"_initialize\") (call $rec (i32.const 101)))\n"
                                + "  (func (export \"main\") (param i32 i32) (result i32)\n"
                                + "    (call $rec3 (i32.const 102) (local.get 0) (local.get 1))"
                                + " (i32.const 0))\n"
                                + "  (func (export \"_start\") (call $rec (i32.const 103)))\n");
        try (PluginVm vm = start(wasm)) {
            assertEquals(
                    List.of(INITIALIZE, MAIN, 0, 0, CREATE, 1, 0, VM_START, 1, 2, CONFIGURE, 1, 7),
                    Guests.recorded(vm));
        }
    }

    @Test
    void initializeThenZeroArgumentMain() {
        byte[] wasm =
                module(
                        BUMP_ALLOCATOR
                                + "  (func (export \"_initialize\") (call $rec (i32.const 101)))\n"
                                + "  (func (export \"main\") (result i32) (call $rec (i32.const"
                                + " 102)) (i32.const 0))\n");
        try (PluginVm vm = start(wasm)) {
            assertEquals(List.of(INITIALIZE, MAIN), Guests.recorded(vm));
        }
    }

    @Test
    void startWhenThereIsNoInitializeAndMainIsNotCalled() {
        byte[] wasm =
                module(
                        BUMP_ALLOCATOR
                                + Guests.ROOT_CALLBACKS
                                + "  (func (export \"_start\") (call $rec (i32.const 103)))\n"
                                + "  (func (export \"main\") (param i32 i32) (result i32)"
                                + " (call $rec (i32.const 102)) (i32.const 0))\n");
        try (PluginVm vm = start(wasm)) {
            assertEquals(
                    List.of(START, CREATE, 1, 0, VM_START, 1, 2, CONFIGURE, 1, 7),
                    Guests.recorded(vm));
        }
    }

    @Test
    void noStartUpFunctionsAtAll() {
        try (PluginVm vm = start(module(BUMP_ALLOCATOR + Guests.ROOT_CALLBACKS))) {
            assertEquals(
                    List.of(CREATE, 1, 0, VM_START, 1, 2, CONFIGURE, 1, 7), Guests.recorded(vm));
        }
    }

    @Test
    void procExitZeroEndsStartCleanly() {
        byte[] wasm =
                module(
                        "  (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $exit (param"
                                + " i32)))\n"
                                + BUMP_ALLOCATOR
                                + Guests.ROOT_CALLBACKS
                                + "  (func (export \"_start\") (call $rec (i32.const 103)) (call"
                                + " $exit (i32.const 0)) (call $rec (i32.const 999)))\n");
        try (PluginVm vm = start(wasm)) {
            assertEquals(
                    List.of(START, CREATE, 1, 0, VM_START, 1, 2, CONFIGURE, 1, 7),
                    Guests.recorded(vm));
        }
    }

    @Test
    void procExitNonZeroInStartFailsStart() {
        byte[] wasm =
                module(
                        "  (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $exit (param"
                                + " i32)))\n"
                                + BUMP_ALLOCATOR
                                + "  (func (export \"_start\") (call $exit (i32.const 3)))\n");
        PluginStartException e = assertThrows(PluginStartException.class, () -> start(wasm));
        assertTrue(e.getMessage().startsWith("test.wasm: "), e.getMessage());
        assertTrue(e.getMessage().contains("proc_exit(3)"), e.getMessage());
    }

    @Test
    void trapInInitializeFailsStartWithTheReason() {
        byte[] wasm = module(BUMP_ALLOCATOR + "  (func (export \"_initialize\") unreachable)\n");
        PluginStartException e = assertThrows(PluginStartException.class, () -> start(wasm));
        assertTrue(e.getMessage().startsWith("test.wasm: "), e.getMessage());
        assertTrue(e.getMessage().contains("_initialize"), e.getMessage());
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    }

    // ---- the restricted start-up phase ----

    @Test
    void proxyLogWorksDuringStartUp() {
        CapturingLogHolder h = new CapturingLogHolder();
        byte[] wasm =
                module(
                        IMPORT_LOG
                                + BUMP_ALLOCATOR
                                + "  (data (i32.const 0x2000) \"starting up\")\n"
                                + "  (func (export \"_initialize\") (call $rec (call $log (i32.const"
                                + " 2) (i32.const 0x2000) (i32.const 11))))\n");
        try (PluginVm vm = h.start(wasm)) {
            assertEquals(List.of(0), Guests.recorded(vm));
            assertEquals(List.of("starting up"), h.log.messages(LogLevel.INFO));
        }
    }

    @Test
    void otherHostCallDuringStartUpTrapsAsRestrictedCallback() {
        byte[] wasm =
                module(
                        IMPORT_SHARED_DATA
                                + BUMP_ALLOCATOR
                                + "  (func (export \"_initialize\") (drop (call $get_shared"
                                + " (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)"
                                + " (i32.const 0))))\n");
        PluginStartException e = assertThrows(PluginStartException.class, () -> start(wasm));
        assertTrue(e.getMessage().startsWith("test.wasm: "), e.getMessage());
        assertTrue(e.getMessage().contains("restricted_callback"), e.getMessage());
        assertTrue(e.getMessage().contains("proxy_get_shared_data"), e.getMessage());
    }

    @Test
    void restrictedCallInMainAndInStartTrapsToo() {
        for (String startUp :
                new String[] {
                    "  (func (export \"_initialize\"))\n  (func (export \"main\") (param i32 i32)"
                            + " (result i32) (call $get_shared (i32.const 0) (i32.const 0)"
                            + " (i32.const 0) (i32.const 0) (i32.const 0)))\n",
                    "  (func (export \"_start\") (drop (call $get_shared (i32.const 0) (i32.const"
                            + " 0) (i32.const 0) (i32.const 0) (i32.const 0))))\n"
                }) {
            byte[] wasm = module(IMPORT_SHARED_DATA + BUMP_ALLOCATOR + startUp);
            PluginStartException e = assertThrows(PluginStartException.class, () -> start(wasm));
            assertTrue(e.getMessage().contains("restricted_callback"), e.getMessage());
        }
    }

    @Test
    void restrictionEndsWithStartUp() {
        byte[] wasm =
                module(
                        IMPORT_SHARED_DATA
                                + BUMP_ALLOCATOR
                                + "  (func (export \"proxy_on_vm_start\") (param i32 i32) (result"
                                + " i32)\n"
                                + "    (call $rec (call $get_shared (i32.const 0x2000) (i32.const"
                                + " 3) (i32.const 0x2100) (i32.const 0x2104) (i32.const 0x2108)))"
                                + " (i32.const 1))\n");
        try (PluginVm vm = start(wasm)) {
            assertEquals(List.of(Status.NOT_FOUND.code()), Guests.recorded(vm));
        }
    }

    @Test
    void wasiWriteAndClockAreAllowedDuringStartUp() {
        CapturingLogHolder h = new CapturingLogHolder();
        byte[] wasm =
                module(
                        "  (import \"wasi_snapshot_preview1\" \"fd_write\" (func $fd_write (param"
                                + " i32 i32 i32 i32) (result i32)))\n"
                                + "  (import \"wasi_snapshot_preview1\" \"clock_time_get\" (func"
                                + " $clock (param i32 i64 i32) (result i32)))\n"
                                + BUMP_ALLOCATOR
                                + "  (data (i32.const 0x2000) \"init output\\n\")\n"
                                + "  (data (i32.const 0x2100) \"\\00\\20\\00\\00\\0c\\00\\00\\00\")\n"
                                + "  (func (export \"_initialize\")\n"
                                + "    (call $rec (call $fd_write (i32.const 1) (i32.const 0x2100)"
                                + " (i32.const 1) (i32.const 0x2200)))\n"
                                + "    (call $rec (i32.load (i32.const 0x2200)))\n"
                                + "    (call $rec (call $clock (i32.const 0) (i64.const 1)"
                                + " (i32.const 0x2208))))\n");
        try (PluginVm vm = h.start(wasm)) {
            assertEquals(List.of(0, 12, 0), Guests.recorded(vm));
            assertEquals(List.of("init output"), h.log.messages(LogLevel.INFO));
        }
    }

    @Test
    void wasiCallOutsideTheStartUpListTraps() {
        byte[] wasm =
                module(
                        "  (import \"wasi_snapshot_preview1\" \"path_open\" (func $open (param i32"
                                + " i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))\n"
                                + BUMP_ALLOCATOR
                                + "  (func (export \"_initialize\") (drop (call $open (i32.const 3)"
                                + " (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)"
                                + " (i64.const 0) (i64.const 0) (i32.const 0) (i32.const 0))))\n");
        PluginStartException e = assertThrows(PluginStartException.class, () -> start(wasm));
        assertTrue(e.getMessage().contains("restricted_callback"), e.getMessage());
        assertTrue(e.getMessage().contains("path_open"), e.getMessage());
    }

    // ---- the allocator ----

    private static final String IMPORT_FFI =
            "  (import \"env\" \"proxy_call_foreign_function\" (func $ffi (param i32 i32 i32 i32"
                    + " i32 i32) (result i32)))\n";

    private static final String ECHO =
            "  (data (i32.const 0x2000) \"echo\")\n"
                    + "  (data (i32.const 0x2010) \"abcdef\")\n"
                    + "  (data (i32.const 0x2100)"
                    + " \"\\a5\\a5\\a5\\a5\\a5\\a5\\a5\\a5\\a5\\a5\\a5\\a5\\a5\\a5\\a5\\a5\")\n"
                    + "  (func (export \"t_echo\") (param $len i32) (result i32)\n"
                    + "    (call $ffi (i32.const 0x2000) (i32.const 4) (i32.const 0x2010)"
                    + " (local.get $len) (i32.const 0x2100) (i32.const 0x2104)))\n";

    /** Calls echo("abcdef"[0..len]) as a root callback, which makes the host allocate. */
    private static int echo(PluginVm vm, int len) {
        return (int) vm.invokeAsCallback("t_echo", vm.rootContext().id(), len);
    }

    private static byte[] read(PluginVm vm, long ptr, int len) {
        return vm.executor().call(() -> vm.memory().read(ptr, len));
    }

    private static long u32(PluginVm vm, long ptr) {
        return vm.executor().call(() -> vm.memory().readU32(ptr));
    }

    @Test
    void dataReturnedToTheGuestGoesThroughItsAllocator() {
        try (PluginVm vm = start(module(IMPORT_FFI + ECHO + BUMP_ALLOCATOR))) {
            assertEquals(0, echo(vm, 6));
            assertEquals(0x8000, u32(vm, 0x2100));
            assertEquals(6, u32(vm, 0x2104));
            assertArrayEquals("abcdef".getBytes(StandardCharsets.US_ASCII), read(vm, 0x8000, 6));
            assertEquals(List.of(ALLOC), Guests.recorded(vm));
        }
    }

    @Test
    void emptyDataDoesNotCallTheAllocator() {
        try (PluginVm vm = start(module(IMPORT_FFI + ECHO + BUMP_ALLOCATOR))) {
            assertEquals(0, echo(vm, 0));
            assertEquals(0, u32(vm, 0x2100));
            assertEquals(0, u32(vm, 0x2104));
            assertEquals(List.of(), Guests.recorded(vm));
        }
    }

    @Test
    void onMemoryAllocateIsPreferredOverMalloc() {
        String malloc =
                """
                  (global $mheap (mut i32) (i32.const 0xC000))
                  (func (export "malloc") (param $n i32) (result i32)
                    (local $p i32)
                    (call $rec (i32.const 112))
                    (local.set $p (global.get $mheap))
                    (global.set $mheap (i32.add (global.get $mheap) (local.get $n)))
                    (local.get $p))
                """;
        try (PluginVm vm = start(module(IMPORT_FFI + ECHO + malloc + BUMP_ALLOCATOR))) {
            assertEquals("proxy_on_memory_allocate", vm.allocatorExport());
            assertEquals(0, echo(vm, 6));
            assertEquals(0x8000, u32(vm, 0x2100), "data must land in proxy_on_memory_allocate's");
            assertArrayEquals("abcdef".getBytes(StandardCharsets.US_ASCII), read(vm, 0x8000, 6));
            assertArrayEquals(new byte[6], read(vm, 0xC000, 6));
            assertEquals(List.of(ALLOC), Guests.recorded(vm));
        }
    }

    @Test
    void mallocAloneIsUsed() {
        String malloc =
                """
                  (func (export "malloc") (param $n i32) (result i32)
                    (call $rec (i32.const 112)) (i32.const 0xC000))
                """;
        try (PluginVm vm = start(module(IMPORT_FFI + ECHO + malloc))) {
            assertEquals("malloc", vm.allocatorExport());
            assertEquals(0, echo(vm, 3));
            assertEquals(0xC000, u32(vm, 0x2100));
            assertEquals(3, u32(vm, 0x2104));
            assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), read(vm, 0xC000, 3));
            assertEquals(List.of(MALLOC), Guests.recorded(vm));
        }
    }

    @Test
    void allocatorReturningZeroIsInvalidMemoryAccessAndSlotsAreUntouched() {
        String failing =
                "  (func (export \"proxy_on_memory_allocate\") (param i32) (result i32)"
                        + " (call $rec (i32.const 111)) (i32.const 0))\n";
        try (PluginVm vm = start(module(IMPORT_FFI + ECHO + failing))) {
            assertEquals(Status.INVALID_MEMORY_ACCESS.code(), echo(vm, 6));
            assertArrayEquals(sentinel(16), read(vm, 0x2100, 16));
            assertEquals(List.of(ALLOC), Guests.recorded(vm));
            assertFalse(vm.isFailed());
        }
    }

    @Test
    void allocatorReturningAPointerOutsideMemoryIsInvalidMemoryAccess() {
        String wild =
                "  (func (export \"proxy_on_memory_allocate\") (param i32) (result i32)"
                        + " (i32.const 0xFFFFFFFC))\n";
        try (PluginVm vm = start(module(IMPORT_FFI + ECHO + wild))) {
            assertEquals(Status.INVALID_MEMORY_ACCESS.code(), echo(vm, 6));
            assertArrayEquals(sentinel(16), read(vm, 0x2100, 16));
            assertFalse(vm.isFailed());
        }
    }

    @Test
    void proxyLogIsAllowedInsideTheAllocator() {
        CapturingLogHolder h = new CapturingLogHolder();
        String logging =
                "  (data (i32.const 0x2040) \"allocating\")\n"
                        + "  (func (export \"proxy_on_memory_allocate\") (param i32) (result i32)"
                        + " (drop (call $log (i32.const 3) (i32.const 0x2040) (i32.const 10)))"
                        + " (i32.const 0x8000))\n";
        try (PluginVm vm = h.start(module(IMPORT_LOG + IMPORT_FFI + ECHO + logging))) {
            assertEquals(0, echo(vm, 6));
            assertEquals(List.of("allocating"), h.log.messages(LogLevel.WARN));
            assertArrayEquals("abcdef".getBytes(StandardCharsets.US_ASCII), read(vm, 0x8000, 6));
        }
    }

    @Test
    void otherHostCallInsideTheAllocatorTraps() {
        String tickImport =
                "  (import \"env\" \"proxy_set_tick_period_milliseconds\" (func $tick (param i32)"
                        + " (result i32)))\n";
        String calling =
                "  (func (export \"proxy_on_memory_allocate\") (param i32) (result i32)"
                        + " (drop (call $tick (i32.const 0))) (i32.const 0x8000))\n";
        try (PluginVm vm = start(module(tickImport + IMPORT_FFI + ECHO + calling))) {
            FilterFailedException e = assertThrows(FilterFailedException.class, () -> echo(vm, 6));
            assertTrue(e.getMessage().startsWith("test.wasm: "), e.getMessage());
            assertTrue(e.getMessage().contains("restricted_callback"), e.getMessage());
            assertTrue(
                    e.getMessage().contains("proxy_set_tick_period_milliseconds"), e.getMessage());
            assertTrue(e.getMessage().contains("allocator"), e.getMessage());
            assertTrue(vm.isFailed());
        }
    }

    @Test
    void wasiWriteIsAllowedInsideTheAllocatorButRandomIsNot() {
        CapturingLogHolder h = new CapturingLogHolder();
        String wasiImports =
                "  (import \"wasi_snapshot_preview1\" \"fd_write\" (func $fd_write (param i32 i32"
                        + " i32 i32) (result i32)))\n"
                        + "  (import \"wasi_snapshot_preview1\" \"random_get\" (func $random"
                        + " (param i32 i32) (result i32)))\n";
        String writing =
                "  (data (i32.const 0x2040) \"alloc\\n\")\n"
                        + "  (data (i32.const 0x2060) \"\\40\\20\\00\\00\\06\\00\\00\\00\")\n"
                        + "  (global $use_random (mut i32) (i32.const 0))\n"
                        + "  (func (export \"t_use_random\") (global.set $use_random (i32.const"
                        + " 1)))\n"
                        + "  (func (export \"proxy_on_memory_allocate\") (param i32) (result i32)\n"
                        + "    (drop (call $fd_write (i32.const 2) (i32.const 0x2060) (i32.const 1)"
                        + " (i32.const 0x2070)))\n"
                        + "    (if (global.get $use_random) (then (drop (call $random (i32.const"
                        + " 0x2080) (i32.const 4)))))\n"
                        + "    (i32.const 0x8000))\n";
        try (PluginVm vm = h.start(module(wasiImports + IMPORT_FFI + ECHO + writing))) {
            assertEquals(0, echo(vm, 6));
            assertEquals(List.of("alloc"), h.log.messages(LogLevel.ERROR));
            vm.invokeAsCallback("t_use_random", vm.rootContext().id());
            FilterFailedException e = assertThrows(FilterFailedException.class, () -> echo(vm, 6));
            assertTrue(e.getMessage().contains("restricted_callback"), e.getMessage());
            assertTrue(e.getMessage().contains("random_get"), e.getMessage());
        }
    }

    @Test
    void trapInsideTheAllocatorFailsTheVm() {
        String trapping =
                "  (func (export \"proxy_on_memory_allocate\") (param i32) (result i32)"
                        + " unreachable)\n";
        try (PluginVm vm = start(module(IMPORT_FFI + ECHO + trapping))) {
            FilterFailedException e = assertThrows(FilterFailedException.class, () -> echo(vm, 6));
            assertTrue(e.getMessage().contains("proxy_on_memory_allocate"), e.getMessage());
            assertTrue(vm.isFailed());
        }
    }

    private static byte[] sentinel(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) 0xA5);
        return b;
    }

    /** A plugin with a capturing log. */
    private static final class CapturingLogHolder {
        final Guests.CapturingLog log = new Guests.CapturingLog();

        PluginVm start(byte[] wasm) {
            return Guests.builder(wasm).withServices(log.services()).build().startVm();
        }
    }
}
