package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outCodeData;
import static org.pwtck.tck.probe.ProbeArg.outData;
import static org.pwtck.tck.probe.ProbeArg.outU32;
import static org.pwtck.tck.probe.ProbeArg.outU64;
import static org.pwtck.tck.probe.ProbeArg.path;
import static org.pwtck.tck.probe.ProbeArg.str;
import static org.pwtck.tck.probe.ProbeArg.var;

import java.time.Duration;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.api.Profile;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/**
 * Edges where the spec is silent or hosts disagree, each checking one reading of CONTRIBUTING.md
 * ("Readings of the spec the reference host takes") or of ABI.md §2: buffer ranges, metric
 * arithmetic, queue re-registration, read-only well-known properties, stream control without a
 * stream, and the status after an HTTP call.
 */
public class ReadingCases {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int OK = 0;
    private static final int NF = 1;
    private static final int BAD = 2;

    @ConformanceCase(
            id = "BufferRangeEdges",
            description =
                    "proxy_get_buffer_bytes on 'hello world': (2, 3) gives 'llo', (6, 100) is clipped to 'world', start == length and start past the end give OK and no bytes, (5, 0xffffffff) overflows 32 bits and is BAD_ARGUMENT",
            features = {Feature.BUFFERS, Feature.HTTP_BODY},
            hostCalls = "proxy_get_buffer_bytes",
            spec = "spec v0.2.1 \"Buffers\" (2: bad type or overflow); ABI.md §2.3",
            reading =
                    "a start past the end gives OK and no bytes (cpp-host); start + max_size beyond 2^32 is BAD_ARGUMENT (the reference host's reading of 'overflow')",
            profile = Profile.ROBUSTNESS)
    void bufferRanges(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_body",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_buffer_bytes",
                                                                num(0),
                                                                num(2),
                                                                num(3),
                                                                outData())
                                                        .call(
                                                                "proxy_get_buffer_bytes",
                                                                num(0),
                                                                num(6),
                                                                num(100),
                                                                outData())
                                                        .call(
                                                                "proxy_get_buffer_bytes",
                                                                num(0),
                                                                num(11),
                                                                num(10),
                                                                outData())
                                                        .call(
                                                                "proxy_get_buffer_bytes",
                                                                num(0),
                                                                num(100),
                                                                num(10),
                                                                outData())
                                                        .call(
                                                                "proxy_get_buffer_bytes",
                                                                num(0),
                                                                num(5),
                                                                num(0xffffffffL),
                                                                outData())
                                                        .call(
                                                                "proxy_get_buffer_bytes",
                                                                num(0),
                                                                num(0),
                                                                num(0),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.post("/range", "hello world"));
        var rec = r.record("on_request_body");
        String got = "";
        for (int i = 0; i < 6; i++) {
            var s = rec.step(i);
            got +=
                    i
                            + ": "
                            + HostCallMatrix.name(s.status())
                            + (s.status() == 0
                                    ? " '" + s.out(0).text() + "' size " + s.out(0).size()
                                    : "")
                            + "; ";
        }
        tck.evidence(
                "0: OK 'llo'; 1: OK 'world'; 2: OK '' size 0; 3: OK '' size 0; 4: BAD_ARGUMENT; 5: OK '' size 0",
                got);
        assertEquals(OK, rec.step(0).status(), got);
        assertEquals("llo", rec.step(0).out(0).text(), got);
        assertEquals("world", rec.step(1).out(0).text(), got);
        for (int i : new int[] {2, 3, 5}) {
            assertEquals(OK, rec.step(i).status(), "step " + i + ": " + got);
            assertEquals(0, rec.step(i).out(0).size(), "step " + i + ": " + got);
        }
        assertEquals(BAD, rec.step(4).status(), got);
    }

    @ConformanceCase(
            id = "CounterIncrementZeroAndNegative",
            description =
                    "a counter incremented by 3, then by 0 (OK, unchanged), then by -1 (BAD_ARGUMENT) reads back 3",
            features = Feature.METRICS,
            hostCalls = {"proxy_define_metric", "proxy_increment_metric", "proxy_get_metric"},
            spec = "ABI.md §2.8",
            reading =
                    "increment_metric on a counter: delta 0 → OK, value unchanged; negative → BAD_ARGUMENT (Envoy refuses 0 as well)",
            profile = Profile.ROBUSTNESS)
    void counterDeltas(TckCase tck) {
        StepTable t =
                new StepTable()
                        .expect("increment(3)", OK, "proxy_increment_metric", var("c"), num(3))
                        .expect("increment(0)", OK, "proxy_increment_metric", var("c"), num(0))
                        .expect("increment(-1)", BAD, "proxy_increment_metric", var("c"), num(-1))
                        .expect("get", OK, "proxy_get_metric", var("c"), outU64());
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb -> {
                                            cb.callAndSave(
                                                    "c",
                                                    "proxy_define_metric",
                                                    num(0),
                                                    str("pwtck_deltas_" + tck.language()),
                                                    outU32());
                                            t.addTo(tck.language(), cb);
                                            cb.reportLocalResponse(200);
                                        }),
                        TckRequest.get("/metric/deltas"));
        t.check(tck, r.record("on_request_headers"), 1);
        assertEquals(3, r.step("on_request_headers", 4).out(0).value(), "counter value");
    }

    @ConformanceCase(
            id = "RecordMetricSetsCounterAndGauge",
            description =
                    "proxy_record_metric sets the value: a counter at 5 recorded with 2 reads 2, a gauge recorded with 2^40 reads 2^40",
            features = Feature.METRICS,
            hostCalls = {
                "proxy_define_metric",
                "proxy_increment_metric",
                "proxy_record_metric",
                "proxy_get_metric"
            },
            spec = "spec v0.2.1 \"Metrics\" (record: set the value); ABI.md §2.8",
            reading =
                    "record_metric on a counter sets the value (spec text); Envoy adds it (would read 7)")
    void recordSets(TckCase tck) {
        long big = 1L << 40;
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.callAndSave(
                                                                "c",
                                                                "proxy_define_metric",
                                                                num(0),
                                                                str(
                                                                        "pwtck_rec_c_"
                                                                                + tck.language()),
                                                                outU32())
                                                        .callAndSave(
                                                                "g",
                                                                "proxy_define_metric",
                                                                num(1),
                                                                str(
                                                                        "pwtck_rec_g_"
                                                                                + tck.language()),
                                                                outU32())
                                                        .call(
                                                                "proxy_increment_metric",
                                                                var("c"),
                                                                num(5))
                                                        .call(
                                                                "proxy_record_metric",
                                                                var("c"),
                                                                num(2))
                                                        .call(
                                                                "proxy_get_metric",
                                                                var("c"),
                                                                outU64())
                                                        .call(
                                                                "proxy_record_metric",
                                                                var("g"),
                                                                num(big))
                                                        .call(
                                                                "proxy_get_metric",
                                                                var("g"),
                                                                outU64())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/metric/record"));
        var rec = r.record("on_request_headers");
        tck.evidence(
                "counter 2, gauge " + big,
                "counter "
                        + rec.step(4).out(0).value()
                        + " ("
                        + rec.step(3).status()
                        + "), gauge "
                        + rec.step(6).out(0).value()
                        + " ("
                        + rec.step(5).status()
                        + ")");
        assertEquals(OK, rec.step(3).status(), "record on the counter");
        assertEquals(2, rec.step(4).out(0).value(), "counter after record");
        assertEquals(OK, rec.step(5).status(), "record on the gauge");
        assertEquals(big, rec.step(6).out(0).value(), "gauge after record");
    }

    @ConformanceCase(
            id = "HistogramRecordOnly",
            description =
                    "a histogram accepts proxy_record_metric (OK); proxy_increment_metric and proxy_get_metric on it are BAD_ARGUMENT",
            features = Feature.METRICS,
            hostCalls = {
                "proxy_define_metric",
                "proxy_record_metric",
                "proxy_increment_metric",
                "proxy_get_metric"
            },
            spec = "ABI.md §2.8 (Envoy: histogram increment and get → 2)",
            reading =
                    "a histogram has samples, not a value: increment and get are BAD_ARGUMENT (Envoy)",
            profile = Profile.ROBUSTNESS)
    void histogram(TckCase tck) {
        StepTable t =
                new StepTable()
                        .expect("record(10)", OK, "proxy_record_metric", var("h"), num(10))
                        .expect("increment(1)", BAD, "proxy_increment_metric", var("h"), num(1))
                        .expect("get", BAD, "proxy_get_metric", var("h"), outU64());
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb -> {
                                            cb.callAndSave(
                                                    "h",
                                                    "proxy_define_metric",
                                                    num(2),
                                                    str("pwtck_hist_" + tck.language()),
                                                    outU32());
                                            t.addTo(tck.language(), cb);
                                            cb.reportLocalResponse(200);
                                        }),
                        TckRequest.get("/metric/histogram"));
        t.check(tck, r.record("on_request_headers"), 1);
    }

    @ConformanceCase(
            id = "RegisterSharedQueueTwiceKeepsIdAndItems",
            description =
                    "registering a queue name already registered returns the same id and keeps its items; resolving it under another vm id is NOT_FOUND",
            features = Feature.SHARED_QUEUE,
            hostCalls = {
                "proxy_register_shared_queue",
                "proxy_enqueue_shared_queue",
                "proxy_dequeue_shared_queue",
                "proxy_resolve_shared_queue"
            },
            spec = "ABI.md §2.7 (re-registering returns the existing token)",
            reading =
                    "same id, items kept (cpp-host SharedQueue::registerQueue); queues are scoped by vm id")
    void registerTwice(TckCase tck) {
        String name = "pwtck.twice." + tck.language();
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.callAndSave(
                                                                "q1",
                                                                "proxy_register_shared_queue",
                                                                str(name),
                                                                outU32())
                                                        .call(
                                                                "proxy_enqueue_shared_queue",
                                                                var("q1"),
                                                                str("kept"))
                                                        .callAndSave(
                                                                "q2",
                                                                "proxy_register_shared_queue",
                                                                str(name),
                                                                outU32())
                                                        .call(
                                                                "proxy_dequeue_shared_queue",
                                                                var("q2"),
                                                                outData())
                                                        .call(
                                                                "proxy_resolve_shared_queue",
                                                                str("pwtck_other_vm"),
                                                                str(name),
                                                                outU32())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/queue/twice"));
        var rec = r.record("on_request_headers");
        long q1 = rec.step(0).out(0).value();
        long q2 = rec.step(2).out(0).value();
        tck.evidence(
                "same id, 'kept', other vm NOT_FOUND",
                q1 + " " + q2 + ", " + rec.step(3) + ", " + rec.step(4).status());
        assertEquals(OK, rec.step(2).status(), "second register");
        assertEquals(q1, q2, "same id");
        assertEquals(OK, rec.step(3).status(), "dequeue");
        assertEquals("kept", rec.step(3).out(0).text());
        assertEquals(NF, rec.step(4).status(), "resolve under another vm id");
    }

    @ConformanceCase(
            id = "SetWellKnownPropertyIsBadArgument",
            description =
                    "proxy_set_property on a well-known path (request.path) is BAD_ARGUMENT and request.path keeps its value",
            features = Feature.PROPERTIES,
            hostCalls = {"proxy_set_property", "proxy_get_property"},
            spec = "ABI.md §2.9 (Envoy: 2 if the declared state rejects the value)",
            reading =
                    "well-known paths are read-only: set_property → BAD_ARGUMENT (the reference host's reading)",
            profile = Profile.ROBUSTNESS)
    void setWellKnown(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_set_property",
                                                                path("request", "path"),
                                                                str("/overwritten"))
                                                        .call(
                                                                "proxy_get_property",
                                                                path("request", "path"),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/original"));
        tck.evidence(
                "BAD_ARGUMENT, /original",
                r.step("on_request_headers", 0).status()
                        + ", "
                        + r.step("on_request_headers", 1).out(0).text());
        assertEquals(BAD, r.step("on_request_headers", 0).status());
        assertEquals("/original", r.step("on_request_headers", 1).out(0).text());
    }

    @ConformanceCase(
            id = "StreamControlFromRootIsNotFound",
            description =
                    "proxy_continue_stream and proxy_close_stream from on_configure (a root context, no stream) return NOT_FOUND",
            features = {Feature.STREAM_CONTROL, Feature.CONFIGURATION},
            hostCalls = {"proxy_continue_stream", "proxy_close_stream", "proxy_on_configure"},
            spec = "ABI.md §2.5",
            reading =
                    "continue_stream / close_stream from a root context → NOT_FOUND (Envoy returns OK)",
            profile = Profile.ROBUSTNESS)
    void streamControlFromRoot(TckCase tck) {
        StepTable t =
                new StepTable()
                        .expect("continue(HTTP_REQUEST)", NF, "proxy_continue_stream", num(0))
                        .expect("continue(HTTP_RESPONSE)", NF, "proxy_continue_stream", num(1))
                        .expect("close(HTTP_REQUEST)", NF, "proxy_close_stream", num(0))
                        .expect("close(HTTP_RESPONSE)", NF, "proxy_close_stream", num(1));
        var d =
                tck.deployProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_configure",
                                        cb -> {
                                            t.addTo(tck.language(), cb);
                                            cb.report("shared_data");
                                        }));
        t.check(tck, tck.awaitRecords(d, WAIT, "on_configure").record("on_configure"), 0);
    }

    @ConformanceCase(
            id = "GetStatusAfterCallResponse",
            description =
                    "in on_http_call_response after a successful call, proxy_get_status returns OK with code 0 and an empty message (the HTTP status is the :status of map 6)",
            features = {Feature.HTTP_CALL, Feature.TIMERS},
            hostCalls = {
                "proxy_http_call",
                "proxy_get_status",
                "proxy_get_header_map_value",
                "proxy_set_tick_period_milliseconds",
                "proxy_on_http_call_response"
            },
            spec = "ABI.md §2.5 (proxy_get_status), §2.6",
            reading =
                    "get_status after a response: 0 and \"\" (a successful call does not set the status in cpp-host)",
            profile = Profile.BACKGROUND)
    void statusAfterCall(TckCase tck) {
        var d =
                tck.deployProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_configure",
                                        cb ->
                                                cb.call(
                                                        "proxy_set_tick_period_milliseconds",
                                                        num(20)))
                                .on(
                                        "on_tick",
                                        cb ->
                                                cb.call(
                                                                "proxy_http_call",
                                                                str(FilterSpec.HTTPBIN_CLUSTER),
                                                                org.pwtck.tck.probe.ProbeArg.pairs(
                                                                        ":method",
                                                                        "GET",
                                                                        ":path",
                                                                        "/status/201",
                                                                        ":authority",
                                                                        "httpbin"),
                                                                str(""),
                                                                org.pwtck.tck.probe.ProbeArg
                                                                        .pairs(),
                                                                num(5000),
                                                                outU32())
                                                        .call(
                                                                "proxy_set_tick_period_milliseconds",
                                                                num(0))
                                                        .once())
                                .on(
                                        "on_http_call_response",
                                        cb ->
                                                cb.call("proxy_get_status", outCodeData())
                                                        .call(
                                                                "proxy_get_header_map_value",
                                                                num(6),
                                                                str(":status"),
                                                                outData())
                                                        .report("shared_data")
                                                        .once()));
        var rec =
                tck.awaitRecords(d, WAIT, "on_http_call_response").record("on_http_call_response");
        var status = rec.step(0);
        tck.evidence("OK, code 0, size 0; :status 201", status + "; " + rec.step(1));
        assertEquals(OK, status.status());
        assertEquals(0, status.out(0).code(), "code");
        assertEquals(0, status.out(0).size(), "message size");
        assertEquals("201", rec.step(1).out(0).text());
    }
}
