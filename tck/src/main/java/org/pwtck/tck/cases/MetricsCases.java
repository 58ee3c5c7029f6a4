package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outU32;
import static org.pwtck.tck.probe.ProbeArg.outU64;
import static org.pwtck.tck.probe.ProbeArg.str;
import static org.pwtck.tck.probe.ProbeArg.var;

import java.util.Arrays;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.Profile;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/** Metrics (ABI.md §2.8). */
public class MetricsCases {
    private static final String SPEC = "spec v0.2.1 \"Metrics\"; ABI.md §2.8";

    @ConformanceCase(
            id = "CounterIncrementAndGet",
            description =
                    "a counter defined, incremented by 5 and by 2^33 reads back 5 + 2^33 as 8 bytes",
            features = Feature.METRICS,
            hostCalls = {"proxy_define_metric", "proxy_increment_metric", "proxy_get_metric"},
            spec = SPEC + "; §4.2 item 6 (java-host writes 4 bytes)")
    void counter(TckCase tck) {
        long big = 1L << 33;
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.callAndSave(
                                                                "m",
                                                                "proxy_define_metric",
                                                                num(0),
                                                                str(
                                                                        "pwtck_counter_"
                                                                                + tck.language()),
                                                                outU32())
                                                        .call(
                                                                "proxy_increment_metric",
                                                                var("m"),
                                                                num(5))
                                                        .call(
                                                                "proxy_increment_metric",
                                                                var("m"),
                                                                num(big))
                                                        .call(
                                                                "proxy_get_metric",
                                                                var("m"),
                                                                outU64())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        for (int i = 0; i < 4; i++) {
            assertEquals(0, r.step("on_request_headers", i).status(), "step " + i);
        }
        var out = r.step("on_request_headers", 3).out(0);
        tck.evidence(Long.toString(5 + big), out.value() + " slot " + Arrays.toString(out.slot()));
        assertEquals(5 + big, out.value());
    }

    @ConformanceCase(
            id = "MetricTypeOutOfRangeIsBadArgument",
            description = "proxy_define_metric with metric type 3 returns BAD_ARGUMENT",
            features = Feature.METRICS,
            hostCalls = "proxy_define_metric",
            spec = SPEC,
            profile = Profile.ROBUSTNESS)
    void badType(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_define_metric",
                                                                num(3),
                                                                str("pwtck_bad"),
                                                                outU32())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(2, r.step("on_request_headers", 0).status());
    }

    @ConformanceCase(
            id = "UnknownMetricIsNotFound",
            description =
                    "proxy_increment_metric and proxy_get_metric on an id never defined return NOT_FOUND",
            features = Feature.METRICS,
            hostCalls = {"proxy_increment_metric", "proxy_get_metric"},
            spec = SPEC,
            profile = Profile.ROBUSTNESS)
    void unknownMetric(TckCase tck) {
        // 987652 has 0 in its low two bits: hosts that encode the metric type there (Envoy) read
        // it as a counter id, so the case checks that the id is unknown, not how types are coded.
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_increment_metric",
                                                                num(987652),
                                                                num(1))
                                                        .call(
                                                                "proxy_get_metric",
                                                                num(987652),
                                                                outU64())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(1, r.step("on_request_headers", 0).status());
        assertEquals(1, r.step("on_request_headers", 1).status());
    }

    @ConformanceCase(
            id = "GaugeGoesDown",
            description = "a gauge incremented by 10 then by -3 reads back 7",
            features = Feature.METRICS,
            hostCalls = {"proxy_define_metric", "proxy_increment_metric", "proxy_get_metric"},
            spec = SPEC)
    void gauge(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.callAndSave(
                                                                "g",
                                                                "proxy_define_metric",
                                                                num(1),
                                                                str(
                                                                        "pwtck_gauge_"
                                                                                + tck.language()),
                                                                outU32())
                                                        .call(
                                                                "proxy_increment_metric",
                                                                var("g"),
                                                                num(10))
                                                        .call(
                                                                "proxy_increment_metric",
                                                                var("g"),
                                                                num(-3))
                                                        .call(
                                                                "proxy_get_metric",
                                                                var("g"),
                                                                outU64())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(0, r.step("on_request_headers", 2).status());
        assertEquals(7, r.step("on_request_headers", 3).out(0).value());
    }
}
