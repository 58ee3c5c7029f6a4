package org.pwtck.host.testing;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.WasmType;

/**
 * Small WAT modules for tests. {@link #passthrough} imports host functions and exports, for each, a
 * function {@code t_<name>} with the same signature that just calls it, so a test can call any host
 * function with any arguments and see the exact status.
 */
public final class Wat {
    /** Where the bump allocator starts; tests put their own data below it. */
    public static final int HEAP_START = 0x8000;

    private Wat() {}

    public static byte[] compile(String wat) {
        return Wat2Wasm.parse(wat);
    }

    /** A module of the given version with pass-through exports for the given host functions. */
    public static String passthrough(AbiVersion version, AbiFunction... functions) {
        return module(version, imports(functions) + exports(functions));
    }

    /** A module with a 2-page memory, a bump allocator, the marker and the given body. */
    public static String module(AbiVersion version, String body) {
        return "(module\n"
                + body
                + "\n  (memory (export \"memory\") 2)\n"
                + "  (global $heap (mut i32) (i32.const "
                + HEAP_START
                + "))\n"
                + "  (func (export \"proxy_on_memory_allocate\") (param $n i32) (result i32)\n"
                + "    (local $p i32)\n"
                + "    global.get $heap local.set $p\n"
                + "    global.get $heap local.get $n i32.add global.set $heap\n"
                + "    local.get $p)\n"
                + "  (func (export \""
                + version.marker()
                + "\"))\n"
                + ")";
    }

    public static String imports(AbiFunction... functions) {
        return Arrays.stream(functions)
                .map(
                        f ->
                                "  (import \"env\" \""
                                        + f.wasmName()
                                        + "\" (func $"
                                        + f.wasmName()
                                        + " "
                                        + sig(f)
                                        + "))\n")
                .collect(Collectors.joining());
    }

    public static String exports(AbiFunction... functions) {
        StringBuilder out = new StringBuilder();
        for (AbiFunction f : functions) {
            out.append("  (func (export \"t_")
                    .append(f.wasmName())
                    .append("\") ")
                    .append(sig(f))
                    .append("\n   ");
            for (int i = 0; i < f.params().size(); i++) {
                out.append(" local.get ").append(i);
            }
            out.append(" call $").append(f.wasmName()).append(")\n");
        }
        return out.toString();
    }

    private static String sig(AbiFunction f) {
        String params =
                f.params().stream()
                        .map(t -> t == WasmType.I32 ? "i32" : "i64")
                        .collect(Collectors.joining(" "));
        String results = f.results().isEmpty() ? "" : " (result i32)";
        return (params.isEmpty() ? "" : "(param " + params + ")") + results;
    }
}
