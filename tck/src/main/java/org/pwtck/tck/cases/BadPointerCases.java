package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outData;
import static org.pwtck.tck.probe.ProbeArg.outU32;
import static org.pwtck.tck.probe.ProbeArg.pairs;
import static org.pwtck.tck.probe.ProbeArg.path;
import static org.pwtck.tck.probe.ProbeArg.str;
import static org.pwtck.tck.probe.ProbeArg.var;

import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.api.Profile;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/**
 * Bad pointers and lengths (ABI.md §7 item 2), per family: an in pointer or out pointer past the
 * end of memory ({@code 0xfffffff0}), an 8-byte out at {@code 0xfffffffc} (which wraps in 32-bit
 * arithmetic), and a length that overruns memory from a valid pointer ({@code 16 + 0xfffffff8},
 * which wraps to 8). Raw integers go through the probe's integer arguments. After the bad calls the
 * case checks that nothing changed where that is observable.
 */
public class BadPointerCases {
    static final long PAST_END = 0xfffffff0L;
    static final long WRAP8 = 0xfffffffcL;
    static final long VALID = 16;
    static final long OVERRUN = 0xfffffff8L;
    private static final int IMA = 6;
    private static final String READING =
            "a pointer or length outside guest memory → INVALID_MEMORY_ACCESS (6), returned, not a trap;"
                    + " the spec lists status 6 for these calls, but an engine or host that traps instead"
                    + " (ngx for some calls) fails this case";
    private static final String SPEC = "ABI.md §7 item 2, §2 (status 6 of each function)";

