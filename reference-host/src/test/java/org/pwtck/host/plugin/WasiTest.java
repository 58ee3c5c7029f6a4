package org.pwtck.host.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.testing.TestHost;

/** What a filter gets from WASI: stdout/stderr as log lines, its own environment, clocks. */
class WasiTest {
    private static final String W = "wasi_snapshot_preview1";

    private static String passthrough(String module, String name, String params) {
        String sig = "(param " + params + ") (result i32)";
        StringBuilder call = new StringBuilder();
        for (int i = 0; i < params.split(" ").length; i++) {
            call.append(" local.get ").append(i);
        }
        return "  (import \""
                + module
                + "\" \""
                + name
                + "\" (func $"
                + module
                + "_"
                + name
                + " "
                + sig
                + "))\n";
    }

    private static String export(String module, String name, String params, String exportName) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < params.split(" ").length; i++) {
            body.append(" local.get ").append(i);
        }
        return "  (func (export \""
                + exportName
                + "\") (param "
                + params
                + ") (result i32)"
                + body
                + " call $"
                + module
                + "_"
                + name
                + ")\n";
    }

    private static final String[][] FUNCTIONS = {
        {W, "fd_write", "i32 i32 i32 i32", "t_fd_write"},
        {"wasi_unstable", "fd_write", "i32 i32 i32 i32", "t_unstable_fd_write"},
        {W, "environ_sizes_get", "i32 i32", "t_environ_sizes_get"},
        {W, "environ_get", "i32 i32", "t_environ_get"},
        {W, "clock_time_get", "i32 i64 i32", "t_clock_time_get"},
        {W, "random_get", "i32 i32", "t_random_get"},
        {W, "path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32", "t_path_open"},
        {W, "args_sizes_get", "i32 i32", "t_args_sizes_get"},
    };

    private static byte[] module() {
        StringBuilder body = new StringBuilder();
        for (String[] f : FUNCTIONS) {
            body.append(passthrough(f[0], f[1], f[2]));
        }
        for (String[] f : FUNCTIONS) {
            body.append(export(f[0], f[1], f[2], f[3]));
        }
        return Guests.module(AbiVersion.V0_2_1, body.toString());
    }

    private TestHost host;

    private TestHost start(Plugin.Builder builder) {
        host = TestHost.start(builder, HostServices.inMemory());
        return host;
    }

    private TestHost start() {
        return start(Guests.builder(module()));
    }

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    private int call(String export, long... args) {
        return (int) host.vm.invokeAsCallback(export, host.root(), args);
    }

    /** An iovec array for the given strings; returns its address. */
    private int iovecs(String... parts) {
        ByteBuffer iov = ByteBuffer.allocate(8 * parts.length).order(ByteOrder.LITTLE_ENDIAN);
        for (String p : parts) {
            iov.putInt(host.put(p)).putInt(p.getBytes(StandardCharsets.UTF_8).length);
        }
        return host.put(iov.array());
    }

    private List<String> lines(LogLevel level) {
        synchronized (host.logs) {
            return host.logs.stream()
                    .filter(l -> l.level() == level)
                    .map(TestHost.LogLine::message)
                    .toList();
        }
    }

    private static byte[] sentinel(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, TestHost.SENTINEL);
        return b;
    }

    // ---- fd_write ----

    @Test
    void stdoutIsLoggedAtInfoAndStderrAtError() {
        start();
        int written = host.slot();
        assertEquals(0, call("t_fd_write", 1, iovecs("to stdout\n"), 1, written));
        assertEquals(10, host.u32(written));
        assertArrayEquals(sentinel(12), host.read(written + 4, 12));
        int written2 = host.slot();
        assertEquals(0, call("t_fd_write", 2, iovecs("to stderr\n"), 1, written2));
        assertEquals(List.of("to stdout"), lines(LogLevel.INFO));
        assertEquals(List.of("to stderr"), lines(LogLevel.ERROR));
        assertEquals("test", host.logs.get(0).plugin());
    }

    @Test
    void outputIsLineBuffered() {
        start();
        int written = host.slot();
        assertEquals(0, call("t_fd_write", 1, iovecs("one\ntw"), 1, written));
        assertEquals(List.of("one"), lines(LogLevel.INFO));
        assertEquals(0, call("t_fd_write", 1, iovecs("o", "\nthree\n"), 2, written));
        assertEquals(8, host.u32(written));
        assertEquals(List.of("one", "two", "three"), lines(LogLevel.INFO));
    }

    @Test
    void aPartialLineIsLoggedWhenTheVmCloses() {
        start();
        int written = host.slot();
        assertEquals(0, call("t_fd_write", 2, iovecs("no newline"), 1, written));
        assertEquals(List.of(), lines(LogLevel.ERROR));
        host.close();
        assertEquals(List.of("no newline"), lines(LogLevel.ERROR));
    }

    @Test
    void wasiUnstableWritesTheSameWay() {
        start();
        int written = host.slot();
        assertEquals(0, call("t_unstable_fd_write", 1, iovecs("old name\n"), 1, written));
        assertEquals(List.of("old name"), lines(LogLevel.INFO));
    }

    @Test
    void writeToAnotherDescriptorIsBadfAndLogsNothing() {
        start();
        int written = host.slot();
        assertEquals(8, call("t_fd_write", 3, iovecs("x\n"), 1, written));
        assertEquals(List.of(), host.logs);
    }

    @Test
    void writeFromOutsideMemoryIsAnErrnoNotATrap() {
        start();
        int written = host.slot();
        int errno = call("t_fd_write", 1, 0x7FFFFFF0, 1, written);
        assertEquals(21, errno, "FAULT, as cpp-host");
        assertFalse(host.vm.isFailed());
    }

    // ---- environment, arguments ----

    @Test
    void environmentIsEmptyUnlessConfigured() {
        start();
        int count = host.slot();
        int size = host.slot();
        assertFalse(System.getenv().isEmpty(), "the JVM has variables that must not leak");
        assertEquals(0, call("t_environ_sizes_get", count, size));
        assertEquals(0, host.u32(count));
        assertEquals(0, host.u32(size));
    }

    @Test
    void environmentHasExactlyTheConfiguredVariables() {
        start(Guests.builder(module()).addEnvironment("A", "1").addEnvironment("BB", "xy"));
        int count = host.slot();
        int size = host.slot();
        assertEquals(0, call("t_environ_sizes_get", count, size));
        assertEquals(2, host.u32(count));
        assertEquals(10, host.u32(size));
        int pointers = host.slot();
        int buf = host.slot();
        assertEquals(0, call("t_environ_get", pointers, buf));
        assertEquals(buf, host.u32(pointers));
        assertEquals(buf + 4, host.u32(pointers + 4));
        assertArrayEquals(sentinel(8), host.read(pointers + 8, 8));
        assertArrayEquals("A=1\0BB=xy\0".getBytes(StandardCharsets.UTF_8), host.read(buf, 10));
        assertArrayEquals(sentinel(6), host.read(buf + 10, 6));
    }

    @Test
    void environmentKeepsTheOrderVariablesWereAddedIn() {
        Plugin.Builder b = Guests.builder(module());
        StringBuilder expected = new StringBuilder();
        for (String name : new String[] {"ZED", "ALPHA", "MID", "BETA", "OMEGA", "A1"}) {
            b.addEnvironment(name, name.toLowerCase());
            expected.append(name).append('=').append(name.toLowerCase()).append('\0');
        }
        start(b);
        int count = host.slot();
        int size = host.slot();
        assertEquals(0, call("t_environ_sizes_get", count, size));
        assertEquals(6, host.u32(count));
        assertEquals(expected.length(), host.u32(size));
        int pointers = host.put(new byte[24]);
        int buf = host.put(new byte[expected.length()]);
        assertEquals(0, call("t_environ_get", pointers, buf));
        assertEquals(
                expected.toString(),
                new String(host.read(buf, expected.length()), StandardCharsets.UTF_8));
    }

    @Test
    void argumentsAreEmpty() {
        start();
        int count = host.slot();
        int size = host.slot();
        assertEquals(0, call("t_args_sizes_get", count, size));
        assertEquals(0, host.u32(count));
        assertEquals(0, host.u32(size));
    }

    // ---- clocks, randomness, files ----

    @Test
    void realtimeClockIsWallClockNanoseconds() {
        start();
        int slot = host.slot();
        long before = System.currentTimeMillis();
        assertEquals(0, call("t_clock_time_get", 0, 1L, slot));
        long nanos = host.u64(slot);
        assertTrue(
                Math.abs(nanos / 1_000_000L - before) < 60_000,
                "realtime " + nanos + " vs " + before);
        assertArrayEquals(sentinel(8), host.read(slot + 8, 8));
    }

    @Test
    void monotonicClockDoesNotGoBack() {
        start();
        int first = host.slot();
        int second = host.slot();
        assertEquals(0, call("t_clock_time_get", 1, 1L, first));
        assertEquals(0, call("t_clock_time_get", 1, 1L, second));
        assertTrue(host.u64(second) >= host.u64(first));
        assertNotEquals(
                ByteBuffer.wrap(sentinel(8)).order(ByteOrder.LITTLE_ENDIAN).getLong(),
                host.u64(first));
    }

    @Test
    void unknownClockIsAnError() {
        start();
        int slot = host.slot();
        assertNotEquals(0, call("t_clock_time_get", 9, 1L, slot));
        assertArrayEquals(sentinel(16), host.read(slot, 16));
    }

    @Test
    void randomFillsExactlyTheBufferAndDiffersBetweenCalls() {
        start();
        int a = host.put(sentinel(48));
        int b = host.put(sentinel(48));
        assertEquals(0, call("t_random_get", a, 32));
        assertEquals(0, call("t_random_get", b, 32));
        byte[] first = host.read(a, 32);
        byte[] second = host.read(b, 32);
        assertFalse(Arrays.equals(first, second));
        assertFalse(Arrays.equals(first, sentinel(32)));
        assertArrayEquals(sentinel(16), host.read(a + 32, 16));
        assertArrayEquals(sentinel(16), host.read(b + 32, 16));
    }

    @Test
    void thereIsNoFilesystem() {
        start();
        int path = host.put("etc/passwd");
        int fd = host.slot();
        for (int dir : new int[] {3, 4}) {
            int errno = call("t_path_open", dir, 0, path, 10, 0, 0L, 0L, 0, fd);
            assertNotEquals(0, errno, "path_open in fd " + dir);
        }
        assertArrayEquals(sentinel(16), host.read(fd, 16));
    }
}
