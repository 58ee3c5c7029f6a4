package org.pwtck.tck.wat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pwtck.tck.api.FilterSpec;

/**
 * Raw WAT modules for cases where only the ABI matters (no SDK in the way), observable on any host:
 * in {@code proxy_on_request_headers} the module runs the case's instructions, which leave an i32
 * status; the module stores it at {@link #STATUS} and answers with a local response whose body is
 * 256 bytes of its memory from {@link #STATUS}: the status, then the out area at {@link #OUT}
 * (pre-filled with the sentinel {@code 0xA5}), so a case sees exactly which bytes the host wrote.
 */
public final class WatProbe {
    /** Where the status lands; the reported window starts here. */
    public static final int STATUS = 0x100;

    /** Start of the sentinel-filled out area inside the reported window. */
    public static final int OUT = 0x110;

    /** Where case data goes (strings, serialized maps). */
    public static final int DATA = 0x400;

    private final String marker;
    private final List<String> imports = new ArrayList<>();
    private final Map<Integer, byte[]> data = new LinkedHashMap<>();
    private final List<String> extraExports = new ArrayList<>();
    private String body = "i32.const 0";
    private boolean allocator = true;

    private WatProbe(String marker) {
        this.marker = marker;
    }

    /** A module with the given ABI marker export, e.g. {@code proxy_abi_version_0_2_1}. */
    public static WatProbe withMarker(String marker) {
        return new WatProbe(marker);
    }

    public static WatProbe v021() {
        return withMarker("proxy_abi_version_0_2_1");
    }

    /**
     * Imports a host function as {@code $name}: {@code import("proxy_log", "i32 i32 i32", "i32")}.
     */
    public WatProbe importing(String name, String params, String result) {
        return importing("env", name, params, result);
    }

    /**
     * Imports a function of another module, e.g. {@code wasi_snapshot_preview1}, as {@code $name}.
     */
    public WatProbe importing(String module, String name, String params, String result) {
        imports.add(
                "  (import \""
                        + module
                        + "\" \""
                        + name
                        + "\" (func $"
                        + name
                        + (params.isEmpty() ? "" : " (param " + params + ")")
                        + (result.isEmpty() ? "" : " (result " + result + ")")
                        + "))");
        return this;
    }

    public WatProbe data(int address, byte[] bytes) {
        data.put(address, bytes.clone());
        return this;
    }

    public WatProbe data(int address, String text) {
        return data(address, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Instructions run in on_request_headers; they must leave one i32 (the status). */
    public WatProbe body(String instructions) {
        this.body = instructions;
        return this;
    }

    /** Adds raw WAT text at module level (extra functions, exports, a second marker…). */
    public WatProbe extra(String wat) {
        extraExports.add(wat);
        return this;
    }

    /** Leaves out the allocator export, for the "no allocator" case. */
    public WatProbe withoutAllocator() {
        this.allocator = false;
        return this;
    }

    public String wat() {
        StringBuilder w = new StringBuilder("(module\n");
        w.append(
                "  (import \"env\" \"proxy_send_local_response\" (func $pwtck_reply (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))\n");
        imports.forEach(i -> w.append(i).append('\n'));
        w.append("  (memory (export \"memory\") 2)\n");
        w.append("  (data (i32.const ").append(OUT).append(") \"");
        for (int i = 0; i < 256 - (OUT - STATUS); i++) {
            w.append("\\a5");
        }
        w.append("\")\n");
        data.forEach(
                (addr, bytes) ->
                        w.append("  (data (i32.const ")
                                .append(addr)
                                .append(") \"")
                                .append(escape(bytes))
                                .append("\")\n"));
        w.append("  (global $heap (mut i32) (i32.const 0x8000))\n");
        if (allocator) {
            w.append(
                    "  (func (export \"proxy_on_memory_allocate\") (param $n i32) (result i32) (local $p i32)\n"
                            + "    global.get $heap local.set $p global.get $heap local.get $n i32.add global.set $heap local.get $p)\n");
        }
        if (!marker.isEmpty()) {
            w.append("  (func (export \"").append(marker).append("\"))\n");
        }
        w.append("  (func (export \"proxy_on_context_create\") (param i32 i32))\n");
        w.append(
                "  (func (export \"proxy_on_vm_start\") (param i32 i32) (result i32) i32.const 1)\n");
        w.append(
                "  (func (export \"proxy_on_configure\") (param i32 i32) (result i32) i32.const 1)\n");
        boolean v010 = marker.endsWith("0_1_0");
        w.append("  (func (export \"proxy_on_request_headers\") (param $ctx i32) (param $n i32)")
                .append(v010 ? "" : " (param $eos i32)")
                .append(" (result i32)\n    i32.const ")
                .append(STATUS)
                .append("\n    ")
                .append(body)
                .append("\n    i32.store\n")
                .append(
                        "    (drop (call $pwtck_reply (i32.const 200) (i32.const 0) (i32.const 0) (i32.const ")
                .append(STATUS)
                .append(") (i32.const 256) (i32.const 0) (i32.const 0) (i32.const -1)))\n")
                .append("    i32.const 1)\n");
        extraExports.forEach(e -> w.append(e).append('\n'));
        w.append(")\n");
        return w.toString();
    }

    public byte[] wasm() {
        return Wat2Wasm.parse(wat());
    }

    public FilterSpec spec(String name) {
        return FilterSpec.of(name, "wat", wasm(), "");
    }

    private static String escape(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("\\%02x", b & 0xFF));
        }
        return s.toString();
    }

    /** The 256-byte window a WAT probe answered with. */
    public record Window(byte[] bytes) {
        public static Window of(byte[] body) {
            if (body.length != 256) {
                throw new AssertionError(
                        "expected the WAT probe's 256-byte window, got "
                                + body.length
                                + " bytes: "
                                + new String(body, StandardCharsets.UTF_8));
            }
            return new Window(body);
        }

        public int status() {
            return u32(STATUS);
        }

        /** Little-endian u32 at an absolute guest address inside the window. */
        public int u32(int address) {
            return ByteBuffer.wrap(bytes, address - STATUS, 4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .getInt();
        }

        public long u64(int address) {
            return ByteBuffer.wrap(bytes, address - STATUS, 8)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .getLong();
        }

        public byte[] slice(int address, int length) {
            return Arrays.copyOfRange(bytes, address - STATUS, address - STATUS + length);
        }

        /** True when every byte of the range still holds the sentinel. */
        public boolean untouched(int address, int length) {
            for (byte b : slice(address, length)) {
                if (b != (byte) 0xA5) {
                    return false;
                }
            }
            return true;
        }
    }
}
