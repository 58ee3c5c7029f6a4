package org.pwtck.host.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.testing.Wat;
import org.pwtck.host.vm.ModuleLoadException;

/** What {@link Plugin.Builder#build()} refuses, and that each refusal names module and reason. */
class ModuleLoadingTest {

    private static final String ALLOCATOR =
            "  (func (export \"proxy_on_memory_allocate\") (param i32) (result i32) i32.const"
                    + " 0x8000)\n";

    /** A module with memory, an allocator and the given markers and body. */
    private static byte[] raw(String body, String... markers) {
        StringBuilder wat = new StringBuilder("(module\n").append(body);
        wat.append("  (memory (export \"memory\") 1)\n");
        for (String m : markers) {
            wat.append("  (func (export \"").append(m).append("\"))\n");
        }
        return Wat.compile(wat.append(")").toString());
    }

    private static Plugin load(byte[] wasm) {
        return Guests.builder(wasm).build();
    }

    private static String refusal(byte[] wasm) {
        return refusal(wasm, "test.wasm");
    }

    private static String refusal(byte[] wasm, String displayName) {
        ModuleLoadException e =
                assertThrows(
                        ModuleLoadException.class,
                        () -> Plugin.builder().withWasm(wasm, displayName).build());
        assertTrue(
                e.getMessage().startsWith(displayName + ": "),
                "the message names the module first: " + e.getMessage());
        return e.getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' missing in: " + message);
        }
    }

    // ---- not a module ----

    @Test
    void bytesThatAreNotWasmAreRefusedWithTheParsersReason() {
        String m = refusal("hello, this is not wasm".getBytes(StandardCharsets.UTF_8));
        assertContains(m, "not a valid WebAssembly module: ");
        String reason = m.substring(m.indexOf("module: ") + "module: ".length());
        assertTrue(reason.length() > 5 && !reason.equals("null"), "parser's reason: " + m);
    }

    @Test
    void emptyBytesAreRefused() {
        assertContains(refusal(new byte[0]), "not a valid WebAssembly module");
    }

    @Test
    void truncatedModuleIsRefused() {
        byte[] whole = Guests.module(AbiVersion.V0_2_1, Guests.RECORDER);
        for (int cut : new int[] {4, 9, whole.length / 2, whole.length - 1}) {
            String m = refusal(Arrays.copyOf(whole, cut));
            assertContains(m, "not a valid WebAssembly module: ");
        }
    }

    @Test
    void everyTruncationIsAModuleLoadExceptionAndNothingElse() {
        byte[] whole = Guests.module(AbiVersion.V0_2_1, Guests.RECORDER);
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] prefix = Arrays.copyOf(whole, cut);
            assertThrows(ModuleLoadException.class, () -> load(prefix), "cut at " + cut);
        }
    }

    @Test
    void corruptedBytesLoadOrAreRefusedButNeverThrowAnythingElse() {
        byte[] whole = Guests.module(AbiVersion.V0_2_1, Guests.RECORDER);
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 300; i++) {
            byte[] bad = whole.clone();
            bad[8 + random.nextInt(bad.length - 8)] = (byte) random.nextInt(256);
            Plugin plugin;
            try {
                plugin = load(bad);
            } catch (ModuleLoadException expected) {
                assertTrue(expected.getMessage().startsWith("test.wasm: "), expected.getMessage());
                continue;
            }
            // Loaded: starting it works, or fails with one of the two documented exceptions.
            try (PluginVm vm = plugin.startVm()) {
                assertEquals(false, vm.isFailed());
            } catch (ModuleLoadException | PluginStartException expected) {
                assertTrue(expected.getMessage().startsWith("test.wasm: "), expected.getMessage());
            }
        }
    }

    @Test
    void refusalNamesTheDisplayNameGiven() {
        String m = refusal(new byte[] {0, 'a', 's', 'm'}, "filters/odd name.wasm");
        assertContains(m, "not a valid WebAssembly module");
    }

    // ---- ABI marker ----

    @Test
    void moduleWithoutMarkerIsRefused() {
        assertContains(refusal(raw(ALLOCATOR)), "exports no ABI marker", "not a proxy-wasm module");
    }

    @Test
    void unknownMarkerIsRefused() {
        String m = refusal(raw(ALLOCATOR, "proxy_abi_version_9_9_9"));
        assertContains(m, "unknown ABI marker proxy_abi_version_9_9_9");
    }

    @Test
    void twoMarkersAreRefused() {
        String m = refusal(raw(ALLOCATOR, "proxy_abi_version_0_2_0", "proxy_abi_version_0_2_1"));
        assertContains(m, "2 ABI markers", "proxy_abi_version_0_2_0", "proxy_abi_version_0_2_1");
    }

    @Test
    void twoMarkersOneUnknownAreRefused() {
        String m = refusal(raw(ALLOCATOR, "proxy_abi_version_0_2_1", "proxy_abi_version_vnext"));
        assertContains(m, "2 ABI markers");
    }

    @ParameterizedTest
    @EnumSource(AbiVersion.class)
    void eachMarkerIsDetected(AbiVersion version) {
        Plugin plugin = load(raw(ALLOCATOR, version.marker()));
        assertEquals(version, plugin.abiVersion());
        assertEquals(version, plugin.info().abiVersion());
    }

    // ---- allocator ----

    @Test
    void moduleWithoutAllocatorIsRefused() {
        String m = refusal(raw("", AbiVersion.V0_2_1.marker()));
        assertContains(m, "exports no allocator", "proxy_on_memory_allocate", "malloc");
    }

    @Test
    void mallocAloneIsAnAllocator() {
        byte[] wasm =
                raw(
                        "  (func (export \"malloc\") (param i32) (result i32) i32.const 0x8000)\n",
                        AbiVersion.V0_2_0.marker());
        assertEquals(AbiVersion.V0_2_0, load(wasm).abiVersion());
    }

    @Test
    void allocatorWithWrongSignatureIsRefused() {
        byte[] wasm =
                raw(
                        "  (func (export \"proxy_on_memory_allocate\") (param i64) (result i32)"
                                + " i32.const 0)\n",
                        AbiVersion.V0_2_1.marker());
        assertContains(
                refusal(wasm),
                "exports proxy_on_memory_allocate with signature (i64) -> (i32)",
                "requires (i32) -> (i32)");
    }

    // ---- imports ----

    @Test
    void importTheHostLacksIsRefused() {
        byte[] wasm =
                raw(
                        "  (import \"env\" \"proxy_nonexistent\" (func (param i32) (result"
                                + " i32)))\n"
                                + ALLOCATOR,
                        AbiVersion.V0_2_1.marker());
        assertContains(refusal(wasm), "imports env.proxy_nonexistent", "does not provide", "0.2.1");
    }

    @Test
    void hostFunctionImportedWithWrongSignatureIsRefused() {
        byte[] wasm =
                raw(
                        "  (import \"env\" \"proxy_log\" (func (param i32 i32) (result i32)))\n"
                                + ALLOCATOR,
                        AbiVersion.V0_2_1.marker());
        assertContains(
                refusal(wasm),
                "imports env.proxy_log with signature (i32 i32) -> (i32)",
                "the host's is (i32 i32 i32) -> (i32)");
    }

    @Test
    void hostFunctionImportedWithoutResultIsRefused() {
        byte[] wasm =
                raw(
                        "  (import \"env\" \"proxy_done\" (func))\n" + ALLOCATOR,
                        AbiVersion.V0_2_1.marker());
        assertContains(refusal(wasm), "env.proxy_done with signature () -> ()", "() -> (i32)");
    }

    @Test
    void metricValueImportedAsI32IsRefused() {
        byte[] wasm =
                raw(
                        "  (import \"env\" \"proxy_record_metric\" (func (param i32 i32)"
                                + " (result i32)))\n"
                                + ALLOCATOR,
                        AbiVersion.V0_2_1.marker());
        assertContains(refusal(wasm), "proxy_record_metric", "(i32 i64) -> (i32)");
    }

    private static byte[] importing(AbiVersion version, String name, String signature) {
        return raw(
                "  (import \"env\" \"" + name + "\" (func " + signature + "))\n" + ALLOCATOR,
                version.marker());
    }

    @Test
    void getLogLevelIsRefusedToA020Module() {
        String m =
                refusal(
                        importing(
                                AbiVersion.V0_2_0,
                                "proxy_get_log_level",
                                "(param i32) (result i32)"));
        assertContains(m, "imports env.proxy_get_log_level", "does not provide", "ABI 0.2.0");
    }

    @ParameterizedTest
    @EnumSource(
            value = AbiVersion.class,
            names = {"V0_2_1", "VNEXT"})
    void getLogLevelLinksFor021AndLater(AbiVersion version) {
        Plugin p = load(importing(version, "proxy_get_log_level", "(param i32) (result i32)"));
        assertEquals(version, p.abiVersion());
    }

    @Test
    void continueStreamIsRefusedToA010Module() {
        assertContains(
                refusal(
                        importing(
                                AbiVersion.V0_1_0,
                                "proxy_continue_stream",
                                "(param i32) (result i32)")),
                "env.proxy_continue_stream",
                "ABI 0.1.0");
        assertContains(
                refusal(
                        importing(
                                AbiVersion.V0_1_0,
                                "proxy_close_stream",
                                "(param i32) (result i32)")),
                "env.proxy_close_stream");
    }

    @ParameterizedTest
    @EnumSource(
            value = AbiVersion.class,
            names = {"V0_2_0", "V0_2_1", "VNEXT"})
    void legacyFunctionsAreRefusedTo02xModules(AbiVersion version) {
        for (String legacy :
                new String[] {
                    "proxy_continue_request", "proxy_continue_response", "proxy_clear_route_cache"
                }) {
            assertContains(
                    refusal(importing(version, legacy, "(result i32)")),
                    "env." + legacy,
                    "ABI " + version.label());
        }
        assertContains(
                refusal(
                        importing(
                                version,
                                "proxy_get_configuration",
                                "(param i32 i32) (result i32)")),
                "env.proxy_get_configuration");
    }

    @Test
    void legacyFunctionsLinkFor010() {
        byte[] wasm =
                raw(
                        "  (import \"env\" \"proxy_continue_request\" (func (result i32)))\n"
                                + "  (import \"env\" \"proxy_continue_response\" (func (result"
                                + " i32)))\n"
                                + "  (import \"env\" \"proxy_clear_route_cache\" (func (result"
                                + " i32)))\n"
                                + "  (import \"env\" \"proxy_get_configuration\" (func (param i32"
                                + " i32) (result i32)))\n"
                                + ALLOCATOR,
                        AbiVersion.V0_1_0.marker());
        assertEquals(AbiVersion.V0_1_0, load(wasm).abiVersion());
    }

    @Test
    void importFromAnUnknownModuleIsRefused() {
        byte[] wasm =
                raw(
                        "  (import \"proxy_wasm\" \"proxy_log\" (func (param i32 i32 i32) (result"
                                + " i32)))\n"
                                + ALLOCATOR,
                        AbiVersion.V0_2_1.marker());
        assertContains(refusal(wasm), "imports proxy_wasm.proxy_log", "does not provide");
    }

    @Test
    void importOfAGlobalIsRefused() {
        byte[] wasm =
                raw(
                        "  (import \"env\" \"stack_pointer\" (global i32))\n" + ALLOCATOR,
                        AbiVersion.V0_2_1.marker());
        assertContains(refusal(wasm), "imports global env.stack_pointer", "does not provide");
    }

    @Test
    void wasiUnderBothModuleNamesLinks() {
        byte[] wasm =
                raw(
                        "  (import \"wasi_snapshot_preview1\" \"fd_write\" (func (param i32 i32 i32"
                                + " i32) (result i32)))\n"
                                + "  (import \"wasi_unstable\" \"fd_write\" (func (param i32 i32 i32"
                                + " i32) (result i32)))\n"
                                + "  (import \"wasi_unstable\" \"clock_time_get\" (func (param i32"
                                + " i64 i32) (result i32)))\n"
                                + ALLOCATOR,
                        AbiVersion.V0_2_1.marker());
        Plugin plugin = load(wasm);
        assertEquals(3, plugin.module().imports().size());
        try (PluginVm vm = plugin.startVm()) {
            assertEquals(false, vm.isFailed());
        }
    }

    @Test
    void wasiImportWithWrongSignatureIsRefused() {
        byte[] wasm =
                raw(
                        "  (import \"wasi_snapshot_preview1\" \"clock_time_get\" (func (param i32"
                                + " i32 i32) (result i32)))\n"
                                + ALLOCATOR,
                        AbiVersion.V0_2_1.marker());
        assertContains(
                refusal(wasm),
                "wasi_snapshot_preview1.clock_time_get with signature (i32 i32 i32) -> (i32)",
                "(i32 i64 i32) -> (i32)");
    }

    @Test
    void unknownWasiFunctionIsRefused() {
        byte[] wasm =
                raw(
                        "  (import \"wasi_snapshot_preview1\" \"no_such_call\" (func))\n"
                                + ALLOCATOR,
                        AbiVersion.V0_2_1.marker());
        assertContains(refusal(wasm), "wasi_snapshot_preview1.no_such_call", "does not provide");
    }

    @Test
    void emscriptenNotifyMemoryGrowthLinks() {
        Plugin p =
                load(
                        importing(
                                AbiVersion.V0_2_1,
                                "emscripten_notify_memory_growth",
                                "(param i32)"));
        assertEquals(1, p.module().imports().size());
    }

    // ---- callbacks ----

    @Test
    void callbackWithWrongSignatureIsRefused() {
        byte[] wasm =
                raw(
                        ALLOCATOR
                                + "  (func (export \"proxy_on_request_headers\") (param i32 i32)"
                                + " (result i32) i32.const 0)\n",
                        AbiVersion.V0_2_1.marker());
        assertContains(
                refusal(wasm),
                "exports proxy_on_request_headers with signature (i32 i32) -> (i32)",
                "ABI 0.2.1 requires (i32 i32 i32) -> (i32)");
    }

    @Test
    void twoParameterHeadersCallbackIsAcceptedFor010() {
        byte[] wasm =
                raw(
                        ALLOCATOR
                                + "  (func (export \"proxy_on_request_headers\") (param i32 i32)"
                                + " (result i32) i32.const 0)\n"
                                + "  (func (export \"proxy_on_response_headers\") (param i32 i32)"
                                + " (result i32) i32.const 0)\n",
                        AbiVersion.V0_1_0.marker());
        assertEquals(AbiVersion.V0_1_0, load(wasm).abiVersion());
    }

    @Test
    void threeParameterHeadersCallbackIsRefusedFor010() {
        byte[] wasm =
                raw(
                        ALLOCATOR
                                + "  (func (export \"proxy_on_response_headers\") (param i32 i32"
                                + " i32) (result i32) i32.const 0)\n",
                        AbiVersion.V0_1_0.marker());
        assertContains(
                refusal(wasm),
                "proxy_on_response_headers with signature (i32 i32 i32) -> (i32)",
                "ABI 0.1.0 requires (i32 i32) -> (i32)");
    }

    @Test
    void callbackWithoutItsResultIsRefused() {
        byte[] wasm =
                raw(
                        ALLOCATOR + "  (func (export \"proxy_on_vm_start\") (param i32 i32))\n",
                        AbiVersion.V0_2_1.marker());
        assertContains(refusal(wasm), "proxy_on_vm_start with signature (i32 i32) -> ()");
    }

    @Test
    void startUpFunctionWithWrongSignatureIsRefused() {
        byte[] wasm =
                raw(
                        ALLOCATOR
                                + "  (func (export \"_initialize\"))\n"
                                + "  (func (export \"main\") (param i32) (result i32) i32.const"
                                + " 0)\n",
                        AbiVersion.V0_2_1.marker());
        assertContains(refusal(wasm), "exports main with signature (i32) -> (i32)");
    }

    // ---- memory ----

    @Test
    void moduleNeedingMoreInitialMemoryThanAllowedIsRefused() {
        byte[] wasm =
                Wat.compile(
                        "(module (memory (export \"memory\") 5)\n"
                                + ALLOCATOR
                                + "  (func (export \"proxy_abi_version_0_2_1\")))");
        ModuleLoadException e =
                assertThrows(
                        ModuleLoadException.class,
                        () -> Guests.builder(wasm).withMaxMemoryPages(4).build());
        assertContains(e.getMessage(), "test.wasm: ", "needs 5 memory pages", "limit is 4 pages");
        // At exactly the limit it loads and starts.
        try (PluginVm vm = Guests.builder(wasm).withMaxMemoryPages(5).build().startVm()) {
            assertEquals(5L * 65536, Guests.memoryOf(vm).size());
        }
    }

    @Test
    void moduleWithoutMemoryIsRefused() {
        byte[] wasm =
                Wat.compile(
                        "(module\n" + ALLOCATOR + "  (func (export \"proxy_abi_version_0_2_1\")))");
        assertContains(refusal(wasm), "no memory");
    }

    @Test
    void importedMemoryIsProvided() {
        byte[] wasm =
                Wat.compile(
                        "(module (import \"env\" \"memory\" (memory 2))\n"
                                + ALLOCATOR
                                + "  (func (export \"proxy_abi_version_0_2_1\")))");
        try (PluginVm vm = load(wasm).startVm()) {
            assertEquals(2L * 65536, Guests.memoryOf(vm).size());
        }
    }
}
