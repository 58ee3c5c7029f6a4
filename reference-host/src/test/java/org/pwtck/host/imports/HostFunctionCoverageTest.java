package org.pwtck.host.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.Status;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.vm.AbiException;
import org.pwtck.host.vm.GuestTrapException;
import org.pwtck.host.vm.ImportBinding;

/**
 * The coverage table against ABI.md §0.1 and §2, typed in here by hand (not derived from {@link
 * AbiFunction}), so a wrong signature or version set in the host's single list is caught.
 */
class HostFunctionCoverageTest {
    private static final Set<String> ALL = Set.of("0.1.0", "0.2.0", "0.2.1", "vNEXT");
    private static final Set<String> ONLY_010 = Set.of("0.1.0");
    private static final Set<String> SINCE_020 = Set.of("0.2.0", "0.2.1", "vNEXT");
    private static final Set<String> SINCE_021 = Set.of("0.2.1", "vNEXT");

    private record Expected(String signature, Set<String> versions) {}

    /** ABI.md §2, function by function: signature and the versions whose spec defines it. */
    private static final Map<String, Expected> ABI_MD = new LinkedHashMap<>();

    private static void row(String name, String signature, Set<String> versions) {
        ABI_MD.put(name, new Expected(signature, versions));
    }

    static {
        // §2.1 context lifecycle
        row("proxy_done", "() -> (i32)", ALL);
        row("proxy_set_effective_context", "(i32) -> (i32)", ALL);
        // §2.2 logging, time, timers
        row("proxy_log", "(i32 i32 i32) -> (i32)", ALL);
        row("proxy_get_log_level", "(i32) -> (i32)", SINCE_021);
        row("proxy_get_current_time_nanoseconds", "(i32) -> (i32)", ALL);
        row("proxy_set_tick_period_milliseconds", "(i32) -> (i32)", ALL);
        // §2.3 buffers
        row("proxy_get_buffer_bytes", "(i32 i32 i32 i32 i32) -> (i32)", ALL);
        row("proxy_set_buffer_bytes", "(i32 i32 i32 i32 i32) -> (i32)", ALL);
        row("proxy_get_buffer_status", "(i32 i32 i32) -> (i32)", ALL);
        // §2.4 maps
        row("proxy_get_header_map_size", "(i32 i32) -> (i32)", ALL);
        row("proxy_get_header_map_pairs", "(i32 i32 i32) -> (i32)", ALL);
        row("proxy_set_header_map_pairs", "(i32 i32 i32) -> (i32)", ALL);
        row("proxy_get_header_map_value", "(i32 i32 i32 i32 i32) -> (i32)", ALL);
        row("proxy_add_header_map_value", "(i32 i32 i32 i32 i32) -> (i32)", ALL);
        row("proxy_replace_header_map_value", "(i32 i32 i32 i32 i32) -> (i32)", ALL);
        row("proxy_remove_header_map_value", "(i32 i32 i32) -> (i32)", ALL);
        // §2.5 stream control
        row("proxy_continue_stream", "(i32) -> (i32)", SINCE_020);
        row("proxy_close_stream", "(i32) -> (i32)", SINCE_020);
        row("proxy_get_status", "(i32 i32 i32) -> (i32)", ALL);
        row("proxy_send_local_response", "(i32 i32 i32 i32 i32 i32 i32 i32) -> (i32)", ALL);
        row("proxy_continue_request", "() -> (i32)", ONLY_010);
        row("proxy_continue_response", "() -> (i32)", ONLY_010);
        row("proxy_clear_route_cache", "() -> (i32)", ONLY_010);
        // §2.6 callouts
        row("proxy_http_call", "(i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) -> (i32)", ALL);
        row("proxy_grpc_call", "(i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) -> (i32)", ALL);
        row("proxy_grpc_stream", "(i32 i32 i32 i32 i32 i32 i32 i32 i32) -> (i32)", ALL);
        row("proxy_grpc_send", "(i32 i32 i32 i32) -> (i32)", ALL);
        row("proxy_grpc_cancel", "(i32) -> (i32)", ALL);
        row("proxy_grpc_close", "(i32) -> (i32)", ALL);
        // §2.7 shared data and queues
        row("proxy_get_shared_data", "(i32 i32 i32 i32 i32) -> (i32)", ALL);
        row("proxy_set_shared_data", "(i32 i32 i32 i32 i32) -> (i32)", ALL);
        row("proxy_register_shared_queue", "(i32 i32 i32) -> (i32)", ALL);
        row("proxy_resolve_shared_queue", "(i32 i32 i32 i32 i32) -> (i32)", ALL);
        row("proxy_enqueue_shared_queue", "(i32 i32 i32) -> (i32)", ALL);
        row("proxy_dequeue_shared_queue", "(i32 i32 i32) -> (i32)", ALL);
        // §2.8 metrics: the two i64s of the whole ABI
        row("proxy_define_metric", "(i32 i32 i32 i32) -> (i32)", ALL);
        row("proxy_record_metric", "(i32 i64) -> (i32)", ALL);
        row("proxy_increment_metric", "(i32 i64) -> (i32)", ALL);
        row("proxy_get_metric", "(i32 i32) -> (i32)", ALL);
        // §2.9 properties, FFI, legacy configuration
        row("proxy_get_property", "(i32 i32 i32 i32) -> (i32)", ALL);
        row("proxy_set_property", "(i32 i32 i32 i32) -> (i32)", ALL);
        row("proxy_call_foreign_function", "(i32 i32 i32 i32 i32 i32) -> (i32)", ALL);
        row("proxy_get_configuration", "(i32 i32) -> (i32)", ONLY_010);
    }

