package org.pwtck.host.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.abi.Status;
import org.pwtck.host.testing.TestHost;

class LoggingTimeImportsTest {
    private TestHost host;

    @BeforeEach
    void start() {
        host =
                TestHost.passthrough(
                        AbiVersion.V0_2_1,
                        AbiFunction.PROXY_LOG,
                        AbiFunction.PROXY_GET_LOG_LEVEL,
                        AbiFunction.PROXY_GET_CURRENT_TIME_NANOSECONDS);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void logsMessageAtItsLevel() {
        int msg = host.put("hello from wasm");
        assertEquals(0, host.call(AbiFunction.PROXY_LOG, LogLevel.WARN.code(), msg, 15));
        assertTrue(
                host.logs.stream()
                        .anyMatch(
                                l ->
                                        l.level() == LogLevel.WARN
                                                && l.message().equals("hello from wasm")),
                host.logs.toString());
    }

    @Test
    void logLevelPastCriticalIsBadArgumentBeforeMemoryIsRead() {
        assertEquals(
                Status.BAD_ARGUMENT.code(), host.call(AbiFunction.PROXY_LOG, 6, 0xFFFFFFF0L, 100));
        assertEquals(Status.BAD_ARGUMENT.code(), host.call(AbiFunction.PROXY_LOG, 100, 0, 0));
    }

    @Test
    void messageOutsideMemoryIsInvalidMemoryAccess() {
        assertEquals(
                Status.INVALID_MEMORY_ACCESS.code(),
                host.call(AbiFunction.PROXY_LOG, LogLevel.INFO.code(), 0x1FFF0, 0x100));
    }

    @Test
    void currentTimeWritesAllEightBytes() {
        int slot = host.slot();
        long before = System.currentTimeMillis() * 1_000_000L;
        assertEquals(0, host.call(AbiFunction.PROXY_GET_CURRENT_TIME_NANOSECONDS, slot));
        long nanos = host.u64(slot);
        assertTrue(nanos >= before - 1_000_000_000L, "time " + nanos + " is not 64-bit ns");
        assertTrue(nanos > (1L << 32), "a 4-byte write would leave the sentinel or truncate");
        byte[] tail = host.read(slot + 8, 8);
        assertArrayEquals(new byte[] {-91, -91, -91, -91, -91, -91, -91, -91}, tail);
    }

    @Test
    void logLevelReflectsConfiguration() {
        int slot = host.slot();
        assertEquals(0, host.call(AbiFunction.PROXY_GET_LOG_LEVEL, slot));
        assertEquals(LogLevel.INFO.code(), host.u32(slot));
        assertArrayEquals(new byte[] {-91, -91, -91, -91}, host.read(slot + 4, 4));
    }
}
