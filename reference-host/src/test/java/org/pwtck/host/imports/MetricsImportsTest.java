package org.pwtck.host.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.pwtck.host.imports.SharedDataImportsTest.sentinel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.MetricType;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.context.Metrics;
import org.pwtck.host.testing.TestHost;
import org.pwtck.host.testing.Wat;

class MetricsImportsTest {
    private static final AbiFunction DEFINE = AbiFunction.PROXY_DEFINE_METRIC;
    private static final AbiFunction RECORD = AbiFunction.PROXY_RECORD_METRIC;
    private static final AbiFunction INCREMENT = AbiFunction.PROXY_INCREMENT_METRIC;
    private static final AbiFunction GET = AbiFunction.PROXY_GET_METRIC;
    private static final long OUTSIDE = 0x1FFF0;
    private static final long BIG = 1L << 40;

    private HostServices services;
    private TestHost host;

    @BeforeEach
    void start() {
        services = HostServices.inMemory();
        host =
                TestHost.start(
                        Wat.compile(
                                Wat.passthrough(AbiVersion.V0_2_1, DEFINE, RECORD, INCREMENT, GET)),
                        services);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private int define(MetricType type, String name) {
        int n = host.put(name);
        int slot = host.slot();
        assertEquals(0, host.call(DEFINE, type.code(), n, name.length(), slot));
        assertArrayEquals(sentinel(12), host.read(slot + 4, 12), "metric id is a u32");
        return (int) host.u32(slot);
    }

    /** Reads a metric and checks that exactly 8 bytes were written. */
    private long get(int id) {
        int slot = host.slot();
        assertEquals(0, host.call(GET, id, slot));
        assertArrayEquals(sentinel(8), host.read(slot + 8, 8), "a metric value is 8 bytes");
        return host.u64(slot);
    }

    @Test
    void defineGivesDistinctIdsPerNameAndType() {
        int counter = define(MetricType.COUNTER, "requests");
        int gauge = define(MetricType.GAUGE, "active");
        int histogram = define(MetricType.HISTOGRAM, "latency");
        assertNotEquals(counter, gauge);
        assertNotEquals(gauge, histogram);
        assertNotEquals(counter, histogram);
        assertNotEquals(gauge, define(MetricType.GAUGE, "requests"), "same name, other type");
    }

    @Test
    void sameNameAndTypeGivesTheSameId() {
        int first = define(MetricType.COUNTER, "requests");
        assertEquals(first, define(MetricType.COUNTER, "requests"));
        assertEquals(1, services.metrics().snapshots().size());
    }

    @Test
    void metricTypePastHistogramIsBadArgumentBeforeMemoryIsTouched() {
        assertEquals(Status.BAD_ARGUMENT.code(), host.call(DEFINE, 3, OUTSIDE, 0x100, OUTSIDE));
        assertEquals(Status.BAD_ARGUMENT.code(), host.call(DEFINE, 0xFFFFFFFFL, 0xFFFFFFF0L, 1, 0));
        assertEquals(0, services.metrics().snapshots().size());
    }

    @Test
    void defineWithBadPointersIsInvalidMemoryAccessAndDefinesNothing() {
        int n = host.put("m");
        assertEquals(
                Status.INVALID_MEMORY_ACCESS.code(),
                host.call(DEFINE, 0, OUTSIDE, 0x100, host.slot()));
        assertEquals(Status.INVALID_MEMORY_ACCESS.code(), host.call(DEFINE, 0, n, 1, OUTSIDE + 14));
        assertEquals(0, services.metrics().snapshots().size());
    }

    @Test
    void newMetricsReadZero() {
        assertEquals(0, get(define(MetricType.COUNTER, "c")));
        assertEquals(0, get(define(MetricType.GAUGE, "g")));
    }

    @Test
    void counterIncrementsAdd() {
        int c = define(MetricType.COUNTER, "c");
        assertEquals(0, host.call(INCREMENT, c, 5));
        assertEquals(0, host.call(INCREMENT, c, 5));
        assertEquals(10, get(c));
    }

    @Test
    void counterValuesAreSixtyFourBit() {
        // A 4-byte write (java-host) would read back 0 here.
        int c = define(MetricType.COUNTER, "c");
        assertEquals(0, host.call(INCREMENT, c, BIG));
        assertEquals(0, host.call(INCREMENT, c, 3));
        assertEquals(BIG + 3, get(c));
    }

    @Test
    void negativeDeltaOnCounterIsBadArgumentAndChangesNothing() {
        int c = define(MetricType.COUNTER, "c");
        assertEquals(0, host.call(INCREMENT, c, 7));
        assertEquals(Status.BAD_ARGUMENT.code(), host.call(INCREMENT, c, -1));
        assertEquals(Status.BAD_ARGUMENT.code(), host.call(INCREMENT, c, Long.MIN_VALUE));
        assertEquals(7, get(c));
    }

    @Test
    void gaugeGoesUpAndDownBelowZero() {
        int g = define(MetricType.GAUGE, "g");
        assertEquals(0, host.call(INCREMENT, g, 3));
        assertEquals(0, host.call(INCREMENT, g, -10));
        assertEquals(-7, get(g));
        assertEquals(0, host.call(INCREMENT, g, BIG));
        assertEquals(BIG - 7, get(g));
    }

    @Test
    void recordSetsGaugeIncludingNegativeAndLargeValues() {
        int g = define(MetricType.GAUGE, "g");
        assertEquals(0, host.call(RECORD, g, -1));
        int slot = host.slot();
        assertEquals(0, host.call(GET, g, slot));
        assertArrayEquals(
                new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}, host.read(slot, 8), "-1 as 8 bytes");
        assertArrayEquals(sentinel(8), host.read(slot + 8, 8));
        assertEquals(0, host.call(RECORD, g, BIG));
        assertEquals(BIG, get(g));
    }

