package org.pwtck.host.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.testing.TestHost;
import org.pwtck.host.testing.Wat;

class SharedDataImportsTest {
    private static final AbiFunction GET = AbiFunction.PROXY_GET_SHARED_DATA;
    private static final AbiFunction SET = AbiFunction.PROXY_SET_SHARED_DATA;
    private static final long OUTSIDE = 0x1FFF0; // 16 bytes below the end of 2 pages

    private TestHost host;

    @BeforeEach
    void start() {
        host = TestHost.passthrough(AbiVersion.V0_2_1, GET, SET);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    static byte[] sentinel(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, TestHost.SENTINEL);
        return b;
    }

    /** get(key) with three fresh out-slots: {status, valuePtrSlot, sizeSlot, casSlot}. */
    private static int[] get(TestHost h, String key) {
        int k = h.put(key);
        int p = h.slot();
        int s = h.slot();
        int c = h.slot();
        int status = h.call(GET, k, key.length(), p, s, c);
        return new int[] {status, p, s, c};
    }

    private static int set(TestHost h, String key, String value, long cas) {
        int k = h.put(key);
        int v = value.isEmpty() ? 0 : h.put(value);
        return h.call(SET, k, key.length(), v, value.length(), cas);
    }

    private static String value(TestHost h, int[] got) {
        return h.outString(got[1], got[2]);
    }

    @Test
    void absentKeyIsNotFoundAndWritesNothing() {
        int[] got = get(host, "nope");
        assertEquals(Status.NOT_FOUND.code(), got[0]);
        assertArrayEquals(sentinel(16), host.read(got[1], 16));
        assertArrayEquals(sentinel(16), host.read(got[2], 16));
        assertArrayEquals(sentinel(16), host.read(got[3], 16));
    }

    @Test
    void setThenGetReturnsValueAndFourByteNonZeroCas() {
        assertEquals(0, set(host, "k", "hello", 0));
        int[] got = get(host, "k");
        assertEquals(0, got[0]);
        assertEquals("hello", value(host, got));
        assertNotEquals(0, host.u32(got[3]));
        assertArrayEquals(sentinel(12), host.read(got[3] + 4, 12), "CAS is a u32: 4 bytes");
        assertArrayEquals(sentinel(12), host.read(got[1] + 4, 12));
        assertArrayEquals(sentinel(12), host.read(got[2] + 4, 12));
    }

    @Test
    void everyWriteGetsANewCas() {
        assertEquals(0, set(host, "k", "a", 0));
        long first = host.u32(get(host, "k")[3]);
        assertEquals(0, set(host, "k", "b", first));
        long second = host.u32(get(host, "k")[3]);
        assertNotEquals(first, second);
        assertNotEquals(0, second);
    }

    @Test
    void matchingCasWrites() {
        assertEquals(0, set(host, "k", "v1", 0));
        long cas = host.u32(get(host, "k")[3]);
        assertEquals(0, set(host, "k", "v2", cas));
        assertEquals("v2", value(host, get(host, "k")));
    }

    @Test
    void staleCasIsCasMismatchAndLeavesValueUnchanged() {
        assertEquals(0, set(host, "k", "v1", 0));
        long stale = host.u32(get(host, "k")[3]);
        assertEquals(0, set(host, "k", "v2", 0));
        int[] before = get(host, "k");
        assertEquals(Status.CAS_MISMATCH.code(), set(host, "k", "v3", stale));
        int[] after = get(host, "k");
        assertEquals("v2", value(host, after));
        assertEquals(host.u32(before[3]), host.u32(after[3]), "a refused write keeps the CAS");
    }

    @Test
    void casWithHighBitSetIsComparedAsU32() {
        assertEquals(0, set(host, "k", "v1", 0));
        assertEquals(Status.CAS_MISMATCH.code(), set(host, "k", "v2", 0xFFFFFFFFL));
        assertEquals("v1", value(host, get(host, "k")));
    }

    @Test
    void casOnAbsentKeyIsIgnoredAndTheInsertSucceeds() {
        // cpp-host behaviour; java-host returned CAS_MISMATCH here (ABI.md §4.2 item 8).
        assertEquals(0, set(host, "fresh", "v", 12345));
        int[] got = get(host, "fresh");
        assertEquals(0, got[0]);
        assertEquals("v", value(host, got));
    }

    @Test
    void zeroCasAlwaysOverwrites() {
        assertEquals(0, set(host, "k", "v1", 0));
        assertEquals(0, set(host, "k", "v2", 0));
        assertEquals("v2", value(host, get(host, "k")));
    }

    @Test
    void nullValueStoresEmptyInsteadOfDeleting() {
        assertEquals(0, set(host, "k", "v1", 0));
        int k = host.put("k");
        assertEquals(0, host.call(SET, k, 1, 0, 0, 0));
        int[] got = get(host, "k");
        assertEquals(0, got[0], "NULL value must not delete the key (cpp-host)");
        assertEquals(0, host.u32(got[1]));
        assertEquals(0, host.u32(got[2]));
        assertNotEquals(0, host.u32(got[3]));
    }

    @Test
    void emptyValueWithNonNullPointerStoresEmpty() {
        int k = host.put("e");
        int v = host.put("ignored");
        assertEquals(0, host.call(SET, k, 1, v, 0, 0));
        int[] got = get(host, "e");
        assertEquals(0, got[0]);
        assertEquals(0, host.u32(got[2]));
    }

    @Test
    void binaryValuesRoundTrip() {
        byte[] bytes = {0, 1, 2, (byte) 0xFF, 0, 7};
        int k = host.put("bin");
        int v = host.put(bytes);
        assertEquals(0, host.call(SET, k, 3, v, bytes.length, 0));
        int[] got = get(host, "bin");
        assertArrayEquals(bytes, host.outData(got[1], got[2]));
    }

