package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pwtck.tck.probe.ProbeArg.outU64;

import java.util.Arrays;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/** Time (ABI.md §2.2). */
public class TimeCases {

    @ConformanceCase(
            id = "CurrentTimeIsEightByteNanoseconds",
            description =
                    "proxy_get_current_time_nanoseconds writes wall-clock nanoseconds as exactly 8 little-endian bytes",
            features = Feature.TIME,
            hostCalls = "proxy_get_current_time_nanoseconds",
            spec = "ABI.md §2.2, §4.2 item 6 (java-host writes 4 bytes)")
    void currentTime(TckCase tck) {
        long before = System.currentTimeMillis() * 1_000_000L;
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_current_time_nanoseconds",
                                                                outU64())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/time"));
        long after = System.currentTimeMillis() * 1_000_000L;
        var out = r.step("on_request_headers", 0).out(0);
        assertEquals(0, r.step("on_request_headers", 0).status());
        long nanos = out.value();
        tck.evidence(
                "ns within [" + before + ", " + after + "] ± 60 s, bytes 8..15 untouched",
                nanos + " slot " + Arrays.toString(out.slot()));
        assertTrue(
                Math.abs(nanos - before) < 60_000_000_000L, "not wall-clock nanoseconds: " + nanos);
        byte[] tail = Arrays.copyOfRange(out.slot(), 8, 16);
        byte[] sentinel = new byte[8];
        Arrays.fill(sentinel, (byte) 0xA5);
        assertTrue(Arrays.equals(sentinel, tail), "wrote more than 8 bytes");
    }
}
