package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.pwtck.tck.api.Feature;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.wat.WatProbe;

/** The WASI functions filters import (ABI.md §3.4). */
public class WasiCases {
    private static final String WASI = "wasi_snapshot_preview1";

    @ConformanceCase(
            id = "WasiClockTimeGetRealtime",
            description =
                    "wasi_snapshot_preview1.clock_time_get(REALTIME) returns errno 0 and wall-clock nanoseconds as 8 bytes",
            features = Feature.WASI,
            hostCalls = "wasi_snapshot_preview1.clock_time_get",
            spec = "spec v0.2.1 \"WASI\"; ABI.md §3.4",
            languages = "wat")
    void clock(TckCase tck) {
        long before = System.currentTimeMillis() * 1_000_000L;
        WatProbe m =
                WatProbe.v021()
                        .importing(WASI, "clock_time_get", "i32 i64 i32", "i32")
                        .body(
                                "(call $clock_time_get (i32.const 0) (i64.const 1) (i32.const "
                                        + WatProbe.OUT
                                        + "))");
        var w =
                WatProbe.Window.of(
                        tck.exchange(tck.deploy(m.spec("wasi-clock")), TckRequest.get("/")).body());
        long nanos = w.u64(WatProbe.OUT);
        tck.evidence("errno 0, ns near " + before, "errno " + w.status() + ", " + nanos);
        assertEquals(0, w.status());
        assertTrue(
                Math.abs(nanos - before) < 60_000_000_000L, "not realtime nanoseconds: " + nanos);
        assertTrue(w.untouched(WatProbe.OUT + 8, 8), "wrote past 8 bytes");
    }

    @ConformanceCase(
            id = "WasiEnvironmentIsEmptyByDefault",
            description =
                    "environ_sizes_get reports 0 variables for a filter configured with none (the host's environment is not leaked)",
            features = Feature.WASI,
            hostCalls = "wasi_snapshot_preview1.environ_sizes_get",
            spec = "ABI.md §3.4 (cpp-host: per-plugin variables only)",
            languages = "wat")
    void environment(TckCase tck) {
        WatProbe m =
                WatProbe.v021()
                        .importing(WASI, "environ_sizes_get", "i32 i32", "i32")
                        .body(
                                "(call $environ_sizes_get (i32.const "
                                        + WatProbe.OUT
                                        + ") (i32.const "
                                        + (WatProbe.OUT + 4)
                                        + "))");
        var w =
                WatProbe.Window.of(
                        tck.exchange(tck.deploy(m.spec("wasi-env")), TckRequest.get("/")).body());
        assertEquals(0, w.status());
        assertEquals(0, w.u32(WatProbe.OUT), "variable count");
        assertEquals(0, w.u32(WatProbe.OUT + 4), "buffer size");
    }
}
