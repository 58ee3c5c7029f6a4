package org.pwtck.tck.cases;

import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outData;
import static org.pwtck.tck.probe.ProbeArg.outSizeFlags;
import static org.pwtck.tck.probe.ProbeArg.outU32;
import static org.pwtck.tck.probe.ProbeArg.pairs;
import static org.pwtck.tck.probe.ProbeArg.str;

import java.time.Duration;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.Profile;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/**
 * Enum edges of every enum-taking host call (ABI.md §1.3, §7 item 4): every valid value that is
 * meaningful in the callback, one past the end, and the large values 0x7fffffff and 0xffffffff (-1
 * as an i32, which catches a host that reads the argument as signed). An out-of-range value is
 * BAD_ARGUMENT, before anything else is looked at.
 */
public class EnumEdgeCases {
    private static final long[] LARGE = {0x7fffffffL, 0xffffffffL};
    private static final int OK = 0;
    private static final int NF = 1;
    private static final int BAD = 2;

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    @ConformanceCase(
            id = "EnumEdgesMapType",
            description =
                    "map types in on_request_headers: get_header_map_pairs of every type 0..7 is OK; get/size/add/replace/remove of HTTP_REQUEST_HEADERS are OK; type 8, 0x7fffffff and 0xffffffff are BAD_ARGUMENT for all seven map functions",
            features = Feature.HTTP_HEADERS,
            hostCalls = {
                "proxy_get_header_map_pairs",
                "proxy_get_header_map_value",
                "proxy_get_header_map_size",
                "proxy_add_header_map_value",
                "proxy_replace_header_map_value",
                "proxy_remove_header_map_value",
                "proxy_set_header_map_pairs"
            },
            spec = "ABI.md §1.3 (map type 0..7; cpp-host: type > 7 is BadArgument), §2.4",
            reading =
                    "a map type in range whose map is not available: get_header_map_pairs → OK and empty (the reference host's reading, as Envoy)",
            profile = Profile.ROBUSTNESS)
    void mapType(TckCase tck) {
        StepTable t = new StepTable();
        for (int type = 0; type <= 7; type++) {
            t.expect("pairs(" + type + ")", OK, "proxy_get_header_map_pairs", num(type), outData());
        }
        t.expect("value(0)", OK, "proxy_get_header_map_value", num(0), str(":path"), outData())
                .expect("size(0)", OK, "proxy_get_header_map_size", num(0), outU32())
                .expect(
                        "add(0)",
                        OK,
                        "proxy_add_header_map_value",
                        num(0),
                        str("x-pwtck-e"),
                        str("1"))
                .expect(
                        "replace(0)",
                        OK,
                        "proxy_replace_header_map_value",
                        num(0),
                        str("x-pwtck-e"),
                        str("2"))
                .expect("remove(0)", OK, "proxy_remove_header_map_value", num(0), str("x-pwtck-e"));
        for (long bad : new long[] {8, LARGE[0], LARGE[1]}) {
            String v = bad == 8 ? "8" : hex(bad);
            t.expect("pairs(" + v + ")", BAD, "proxy_get_header_map_pairs", num(bad), outData())
                    .expect(
                            "value(" + v + ")",
                            BAD,
                            "proxy_get_header_map_value",
                            num(bad),
                            str(":path"),
                            outData())
                    .expect("size(" + v + ")", BAD, "proxy_get_header_map_size", num(bad), outU32())
                    .expect(
                            "add(" + v + ")",
                            BAD,
                            "proxy_add_header_map_value",
                            num(bad),
                            str("x-pwtck-e"),
                            str("1"))
                    .expect(
                            "replace(" + v + ")",
                            BAD,
                            "proxy_replace_header_map_value",
                            num(bad),
                            str("x-pwtck-e"),
                            str("1"))
                    .expect(
                            "remove(" + v + ")",
                            BAD,
                            "proxy_remove_header_map_value",
                            num(bad),
                            str("x-pwtck-e"))
                    .expect(
                            "set_pairs(" + v + ")",
                            BAD,
                            "proxy_set_header_map_pairs",
                            num(bad),
                            pairs("x-pwtck-e", "1"));
        }
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb -> {
                                            t.addTo(tck.language(), cb);
                                            cb.reportLocalResponse(200);
                                        }),
                        TckRequest.get("/enum/map"));
        t.check(tck, r.record("on_request_headers"), 0);
    }

    @ConformanceCase(
            id = "EnumEdgesBufferType",
            description =
                    "buffer types in on_request_body: HTTP_REQUEST_BODY is OK for get_buffer_bytes, get_buffer_status and set_buffer_bytes, types 1..8 (not available there) NOT_FOUND; 9, 0x7fffffff and 0xffffffff BAD_ARGUMENT",
            features = {Feature.BUFFERS, Feature.HTTP_BODY},
            hostCalls = {
                "proxy_get_buffer_bytes",
                "proxy_get_buffer_status",
                "proxy_set_buffer_bytes"
            },
            spec = "ABI.md §1.3 (buffer type 0..8; cpp-host: type > 8 is BadArgument), §2.3",
            reading =
                    "a buffer type in range whose buffer is not available in the callback → NOT_FOUND (Envoy: an empty buffer for bodies and L4 data)",
            profile = Profile.ROBUSTNESS)
    void bufferType(TckCase tck) {
        StepTable t = new StepTable();
        for (int type = 0; type <= 8; type++) {
            int want = type == 0 ? OK : NF;
            t.expect(
                            "get(" + type + ")",
                            want,
                            "proxy_get_buffer_bytes",
                            num(type),
                            num(0),
                            num(16),
                            outData())
                    .expect(
                            "status(" + type + ")",
                            want,
                            "proxy_get_buffer_status",
                            num(type),
                            outSizeFlags())
                    .expect(
                            "set(" + type + ")",
                            want,
                            "proxy_set_buffer_bytes",
                            num(type),
                            num(0),
                            num(0),
                            str(""));
        }
        for (long bad : new long[] {9, LARGE[0], LARGE[1]}) {
            String v = bad == 9 ? "9" : hex(bad);
            t.expect(
                            "get(" + v + ")",
                            BAD,
                            "proxy_get_buffer_bytes",
                            num(bad),
                            num(0),
                            num(16),
                            outData())
                    .expect(
                            "status(" + v + ")",
                            BAD,
                            "proxy_get_buffer_status",
                            num(bad),
                            outSizeFlags())
                    .expect(
                            "set(" + v + ")",
                            BAD,
                            "proxy_set_buffer_bytes",
                            num(bad),
                            num(0),
                            num(0),
                            str(""));
        }
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_body",
                                        cb -> {
                                            t.addTo(tck.language(), cb);
                                            cb.reportLocalResponse(200);
                                        }),
                        TckRequest.post("/enum/buffer", "enum-body"));
        t.check(tck, r.record("on_request_body"), 0);
    }

    @ConformanceCase(
            id = "EnumEdgesStreamType",
            description =
                    "stream types in on_request_headers: continue_stream(HTTP_REQUEST) and (HTTP_RESPONSE) are OK, DOWNSTREAM and UPSTREAM (not this stream's) BAD_ARGUMENT; 4, 0x7fffffff and 0xffffffff BAD_ARGUMENT for continue_stream and close_stream",
            features = Feature.STREAM_CONTROL,
            hostCalls = {"proxy_continue_stream", "proxy_close_stream"},
            spec = "ABI.md §1.3 (stream type 0..3; cpp-host: type > 3 is BadArgument), §2.5",
            reading =
                    "on an HTTP stream the L4 stream types are BAD_ARGUMENT (the reference host's reading; Envoy: DOWNSTREAM OK, UPSTREAM UNIMPLEMENTED)",
            profile = Profile.ROBUSTNESS)
    void streamType(TckCase tck) {
        StepTable t =
                new StepTable()
                        .expect("continue(0)", OK, "proxy_continue_stream", num(0))
                        .expect("continue(1)", OK, "proxy_continue_stream", num(1))
                        .expect("continue(2)", BAD, "proxy_continue_stream", num(2))
                        .expect("continue(3)", BAD, "proxy_continue_stream", num(3));
        for (long bad : new long[] {4, LARGE[0], LARGE[1]}) {
            String v = bad == 4 ? "4" : hex(bad);
            t.expect("continue(" + v + ")", BAD, "proxy_continue_stream", num(bad))
                    .expect("close(" + v + ")", BAD, "proxy_close_stream", num(bad));
        }
        var d =
                tck.deployProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb -> {
                                            t.addTo(tck.language(), cb);
                                            cb.report("shared_data");
                                        }));
        var response = tck.exchange(d, TckRequest.get("/enum/stream"));
        ProbeReport r = tck.awaitRecords(d, Duration.ofSeconds(5), "on_request_headers");
        t.check(tck, r.record("on_request_headers"), 0);
        if (response.status() != 200) {
            throw new AssertionError("the request must still complete (200): " + response);
        }
    }

    @ConformanceCase(
            id = "EnumEdgesLogLevel",
            description =
                    "proxy_log with every level 0..5 is OK; 6, 0x7fffffff and 0xffffffff are BAD_ARGUMENT",
            features = Feature.LOGGING,
            hostCalls = "proxy_log",
            spec = "ABI.md §1.3 (cpp-host rejects level > 5), §2.2",
            profile = Profile.ROBUSTNESS)
    void logLevel(TckCase tck) {
        StepTable t = new StepTable();
        for (int level = 0; level <= 5; level++) {
            t.expect(
                    "log(" + level + ")",
                    OK,
                    "proxy_log",
                    num(level),
                    str("pwtck enum edge " + level));
        }
        for (long bad : new long[] {6, LARGE[0], LARGE[1]}) {
            t.expect(
                    "log(" + (bad == 6 ? "6" : hex(bad)) + ")",
                    BAD,
                    "proxy_log",
                    num(bad),
                    str("pwtck enum edge"));
        }
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb -> {
                                            t.addTo(tck.language(), cb);
                                            cb.reportLocalResponse(200);
                                        }),
                        TckRequest.get("/enum/log"));
        t.check(tck, r.record("on_request_headers"), 0);
    }

    @ConformanceCase(
            id = "EnumEdgesMetricType",
            description =
                    "proxy_define_metric with COUNTER, GAUGE and HISTOGRAM is OK; 3, 0x7fffffff and 0xffffffff are BAD_ARGUMENT",
            features = Feature.METRICS,
            hostCalls = "proxy_define_metric",
            spec = "ABI.md §1.3 (metric type 0..2), §2.8",
            profile = Profile.ROBUSTNESS)
    void metricType(TckCase tck) {
        StepTable t = new StepTable();
        for (int type = 0; type <= 2; type++) {
            t.expect(
                    "define(" + type + ")",
                    OK,
                    "proxy_define_metric",
                    num(type),
                    str("pwtck_enum_" + type + "_" + tck.language()),
                    outU32());
        }
        for (long bad : new long[] {3, LARGE[0], LARGE[1]}) {
            t.expect(
                    "define(" + (bad == 3 ? "3" : hex(bad)) + ")",
                    BAD,
                    "proxy_define_metric",
                    num(bad),
                    str("pwtck_enum_bad_" + tck.language()),
                    outU32());
        }
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb -> {
                                            t.addTo(tck.language(), cb);
                                            cb.reportLocalResponse(200);
                                        }),
                        TckRequest.get("/enum/metric"));
        t.check(tck, r.record("on_request_headers"), 0);
    }
}