    private static final String EMSCRIPTEN = "emscripten_notify_memory_growth";

    private static Map<String, HostFunctionTable.Coverage> coverage() {
        return Plugin.hostFunctions().coverage().stream()
                .collect(
                        Collectors.toMap(
                                HostFunctionTable.Coverage::name,
                                c -> c,
                                (a, b) -> {
                                    throw new AssertionError("listed twice: " + a.name());
                                },
                                LinkedHashMap::new));
    }

    @Test
    void listsTheFortyThreeSpecFunctionsAndEmscripten() {
        assertEquals(43, ABI_MD.size(), "the typed-in table itself");
        Map<String, HostFunctionTable.Coverage> rows = coverage();
        Set<String> expected = new TreeSet<>(ABI_MD.keySet());
        expected.add(EMSCRIPTEN);
        assertEquals(expected, new TreeSet<>(rows.keySet()));
        assertEquals(44, Plugin.hostFunctions().coverage().size());
    }

    @Test
    void everyFunctionHasTheSignatureOfAbiMd() {
        Map<String, HostFunctionTable.Coverage> rows = coverage();
        for (Map.Entry<String, Expected> e : ABI_MD.entrySet()) {
            assertEquals(e.getValue().signature(), rows.get(e.getKey()).signature(), e.getKey());
        }
        assertEquals("(i32) -> ()", rows.get(EMSCRIPTEN).signature());
    }

    @Test
    void everyFunctionHasTheVersionsOfAbiMd() {
        Map<String, HostFunctionTable.Coverage> rows = coverage();
        for (Map.Entry<String, Expected> e : ABI_MD.entrySet()) {
            assertEquals(
                    e.getValue().versions(),
                    Set.copyOf(rows.get(e.getKey()).versions()),
                    e.getKey());
        }
        assertEquals(ALL, Set.copyOf(rows.get(EMSCRIPTEN).versions()));
    }

    @Test
    void everyFunctionIsImplementedAndOnlyEmscriptenIsOutsideTheSpec() {
        for (HostFunctionTable.Coverage row : Plugin.hostFunctions().coverage()) {
            assertTrue(row.implemented(), row.name() + " is not implemented");
            assertEquals(!row.name().equals(EMSCRIPTEN), row.inSpec(), row.name());
            assertFalse(row.area().isEmpty(), row.name());
        }
    }