    @Test
    void valueIsACopyNotAViewOfGuestMemory() {
        int k = host.put("k");
        int v = host.put("abc");
        assertEquals(0, host.call(SET, k, 1, v, 3, 0));
        host.vm
                .executor()
                .call(
                        () -> {
                            host.vm.memory().write(v, "xyz".getBytes(StandardCharsets.UTF_8));
                            return null;
                        });
        assertEquals("abc", value(host, get(host, "k")));
    }

    @Test
    void pluginsWithTheSameVmIdShareAndOthersDoNot() {
        HostServices services = HostServices.inMemory();
        byte[] wasm = Wat.compile(Wat.passthrough(AbiVersion.V0_2_1, GET, SET));
        try (TestHost a = TestHost.start(plugin("a", "shared", wasm), services);
                TestHost b = TestHost.start(plugin("b", "shared", wasm), services);
                TestHost c = TestHost.start(plugin("c", "other", wasm), services)) {
            assertEquals(0, set(a, "k", "from-a", 0));
            int[] inB = get(b, "k");
            assertEquals(0, inB[0]);
            assertEquals("from-a", value(b, inB));
            assertEquals(Status.NOT_FOUND.code(), get(c, "k")[0]);
            assertEquals(0, set(c, "k", "from-c", 0));
            assertEquals("from-a", value(a, get(a, "k")), "vm ids are separate namespaces");
            assertEquals("from-c", value(c, get(c, "k")));
        }
    }

    private static Plugin.Builder plugin(String name, String vmId, byte[] wasm) {
        return Plugin.builder().withName(name).withVmId(vmId).withWasm(wasm, name + ".wasm");
    }

    @Test
    void keyOutsideMemoryIsInvalidMemoryAccess() {
        int p = host.slot();
        int s = host.slot();
        int c = host.slot();
        assertEquals(Status.INVALID_MEMORY_ACCESS.code(), host.call(GET, OUTSIDE, 0x100, p, s, c));
        assertEquals(Status.INVALID_MEMORY_ACCESS.code(), host.call(SET, OUTSIDE, 0x100, 0, 0, 0));
        assertEquals(
                Status.INVALID_MEMORY_ACCESS.code(), host.call(SET, 0xFFFFFFF0L, 0x20, 0, 0, 0));
    }

    @Test
    void valueOutsideMemoryIsInvalidMemoryAccessAndStoresNothing() {
        int k = host.put("k");
        assertEquals(Status.INVALID_MEMORY_ACCESS.code(), host.call(SET, k, 1, OUTSIDE, 0x100, 0));
        assertEquals(Status.NOT_FOUND.code(), get(host, "k")[0]);
    }

    @Test
    void badOutPointersAreInvalidMemoryAccess() {
        assertEquals(0, set(host, "k", "value", 0));
        int k = host.put("k");
        int p = host.slot();
        int s = host.slot();
        int c = host.slot();
        assertEquals(Status.INVALID_MEMORY_ACCESS.code(), host.call(GET, k, 1, OUTSIDE + 14, s, c));
        assertEquals(Status.INVALID_MEMORY_ACCESS.code(), host.call(GET, k, 1, p, OUTSIDE + 14, c));
        assertEquals(Status.INVALID_MEMORY_ACCESS.code(), host.call(GET, k, 1, p, s, OUTSIDE + 14));
        assertArrayEquals(sentinel(16), host.read(p, 16), "no partial result on failure");
        assertArrayEquals(sentinel(16), host.read(s, 16));
        assertArrayEquals(sentinel(16), host.read(c, 16));
    }

    @Test
    void casLoopsFromTwoVmsOnTheirOwnThreadsLoseNoUpdate() throws Exception {
        // Two VMs of plugins with one vm id bump a counter with CAS loops at once.
        HostServices services = HostServices.inMemory();
        byte[] wasm = Wat.compile(Wat.passthrough(AbiVersion.V0_2_1, GET, SET));
        int perVm = 150;
        try (TestHost a = TestHost.start(plugin("a", "n", wasm), services);
                TestHost b = TestHost.start(plugin("b", "n", wasm), services)) {
            assertEquals(0, set(a, "counter", "0", 0));
            int[] mismatches = {-1, -1};
            Thread ta = new Thread(() -> mismatches[0] = bump(a, perVm));
            Thread tb = new Thread(() -> mismatches[1] = bump(b, perVm));
            ta.start();
            tb.start();
            ta.join(60_000);
            tb.join(60_000);
            assertEquals(String.valueOf(2 * perVm), value(a, get(a, "counter")));
            assertTrue(mismatches[0] >= 0 && mismatches[1] >= 0, "both loops finished");
        }
    }

    /** Increments "counter" {@code times} times with CAS; returns how many writes lost a race. */
    private static int bump(TestHost h, int times) {
        int k = h.put("counter");
        int p = h.slot();
        int s = h.slot();
        int c = h.slot();
        int v = h.put(new byte[16]);
        int lost = 0;
        for (int i = 0; i < times; i++) {
            while (true) {
                assertEquals(0, h.call(GET, k, 7, p, s, c));
                int current = Integer.parseInt(h.outString(p, s));
                long cas = h.u32(c);
                byte[] next = String.valueOf(current + 1).getBytes(StandardCharsets.UTF_8);
                h.vm.executor()
                        .call(
                                () -> {
                                    h.vm.memory().write(v, next);
                                    return null;
                                });
                int status = h.call(SET, k, 7, v, next.length, cas);
                if (status == 0) {
                    break;
                }
                assertEquals(Status.CAS_MISMATCH.code(), status);
                lost++;
            }
        }
        return lost;
    }
}