    private static ProbeReport run(
            TckCase tck,
            String callback,
            int before,
            java.util.function.Consumer<ProbeScenario.CallbackSteps> plumbing,
            StepTable t,
            java.util.function.Consumer<ProbeScenario.CallbackSteps> after,
            TckRequest request) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        callback,
                                        cb -> {
                                            plumbing.accept(cb);
                                            t.addTo(tck.language(), cb);
                                            after.accept(cb);
                                            cb.reportLocalResponse(200);
                                        }),
                        request);
        t.check(tck, r.record(callback), before);
        return r;
    }

    @ConformanceCase(
            id = "BadPointerLoggingAndTime",
            description =
                    "proxy_log with a message pointer past the end or a length overrunning memory, proxy_get_log_level and proxy_get_current_time_nanoseconds with an out pointer past the end (or an 8-byte out wrapping at 0xfffffffc) return INVALID_MEMORY_ACCESS",
            features = {Feature.LOGGING, Feature.TIME},
            hostCalls = {"proxy_log", "proxy_get_log_level", "proxy_get_current_time_nanoseconds"},
            spec = SPEC,
            reading =
                    READING
                            + "; proxy_get_log_level only in the Rust probe (the Go probe is 0.2.0)",
            profile = Profile.ROBUSTNESS)
    void logging(TckCase tck) {
        StepTable t =
                new StepTable()
                        .expect(
                                "log(ptr past end)",
                                IMA,
                                "proxy_log",
                                num(2),
                                num(PAST_END),
                                num(16))
                        .expect(
                                "log(len overrun)",
                                IMA,
                                "proxy_log",
                                num(2),
                                num(VALID),
                                num(OVERRUN))
                        .expectNotGo(
                                "get_log_level(out past end)",
                                IMA,
                                "proxy_get_log_level",
                                num(PAST_END))
                        .expect(
                                "time(out past end)",
                                IMA,
                                "proxy_get_current_time_nanoseconds",
                                num(PAST_END))
                        .expect(
                                "time(out at 0xfffffffc)",
                                IMA,
                                "proxy_get_current_time_nanoseconds",
                                num(WRAP8));
        run(tck, "on_request_headers", 0, cb -> {}, t, cb -> {}, TckRequest.get("/bad/log"));
    }

    @ConformanceCase(
            id = "BadPointerHeaderMaps",
            description =
                    "every header map function with a key, value or serialized-map pointer past the end, a length overrunning memory, or out pointers past the end returns INVALID_MEMORY_ACCESS, and the request headers are unchanged",
            features = Feature.HTTP_HEADERS,
            hostCalls = {
                "proxy_get_header_map_value",
                "proxy_get_header_map_pairs",
                "proxy_get_header_map_size",
                "proxy_add_header_map_value",
                "proxy_replace_header_map_value",
                "proxy_remove_header_map_value",
                "proxy_set_header_map_pairs"
            },
            spec = SPEC + "; §2.4",
            reading = READING,
            profile = Profile.ROBUSTNESS)
    void headerMaps(TckCase tck) {
        StepTable t =
                new StepTable()
                        .expect(
                                "value(key ptr past end)",
                                IMA,
                                "proxy_get_header_map_value",
                                num(0),
                                num(PAST_END),
                                num(5),
                                outData())
                        .expect(
                                "value(key len overrun)",
                                IMA,
                                "proxy_get_header_map_value",
                                num(0),
                                num(VALID),
                                num(OVERRUN),
                                outData())
                        .expect(
                                "value(outs past end)",
                                IMA,
                                "proxy_get_header_map_value",
                                num(0),
                                str(":path"),
                                num(PAST_END),
                                num(PAST_END))
                        .expect(
                                "pairs(outs past end)",
                                IMA,
                                "proxy_get_header_map_pairs",
                                num(0),
                                num(PAST_END),
                                num(PAST_END))
                        .expect(
                                "size(out past end)",
                                IMA,
                                "proxy_get_header_map_size",
                                num(0),
                                num(PAST_END))
                        .expect(
                                "add(key ptr past end)",
                                IMA,
                                "proxy_add_header_map_value",
                                num(0),
                                num(PAST_END),
                                num(4),
                                str("v"))
                        .expect(
                                "add(value len overrun)",
                                IMA,
                                "proxy_add_header_map_value",
                                num(0),
                                str("x-pwtck-bad"),
                                num(VALID),
                                num(OVERRUN))
                        .expect(
                                "replace(value ptr past end)",
                                IMA,
                                "proxy_replace_header_map_value",
                                num(0),
                                str("x-pwtck-keep"),
                                num(PAST_END),
                                num(4))
                        .expect(
                                "remove(key ptr past end)",
                                IMA,
                                "proxy_remove_header_map_value",
                                num(0),
                                num(PAST_END),
                                num(4))
                        .expect(
                                "set_pairs(ptr past end)",
                                IMA,
                                "proxy_set_header_map_pairs",
                                num(0),
                                num(PAST_END),
                                num(16))
                        .expect(
                                "set_pairs(len overrun)",
                                IMA,
                                "proxy_set_header_map_pairs",
                                num(0),
                                num(VALID),
                                num(OVERRUN));
        ProbeReport r =
                run(
                        tck,
                        "on_request_headers",
                        0,
                        cb -> {},
                        t,
                        cb ->
                                cb.call(
                                                "proxy_get_header_map_value",
                                                num(0),
                                                str("x-pwtck-keep"),
                                                outData())
                                        .call(
                                                "proxy_get_header_map_value",
                                                num(0),
                                                str("x-pwtck-bad"),
                                                outData()),
                        TckRequest.get("/bad/maps").withHeader("x-pwtck-keep", "kept"));
        var keep = r.step("on_request_headers", 11);
        assertEquals(0, keep.status(), "x-pwtck-keep still there: " + keep);
        assertEquals("kept", keep.out(0).text(), "x-pwtck-keep unchanged");
        assertEquals(1, r.step("on_request_headers", 12).status(), "the failed add added nothing");
    }

    @ConformanceCase(
            id = "BadPointerBuffers",
            description =
                    "proxy_get_buffer_bytes and proxy_get_buffer_status with out pointers past the end, proxy_set_buffer_bytes with a data pointer past the end or a length overrunning memory return INVALID_MEMORY_ACCESS in on_request_body, and the body is unchanged",
            features = {Feature.BUFFERS, Feature.HTTP_BODY},
            hostCalls = {
                "proxy_get_buffer_bytes",
                "proxy_get_buffer_status",
                "proxy_set_buffer_bytes"
            },
            spec = SPEC + "; §2.3",
            reading = READING,
            profile = Profile.ROBUSTNESS)
    void buffers(TckCase tck) {
        StepTable t =
                new StepTable()
                        .expect(
                                "get(outs past end)",
                                IMA,
                                "proxy_get_buffer_bytes",
                                num(0),
                                num(0),
                                num(100),
                                num(PAST_END),
                                num(PAST_END))
                        .expect(
                                "status(outs past end)",
                                IMA,
                                "proxy_get_buffer_status",
                                num(0),
                                num(PAST_END),
                                num(PAST_END))
                        .expect(
                                "set(data ptr past end)",
                                IMA,
                                "proxy_set_buffer_bytes",
                                num(0),
                                num(0),
                                num(0),
                                num(PAST_END),
                                num(4))
                        .expect(
                                "set(data len overrun)",
                                IMA,
                                "proxy_set_buffer_bytes",
                                num(0),
                                num(0),
                                num(0),
                                num(VALID),
                                num(OVERRUN));
        ProbeReport r =
                run(
                        tck,
                        "on_request_body",
                        0,
                        cb -> {},
                        t,
                        cb ->
                                cb.call(
                                        "proxy_get_buffer_bytes",
                                        num(0),
                                        num(0),
                                        num(100),
                                        outData()),
                        TckRequest.post("/bad/buffers", "unchanged-body"));
        assertEquals("unchanged-body", r.step("on_request_body", 4).out(0).text());
    }

    @ConformanceCase(
            id = "BadPointerSharedData",
            description =
                    "proxy_get_shared_data and proxy_set_shared_data with a key or value pointer past the end, a length overrunning memory, or out pointers past the end (for a key that exists) return INVALID_MEMORY_ACCESS, and the stored value is unchanged",
            features = Feature.SHARED_DATA,
            hostCalls = {"proxy_get_shared_data", "proxy_set_shared_data"},
            spec = SPEC + "; §2.7",
            reading = READING,
            profile = Profile.ROBUSTNESS)
    void sharedData(TckCase tck) {
        String key = "pwtck.bad." + tck.language();
        StepTable t =
                new StepTable()
                        .expect(
                                "set(plumbing)",
                                0,
                                "proxy_set_shared_data",
                                str(key),
                                str("v"),
                                num(0))
                        .expect(
                                "get(key ptr past end)",
                                IMA,
                                "proxy_get_shared_data",
                                num(PAST_END),
                                num(4),
                                outData(),
                                outU32())
                        .expect(
                                "get(outs past end)",
                                IMA,
                                "proxy_get_shared_data",
                                str(key),
                                num(PAST_END),
                                num(PAST_END),
                                num(PAST_END))
                        .expect(
                                "set(key ptr past end)",
                                IMA,
                                "proxy_set_shared_data",
                                num(PAST_END),
                                num(4),
                                str("x"),
                                num(0))
                        .expect(
                                "set(value ptr past end)",
                                IMA,
                                "proxy_set_shared_data",
                                str(key),
                                num(PAST_END),
                                num(4),
                                num(0))
                        .expect(
                                "set(value len overrun)",
                                IMA,
                                "proxy_set_shared_data",
                                str(key),
                                num(VALID),
                                num(OVERRUN),
                                num(0));
        ProbeReport r =
                run(
                        tck,
                        "on_request_headers",
                        0,
                        cb -> {},
                        t,
                        cb -> cb.call("proxy_get_shared_data", str(key), outData(), outU32()),
                        TckRequest.get("/bad/shared"));
        assertEquals("v", r.step("on_request_headers", 6).out(0).text(), "value unchanged");
    }

    @ConformanceCase(
            id = "BadPointerProperties",
            description =
                    "proxy_get_property and proxy_set_property with a path or value pointer past the end, a path length overrunning memory, or out pointers past the end return INVALID_MEMORY_ACCESS",
            features = Feature.PROPERTIES,
            hostCalls = {"proxy_get_property", "proxy_set_property"},
            spec = SPEC + "; §2.9",
            reading = READING,
            profile = Profile.ROBUSTNESS)
    void properties(TckCase tck) {
        StepTable t =
                new StepTable()
                        .expect(
                                "get(path ptr past end)",
                                IMA,
                                "proxy_get_property",
                                num(PAST_END),
                                num(12),
                                outData())
                        .expect(
                                "get(path len overrun)",
                                IMA,
                                "proxy_get_property",
                                num(VALID),
                                num(OVERRUN),
                                outData())
                        .expect(
                                "get(outs past end)",
                                IMA,
                                "proxy_get_property",
                                path("request", "path"),
                                num(PAST_END),
                                num(PAST_END))
                        .expect(
                                "set(path ptr past end)",
                                IMA,
                                "proxy_set_property",
                                num(PAST_END),
                                num(4),
                                str("v"))
                        .expect(
                                "set(value ptr past end)",
                                IMA,
                                "proxy_set_property",
                                path("pwtck_bad"),
                                num(PAST_END),
                                num(4));
        ProbeReport r =
                run(
                        tck,
                        "on_request_headers",
                        0,
                        cb -> {},
                        t,
                        cb -> cb.call("proxy_get_property", path("pwtck_bad"), outData()),
                        TckRequest.get("/bad/props"));
        assertEquals(1, r.step("on_request_headers", 5).status(), "the failed set stored nothing");
    }

    @ConformanceCase(
            id = "BadPointerMetrics",
            description =
                    "proxy_define_metric with a name pointer past the end or an out pointer past the end, and proxy_get_metric with an out pointer past the end (or an 8-byte out wrapping at 0xfffffffc) return INVALID_MEMORY_ACCESS",
            features = Feature.METRICS,
            hostCalls = {"proxy_define_metric", "proxy_get_metric"},
            spec = SPEC + "; §2.8",
            reading = READING,
            profile = Profile.ROBUSTNESS)
    void metrics(TckCase tck) {
        StepTable t =
                new StepTable()
                        .expect(
                                "get(out past end)",
                                IMA,
                                "proxy_get_metric",
                                var("m"),
                                num(PAST_END))
                        .expect(
                                "get(out at 0xfffffffc)",
                                IMA,
                                "proxy_get_metric",
                                var("m"),
                                num(WRAP8))
                        .expect(
                                "define(name ptr past end)",
                                IMA,
                                "proxy_define_metric",
                                num(0),
                                num(PAST_END),
                                num(4),
                                outU32())
                        .expect(
                                "define(out past end)",
                                IMA,
                                "proxy_define_metric",
                                num(0),
                                str("pwtck_bad2_" + tck.language()),
                                num(PAST_END));
        run(
                tck,
                "on_request_headers",
                1,
                cb ->
                        cb.callAndSave(
                                "m",
                                "proxy_define_metric",
                                num(0),
                                str("pwtck_bad_" + tck.language()),
                                outU32()),
                t,
                cb -> {},
                TckRequest.get("/bad/metrics"));
    }

    @ConformanceCase(
            id = "BadPointerHttpCall",
            description =
                    "proxy_http_call with a token out pointer past the end, a header map pointer past the end, or a cluster name pointer past the end returns INVALID_MEMORY_ACCESS",
            features = Feature.HTTP_CALL,
            hostCalls = "proxy_http_call",
            spec = SPEC + "; §2.6",
            reading =
                    READING
                            + "; whether a call with an unwritable token pointer is still sent is not checked (cpp-host sends it)",
            profile = Profile.ROBUSTNESS)
    void httpCall(TckCase tck) {
        StepTable t =
                new StepTable()
                        .expect(
                                "call(token ptr past end)",
                                IMA,
                                "proxy_http_call",
                                str(FilterSpec.HTTPBIN_CLUSTER),
                                pairs(
                                        ":method",
                                        "GET",
                                        ":path",
                                        "/status/200",
                                        ":authority",
                                        "httpbin"),
                                str(""),
                                pairs(),
                                num(1000),
                                num(PAST_END))
                        .expect(
                                "call(headers ptr past end)",
                                IMA,
                                "proxy_http_call",
                                str(FilterSpec.HTTPBIN_CLUSTER),
                                num(PAST_END),
                                num(16),
                                str(""),
                                pairs(),
                                num(1000),
                                outU32())
                        .expect(
                                "call(cluster ptr past end)",
                                IMA,
                                "proxy_http_call",
                                num(PAST_END),
                                num(7),
                                pairs(
                                        ":method",
                                        "GET",
                                        ":path",
                                        "/status/200",
                                        ":authority",
                                        "httpbin"),
                                str(""),
                                pairs(),
                                num(1000),
                                outU32());
        run(tck, "on_request_headers", 0, cb -> {}, t, cb -> {}, TckRequest.get("/bad/call"));
    }

    @ConformanceCase(
            id = "BadPointerSharedQueue",
            description =
                    "proxy_register_shared_queue, proxy_resolve_shared_queue, proxy_enqueue_shared_queue and proxy_dequeue_shared_queue with a name, value or out pointer past the end return INVALID_MEMORY_ACCESS",
            features = Feature.SHARED_QUEUE,
            hostCalls = {
                "proxy_register_shared_queue",
                "proxy_resolve_shared_queue",
                "proxy_enqueue_shared_queue",
                "proxy_dequeue_shared_queue"
            },
            spec = SPEC + "; §2.7",
            reading = READING,
            profile = Profile.ROBUSTNESS)
    void queue(TckCase tck) {
        String name = "pwtck.bad.q." + tck.language();
        StepTable t =
                new StepTable()
                        .expect(
                                "enqueue(plumbing)",
                                0,
                                "proxy_enqueue_shared_queue",
                                var("q"),
                                str("item"))
                        .expect(
                                "register(name ptr past end)",
                                IMA,
                                "proxy_register_shared_queue",
                                num(PAST_END),
                                num(4),
                                outU32())
                        .expect(
                                "register(out past end)",
                                IMA,
                                "proxy_register_shared_queue",
                                str(name),
                                num(PAST_END))
                        .expect(
                                "resolve(out past end)",
                                IMA,
                                "proxy_resolve_shared_queue",
                                str(""),
                                str(name),
                                num(PAST_END))
                        .expect(
                                "enqueue(value ptr past end)",
                                IMA,
                                "proxy_enqueue_shared_queue",
                                var("q"),
                                num(PAST_END),
                                num(4))
                        .expect(
                                "dequeue(outs past end)",
                                IMA,
                                "proxy_dequeue_shared_queue",
                                var("q"),
                                num(PAST_END),
                                num(PAST_END));
        run(
                tck,
                "on_request_headers",
                1,
                cb -> cb.callAndSave("q", "proxy_register_shared_queue", str(name), outU32()),
                t,
                cb -> {},
                TckRequest.get("/bad/queue"));
    }

    @ConformanceCase(
            id = "BadPointerLocalResponseAndStatus",
            description =
                    "proxy_send_local_response with a body or header map pointer past the end and proxy_get_status with out pointers past the end return INVALID_MEMORY_ACCESS and send nothing: the probe's own local response afterwards reaches the client",
            features = {Feature.LOCAL_RESPONSE, Feature.HTTP_CALL},
            hostCalls = {"proxy_send_local_response", "proxy_get_status"},
            spec = SPEC + "; §2.5",
            reading = READING,
            profile = Profile.ROBUSTNESS)
    void localResponse(TckCase tck) {
        StepTable t =
                new StepTable()
                        .expect(
                                "local(body ptr past end)",
                                IMA,
                                "proxy_send_local_response",
                                num(418),
                                str("pwtck_bad"),
                                num(PAST_END),
                                num(4),
                                pairs(),
                                num(-1))
                        .expect(
                                "local(headers ptr past end)",
                                IMA,
                                "proxy_send_local_response",
                                num(418),
                                str("pwtck_bad"),
                                str("b"),
                                num(PAST_END),
                                num(16),
                                num(-1))
                        .expect(
                                "local(details len overrun)",
                                IMA,
                                "proxy_send_local_response",
                                num(418),
                                num(VALID),
                                num(OVERRUN),
                                str("b"),
                                pairs(),
                                num(-1))
                        .expect(
                                "get_status(outs past end)",
                                IMA,
                                "proxy_get_status",
                                num(PAST_END),
                                num(PAST_END),
                                num(PAST_END));
        var d =
                tck.deployProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb -> {
                                            t.addTo(tck.language(), cb);
                                            cb.reportLocalResponse(200);
                                        }));
        TckResponse response = tck.exchange(d, TckRequest.get("/bad/local"));
        ProbeReport r = TckCase.probeReport(response);
        t.check(tck, r.record("on_request_headers"), 0);
        assertEquals(200, response.status(), "the failed local responses sent nothing");
    }

    @ConformanceCase(
            id = "BadPointerForeignFunction",
            description =
                    "proxy_call_foreign_function with a name pointer past the end or a name length overrunning memory returns INVALID_MEMORY_ACCESS",
            features = Feature.FOREIGN_FUNCTION,
            hostCalls = "proxy_call_foreign_function",
            spec = SPEC + "; §2.9",
            reading = READING,
            profile = Profile.ROBUSTNESS)
    void foreignFunction(TckCase tck) {
        StepTable t =
                new StepTable()
                        .expect(
                                "call(name ptr past end)",
                                IMA,
                                "proxy_call_foreign_function",
                                num(PAST_END),
                                num(4),
                                str(""),
                                outData())
                        .expect(
                                "call(name len overrun)",
                                IMA,
                                "proxy_call_foreign_function",
                                num(VALID),
                                num(OVERRUN),
                                str(""),
                                outData());
        run(tck, "on_request_headers", 0, cb -> {}, t, cb -> {}, TckRequest.get("/bad/ffi"));
    }
}
