package org.pwtck.cli;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The filters the tests gate: {@code filters/good.wat} (adds {@code x-pwtck-gated: yes} to each
 * request) and broken variants of it, compiled with Chicory's wabt into a directory.
 */
final class TestFilters {
    /**
     * How long the busy filter spins in each request, by the host's clock: far beyond the budget
     * the tests set, whatever the machine's speed, yet short of the load's request timeout.
     */
    static final long BUSY_MILLIS = 600;

    private TestFilters() {}

    static Path good(Path dir) throws IOException {
        return write(dir, "good", source());
    }

    /** Imports a host function no proxy-wasm ABI has. */
    static Path missingImport(Path dir) throws IOException {
        return write(
                dir,
                "missing-import",
                source().replace(
                                "{{EXTRA_IMPORT}}",
                                "(import \"env\" \"proxy_get_secret\" (func $secret (param i32"
                                        + " i32) (result i32)))"));
    }

    /** Traps ({@code unreachable}) in {@code proxy_on_request_headers}. */
    static Path trapsOnRequestHeaders(Path dir) throws IOException {
        return write(dir, "traps", source().replace("{{ON_REQUEST_HEADERS}}", "unreachable"));
    }

    /**
     * Spins {@link #BUSY_MILLIS} in every {@code proxy_on_request_headers}, reading the host's
     * clock until the time is up: a CPU-bound filter whose cost does not depend on the machine.
     */
    static Path busyLoop(Path dir) throws IOException {
        return write(
                dir,
                "busy-loop",
                source().replace(
                                "{{EXTRA_IMPORT}}",
                                "(import \"env\" \"proxy_get_current_time_nanoseconds\" (func"
                                        + " $now (param i32) (result i32)))")
                        .replace(
                                "{{ON_REQUEST_HEADERS}}",
                                "(drop (call $now (i32.const 0x200)))\n"
                                        + "    (local.set $until (i64.add (i64.load (i32.const"
                                        + " 0x200)) (i64.const "
                                        + BUSY_MILLIS * 1_000_000
                                        + ")))\n"
                                        + "    (loop $spin (drop (call $now (i32.const 0x200)))\n"
                                        + "      (br_if $spin (i64.lt_u (i64.load (i32.const"
                                        + " 0x200)) (local.get $until))))"));
    }

    /** {@code proxy_on_configure} returns false: the host must refuse to run it. */
    static Path refusesConfiguration(Path dir) throws IOException {
        String wat = source();
        String configure =
                "(func (export \"proxy_on_configure\") (param i32 i32) (result i32) i32.const 1)";
        if (!wat.contains(configure)) {
            throw new IllegalStateException("good.wat changed: no " + configure);
        }
        return write(
                dir,
                "refuses-config",
                wat.replace(configure, configure.replace("i32.const 1", "i32.const 0")));
    }

    /** No ABI marker export: a wasm module, but not a proxy-wasm filter. */
    static Path noAbiMarker(Path dir) throws IOException {
        return write(
                dir,
                "no-marker",
                source().replace("(func (export \"proxy_abi_version_0_2_1\"))", ""));
    }

    static String source() throws IOException {
        try (InputStream in = TestFilters.class.getResourceAsStream("/filters/good.wat")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Path write(Path dir, String name, String wat) throws IOException {
        String resolved = wat.replace("{{EXTRA_IMPORT}}", "").replace("{{ON_REQUEST_HEADERS}}", "");
        Path file = dir.resolve(name + ".wasm");
        Files.write(file, Wat2Wasm.parse(resolved));
        return file;
    }
}
