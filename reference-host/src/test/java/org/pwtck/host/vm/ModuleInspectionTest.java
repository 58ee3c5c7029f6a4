package org.pwtck.host.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.testing.Wat;

class ModuleInspectionTest {

    @Test
    void listsMarkerImportsExportsAndMemory() {
        byte[] wasm = Wat.compile(Wat.passthrough(AbiVersion.V0_2_1, AbiFunction.PROXY_LOG));

        ModuleInspection m = ModuleInspection.inspect("t.wasm", wasm);

        assertEquals(List.of("proxy_abi_version_0_2_1"), m.abiMarkers());
        assertEquals(Optional.of(AbiVersion.V0_2_1), m.abiVersion());
        assertEquals(
                List.of(
                        new ModuleInspection.Entry(
                                "env", "proxy_log", "function", "(i32 i32 i32) -> (i32)")),
                m.imports());
        assertTrue(
                m.exports()
                        .contains(
                                new ModuleInspection.Entry(
                                        "", "t_proxy_log", "function", "(i32 i32 i32) -> (i32)")),
                m.exports().toString());
        assertEquals(
                Optional.of(new ModuleInspection.Memory(2, Optional.empty(), false)), m.memory());
        assertEquals(LoadedModule.sha256(wasm), m.sha256());
    }

    @Test
    void listsWhatTheLoaderWouldRefuseInsteadOfStopping() {
        byte[] wasm =
                Wat.compile(
                        "(module (import \"env\" \"proxy_nope\" (func (param i32)))"
                                + " (memory 1 3)"
                                + " (func (export \"proxy_abi_version_0_2_1\"))"
                                + " (func (export \"proxy_abi_version_0_1_0\")))");

        ModuleInspection m = ModuleInspection.inspect("bad.wasm", wasm);

        assertEquals(2, m.abiMarkers().size());
        assertEquals(Optional.empty(), m.abiVersion());
        assertEquals("proxy_nope", m.imports().get(0).name());
        assertEquals("(i32) -> ()", m.imports().get(0).signature());
        assertEquals(
                Optional.of(new ModuleInspection.Memory(1, Optional.of(3), false)), m.memory());
    }

    @Test
    void refusesBytesThatAreNotWebAssembly() {
        ModuleLoadException e =
                assertThrows(
                        ModuleLoadException.class,
                        () -> ModuleInspection.inspect("x.wasm", "hello, world".getBytes()));
        assertEquals(
                "x.wasm: not a WebAssembly module (it does not start with \\0asm)", e.getMessage());
    }
}