    @Test
    void functionCountsPerVersionAreThoseOfAbiMdSection01() {
        Map<String, Integer> expected = Map.of("0.1.0", 40, "0.2.0", 38, "0.2.1", 39, "vNEXT", 39);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            long n =
                    Plugin.hostFunctions().coverage().stream()
                            .filter(HostFunctionTable.Coverage::inSpec)
                            .filter(c -> c.versions().contains(e.getKey()))
                            .count();
            assertEquals((long) e.getValue(), n, e.getKey());
        }
    }

    @ParameterizedTest
    @EnumSource(AbiVersion.class)
    void bindingsOfAVersionAreItsFunctionsWithTheirSignatures(AbiVersion version) {
        Map<String, ImportBinding> bindings = Plugin.hostFunctions().bindings(version, () -> null);
        Set<String> expected =
                ABI_MD.entrySet().stream()
                        .filter(e -> e.getValue().versions().contains(version.label()))
                        .map(e -> "env." + e.getKey())
                        .collect(Collectors.toCollection(TreeSet::new));
        expected.add("env." + EMSCRIPTEN);
        assertEquals(expected, new TreeSet<>(bindings.keySet()));
        for (ImportBinding b : bindings.values()) {
            String sig = org.pwtck.host.abi.WasmType.signature(b.params(), b.results());
            String want =
                    b.name().equals(EMSCRIPTEN) ? "(i32) -> ()" : ABI_MD.get(b.name()).signature();
            assertEquals(want, sig, b.name());
            assertEquals("env", b.module());
        }
    }

    @Test
    void onlyProxyLogAndEmscriptenMayRunAtStartAndOnlyProxyLogInTheAllocator() {
        for (ImportBinding b :
                Plugin.hostFunctions().bindings(AbiVersion.V0_2_1, () -> null).values()) {
            assertEquals(
                    b.name().equals("proxy_log") || b.name().equals(EMSCRIPTEN),
                    b.allowedAtStart(),
                    b.name());
            assertEquals(b.name().equals("proxy_log"), b.allowedInAllocator(), b.name());
        }
    }

    // ---- HostFunctionTable: the one place exceptions become statuses ----

    private static long[] invoke(HostFunctionTable table, AbiFunction f, long... args) {
        ImportBinding b = table.bindings(AbiVersion.V0_2_1, () -> null).get("env." + f.wasmName());
        assertNotNull(b, f.wasmName());
        return b.call().call(args);
    }

    @Test
    void aFunctionWithoutImplementationReturnsUnimplemented() {
        HostFunctionTable empty = new HostFunctionTable();
        assertFalse(empty.isImplemented(AbiFunction.PROXY_LOG));
        assertArrayEquals(
                new long[] {Status.UNIMPLEMENTED.code()},
                invoke(empty, AbiFunction.PROXY_LOG, 2, 0, 0));
        assertFalse(empty.coverage().get(0).implemented());
    }

    @Test
    void abiExceptionBecomesItsStatus() {
        HostFunctionTable t = new HostFunctionTable();
        t.put(
                AbiFunction.PROXY_DONE,
                (env, args) -> {
                    throw new AbiException(Status.CAS_MISMATCH, "test");
                });
        assertArrayEquals(new long[] {8}, invoke(t, AbiFunction.PROXY_DONE));
    }

    @Test
    void javaRuntimeExceptionBecomesInternalFailure() {
        HostFunctionTable t = new HostFunctionTable();
        t.put(
                AbiFunction.PROXY_DONE,
                (env, args) -> {
                    throw new IllegalStateException("bug in a host service");
                });
        assertArrayEquals(
                new long[] {Status.INTERNAL_FAILURE.code()}, invoke(t, AbiFunction.PROXY_DONE));
    }

    @Test
    void guestTrapPassesThrough() {
        HostFunctionTable t = new HostFunctionTable();
        GuestTrapException trap = new GuestTrapException("trap", null);
        t.put(
                AbiFunction.PROXY_DONE,
                (env, args) -> {
                    throw trap;
                });
        assertSame(
                trap,
                assertThrows(GuestTrapException.class, () -> invoke(t, AbiFunction.PROXY_DONE)));
    }

    @Test
    void voidFunctionReturnsNoValue() {
        HostFunctionTable t = new HostFunctionTable();
        t.put(AbiFunction.EMSCRIPTEN_NOTIFY_MEMORY_GROWTH, (env, args) -> 0);
        assertArrayEquals(new long[0], invoke(t, AbiFunction.EMSCRIPTEN_NOTIFY_MEMORY_GROWTH, 1));
    }

    @Test
    void registeringAFunctionTwiceIsABug() {
        HostFunctionTable t = new HostFunctionTable();
        t.put(AbiFunction.PROXY_DONE, (env, args) -> 0);
        assertThrows(
                IllegalStateException.class, () -> t.put(AbiFunction.PROXY_DONE, (env, args) -> 0));
        List<HostFunctionTable.Coverage> rows = t.coverage();
        assertEquals(1, rows.stream().filter(HostFunctionTable.Coverage::implemented).count());
    }
}