    @Test
    void recordSetsACounterPerTheReading() {
        // CONTRIBUTING: record_metric on a counter sets the value (spec text; Envoy adds).
        int c = define(MetricType.COUNTER, "c");
        assertEquals(0, host.call(INCREMENT, c, 5));
        assertEquals(0, host.call(RECORD, c, 3));
        assertEquals(3, get(c));
    }

    @Test
    void histogramRecordsSamplesButCannotBeIncrementedOrRead() {
        int h = define(MetricType.HISTOGRAM, "h");
        assertEquals(0, host.call(RECORD, h, 10));
        assertEquals(0, host.call(RECORD, h, BIG));
        Metrics.Snapshot snap = services.metrics().snapshot(h).orElseThrow();
        assertEquals(2, snap.count());
        assertEquals(BIG + 10, snap.sum());
        assertEquals(Status.BAD_ARGUMENT.code(), host.call(INCREMENT, h, 1));
        int slot = host.slot();
        assertEquals(Status.BAD_ARGUMENT.code(), host.call(GET, h, slot));
        assertArrayEquals(sentinel(16), host.read(slot, 16));
    }

    @Test
    void unknownIdIsNotFoundEverywhere() {
        int slot = host.slot();
        assertEquals(Status.NOT_FOUND.code(), host.call(GET, 999, slot));
        assertArrayEquals(sentinel(16), host.read(slot, 16));
        assertEquals(Status.NOT_FOUND.code(), host.call(RECORD, 999, 1));
        assertEquals(Status.NOT_FOUND.code(), host.call(INCREMENT, 999, 1));
    }

    @Test
    void getWithBadPointerIsInvalidMemoryAccess() {
        int c = define(MetricType.COUNTER, "c");
        assertEquals(Status.INVALID_MEMORY_ACCESS.code(), host.call(GET, c, OUTSIDE + 12));
        assertEquals(Status.INVALID_MEMORY_ACCESS.code(), host.call(GET, c, 0xFFFFFFFCL));
    }

    @Test
    void zeroDeltaOnCounterIsOkAndChangesNothing() {
        // Reading (CONTRIBUTING): delta 0 is accepted; Envoy answers BAD_ARGUMENT.
        int c = define(MetricType.COUNTER, "c");
        assertEquals(0, host.call(INCREMENT, c, 4));
        assertEquals(0, host.call(INCREMENT, c, 0));
        assertEquals(4, get(c));
    }

    @Test
    void metricsAreSharedByPluginsOfOneHost() {
        int c = define(MetricType.COUNTER, "shared");
        assertEquals(0, host.call(INCREMENT, c, 2));
        try (TestHost other =
                TestHost.start(
                        Wat.compile(Wat.passthrough(AbiVersion.V0_2_1, DEFINE, INCREMENT)),
                        services)) {
            int n = other.put("shared");
            int slot = other.slot();
            assertEquals(0, other.call(DEFINE, 0, n, 6, slot));
            assertEquals(c, other.u32(slot));
            assertEquals(0, other.call(INCREMENT, c, 3));
        }
        assertEquals(5, get(c));
    }
}
