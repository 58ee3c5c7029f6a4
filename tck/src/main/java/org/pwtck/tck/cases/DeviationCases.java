package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pwtck.tck.probe.ProbeArg.hex;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outData;
import static org.pwtck.tck.probe.ProbeArg.outSizeFlags;
import static org.pwtck.tck.probe.ProbeArg.outU32;
import static org.pwtck.tck.probe.ProbeArg.outU64;
import static org.pwtck.tck.probe.ProbeArg.pairs;
import static org.pwtck.tck.probe.ProbeArg.str;
import static org.pwtck.tck.probe.ProbeArg.var;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.api.Profile;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;
import org.pwtck.tck.wat.WatProbe;

/**
 * The known host deviations of ABI.md §4.2 and the spec errata of §8 that a case can observe and
 * that no other case covers (see the list in each description). Where the spec is unclear, the case
 * names the reading it checks.
 */
public class DeviationCases {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static ProbeScenario.CallbackSteps callEcho(
            ProbeScenario.CallbackSteps cb, String path) {
        return cb.call(
                "proxy_http_call",
                str(FilterSpec.HTTPBIN_CLUSTER),
                pairs(":method", "GET", ":path", path, ":authority", "httpbin"),
                str(""),
                pairs(),
                num(5000),
                outU32());
    }

    @ConformanceCase(
            id = "LocalResponseTwiceIsBadArgument",
            description =
                    "a second proxy_send_local_response in the same callback returns BAD_ARGUMENT and the client gets the first one",
            features = Feature.LOCAL_RESPONSE,
            hostCalls = "proxy_send_local_response",
            spec = "ABI.md §4.2 item 1 (Envoy issues #28826, #23047), §8 erratum 12",
            reading =
                    "send_local_response twice → the second is BAD_ARGUMENT and sends nothing (the reference host's reading); the spec does not say")
    void localResponseTwice(TckCase tck) {
        var d =
                tck.deployProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_send_local_response",
                                                                num(418),
                                                                str("pwtck_first"),
                                                                str("first"),
                                                                pairs("x-pwtck-which", "first"),
                                                                num(-1))
                                                        .call(
                                                                "proxy_send_local_response",
                                                                num(500),
                                                                str("pwtck_second"),
                                                                str("second"),
                                                                pairs("x-pwtck-which", "second"),
                                                                num(-1))
                                                        .report("shared_data")));
        TckResponse response = tck.exchange(d, TckRequest.get("/twice"));
        ProbeReport r = tck.awaitRecords(d, WAIT, "on_request_headers");
        var rec = r.record("on_request_headers");
        tck.evidence(
                "OK, BAD_ARGUMENT; client 418 'first'",
                rec.step(0).status() + ", " + rec.step(1).status() + "; " + response);
        assertEquals(0, rec.step(0).status(), "first");
        assertEquals(2, rec.step(1).status(), "second");
        assertEquals(418, response.status());
        assertEquals("first", response.bodyString());
        assertEquals("first", response.header("x-pwtck-which").orElse(null));
    }

    @ConformanceCase(
            id = "LocalResponseFromCallResponseNeedsEffectiveContext",
            description =
                    "in on_http_call_response (root context) proxy_send_local_response returns BAD_ARGUMENT until proxy_set_effective_context selects the paused stream; then it is OK and the client gets it",
            features = {Feature.LOCAL_RESPONSE, Feature.HTTP_CALL, Feature.CONTEXT},
            hostCalls = {
                "proxy_http_call",
                "proxy_send_local_response",
                "proxy_set_effective_context",
                "proxy_on_http_call_response"
            },
            spec = "ABI.md §1.6, §4.2 item 1 (Envoy issue #39797)",
            reading =
                    "without a stream in the effective context send_local_response is BAD_ARGUMENT (Envoy returns OK and does nothing)")
    void localResponseFromCallResponse(TckCase tck) {
        var d =
                tck.deployProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb -> callEcho(cb, "/status/200").action(1))
                                .on(
                                        "on_http_call_response",
                                        cb ->
                                                cb.call(
                                                                "proxy_send_local_response",
                                                                num(403),
                                                                str("pwtck_root"),
                                                                str("from root"),
                                                                pairs(),
                                                                num(-1))
                                                        .call(
                                                                "proxy_set_effective_context",
                                                                var("origin_context_id"))
                                                        .call(
                                                                "proxy_send_local_response",
                                                                num(403),
                                                                str("pwtck_stream"),
                                                                str("from call response"),
                                                                pairs(),
                                                                num(-1))
                                                        .report("shared_data")));
        TckResponse response = tck.exchange(d, TckRequest.get("/call-then-local"));
        var rec =
                tck.awaitRecords(d, WAIT, "on_http_call_response").record("on_http_call_response");
        tck.evidence(
                "BAD_ARGUMENT, OK, OK; client 403 'from call response'",
                rec.step(0).status()
                        + ", "
                        + rec.step(1).status()
                        + ", "
                        + rec.step(2).status()
                        + "; "
                        + response);
        assertEquals(
                2, rec.step(0).status(), "send_local_response with the root context effective");
        assertEquals(0, rec.step(1).status(), "set_effective_context(origin)");
        assertEquals(0, rec.step(2).status(), "send_local_response on the stream");
        assertEquals(403, response.status());
        assertEquals("from call response", response.bodyString());
    }

    @ConformanceCase(
            id = "RepeatedRequestHeaderFirstValue",
            description =
                    "for a request header sent twice, proxy_get_header_map_value returns the first value and proxy_get_header_map_pairs both, in order",
            features = Feature.HTTP_HEADERS,
            hostCalls = {"proxy_get_header_map_value", "proxy_get_header_map_pairs"},
            spec = "ABI.md §2.4, §4.2 item 2",
            reading =
                    "get_header_map_value of a multi-valued header returns the first value (Envoy); pairs carry every value")
    void repeatedHeader(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_header_map_value",
                                                                num(0),
                                                                str("x-multi"),
                                                                outData())
                                                        .call(
                                                                "proxy_get_header_map_pairs",
                                                                num(0),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/multi")
                                .withHeader("x-multi", "a")
                                .withHeader("x-multi", "b"));
        var value = r.step("on_request_headers", 0);
        var pairs = PairsDecoder.decode(r.step("on_request_headers", 1).out(0).data());
        List<List<String>> multi = pairs.stream().filter(p -> p.get(0).equals("x-multi")).toList();
        tck.evidence("value 'a'; pairs [x-multi, a], [x-multi, b]", value + "; " + multi);
        assertEquals(0, value.status());
        assertEquals("a", value.out(0).text());
        assertEquals(List.of(List.of("x-multi", "a"), List.of("x-multi", "b")), multi);
    }

    @ConformanceCase(
            id = "SetHeaderMapPairsKeepsRepeatedKeys",
            description =
                    "proxy_set_header_map_pairs with a key twice keeps both values in order: get_header_map_pairs returns both, get_header_map_value the first",
            features = Feature.HTTP_HEADERS,
            hostCalls = {
                "proxy_set_header_map_pairs",
                "proxy_get_header_map_pairs",
                "proxy_get_header_map_value"
            },
            spec = "ABI.md §1.4, §7 item 5 (serialization edges)",
            reading = "a serialized map is a list of pairs: repeated keys are kept, in order")
    void setRepeatedKeys(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_set_header_map_pairs",
                                                                num(0),
                                                                pairs(
                                                                        ":method",
                                                                        "GET",
                                                                        ":path",
                                                                        "/rep",
                                                                        ":authority",
                                                                        "pwtck.test",
                                                                        ":scheme",
                                                                        "http",
                                                                        "x-rep",
                                                                        "one",
                                                                        "x-rep",
                                                                        "two"))
                                                        .call(
                                                                "proxy_get_header_map_pairs",
                                                                num(0),
                                                                outData())
                                                        .call(
                                                                "proxy_get_header_map_value",
                                                                num(0),
                                                                str("x-rep"),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(0, r.step("on_request_headers", 0).status(), "set");
        var pairs = PairsDecoder.decode(r.step("on_request_headers", 1).out(0).data());
        var rep = pairs.stream().filter(p -> p.get(0).equals("x-rep")).toList();
        tck.evidence(
                "[x-rep, one], [x-rep, two]; value one",
                rep + "; " + r.step("on_request_headers", 2));
        assertEquals(List.of(List.of("x-rep", "one"), List.of("x-rep", "two")), rep);
        assertEquals("one", r.step("on_request_headers", 2).out(0).text());
    }

    @ConformanceCase(
            id = "EmptyMapForms",
            description =
                    "proxy_set_header_map_pairs accepts an empty map as 0 bytes, as one 0x00 byte and as the 4-byte N=0 form; the emptied map then reads back as the 4-byte N=0 form with get_header_map_size 4",
            features = Feature.HTTP_HEADERS,
            hostCalls = {
                "proxy_set_header_map_pairs",
                "proxy_get_header_map_pairs",
                "proxy_get_header_map_size"
            },
            spec =
                    "spec v0.2.1 \"Serialization\" (empty map: size 0 or a 0x00 byte); ABI.md §1.4, §7 item 5",
            reading =
                    "an empty but present map reads as the 4-byte N=0 form and size 4 (the reference host's reading; cpp-host returns ptr 0, size 0)")
    void emptyMapForms(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_set_header_map_pairs",
                                                                num(0),
                                                                hex(new byte[0]))
                                                        .call(
                                                                "proxy_get_header_map_pairs",
                                                                num(0),
                                                                outData())
                                                        .call(
                                                                "proxy_get_header_map_size",
                                                                num(0),
                                                                outU32())
                                                        .call(
                                                                "proxy_set_header_map_pairs",
                                                                num(0),
                                                                pairs("x-a", "1"))
                                                        .call(
                                                                "proxy_set_header_map_pairs",
                                                                num(0),
                                                                hex(new byte[] {0}))
                                                        .call(
                                                                "proxy_get_header_map_pairs",
                                                                num(0),
                                                                outData())
                                                        .call(
                                                                "proxy_set_header_map_pairs",
                                                                num(0),
                                                                pairs("x-a", "1"))
                                                        .call(
                                                                "proxy_set_header_map_pairs",
                                                                num(0),
                                                                hex(new byte[4]))
                                                        .call(
                                                                "proxy_get_header_map_pairs",
                                                                num(0),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/empty"));
        var cb = r.record("on_request_headers");
        String got =
                "set(0 bytes) "
                        + cb.step(0).status()
                        + " → "
                        + hexOf(cb.step(1))
                        + " size "
                        + cb.step(2).out(0).value()
                        + "; set(00) "
                        + cb.step(4).status()
                        + " → "
                        + hexOf(cb.step(5))
                        + "; set(00000000) "
                        + cb.step(7).status()
                        + " → "
                        + hexOf(cb.step(8));
        tck.evidence("each set OK, each read 00000000, size 4", got);
        for (int step : new int[] {0, 4, 7}) {
            assertEquals(0, cb.step(step).status(), "set, step " + step + ": " + got);
        }
        for (int step : new int[] {1, 5, 8}) {
            assertEquals("00000000", hexOf(cb.step(step)), "read back, step " + step + ": " + got);
        }
        assertEquals(4, cb.step(2).out(0).value(), "size: " + got);
    }

    private static String hexOf(ProbeReport.Step step) {
        return HexFormat.of().formatHex(step.out(0).data());
    }

    @ConformanceCase(
            id = "NulInsideHeaderValue",
            description =
                    "a header value with a NUL inside (a\\0b), added with proxy_add_header_map_value or set with proxy_set_header_map_pairs, is either kept whole (3 bytes) or refused with BAD_ARGUMENT; it is never cut at the NUL",
            features = Feature.HTTP_HEADERS,
            hostCalls = {
                "proxy_add_header_map_value",
                "proxy_set_header_map_pairs",
                "proxy_get_header_map_value"
            },
            spec = "ABI.md §1.4 (lengths are explicit), §7 item 5",
            reading =
                    "the pairs format and the (ptr, len) arguments carry explicit lengths, so a NUL is data; a host may refuse it as an invalid header value (BAD_ARGUMENT) but must not truncate it",
            profile = Profile.ROBUSTNESS)
    void nulInsideValue(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_add_header_map_value",
                                                                num(0),
                                                                str("x-nul-add"),
                                                                hex(new byte[] {'a', 0, 'b'}))
                                                        .call(
                                                                "proxy_get_header_map_value",
                                                                num(0),
                                                                str("x-nul-add"),
                                                                outData())
                                                        .call(
                                                                "proxy_set_header_map_pairs",
                                                                num(0),
                                                                pairs(
                                                                        ":method",
                                                                        "GET",
                                                                        ":path",
                                                                        "/nul",
                                                                        ":authority",
                                                                        "pwtck.test",
                                                                        ":scheme",
                                                                        "http",
                                                                        "x-nul-set",
                                                                        "a\u0000b"))
                                                        .call(
                                                                "proxy_get_header_map_value",
                                                                num(0),
                                                                str("x-nul-set"),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/nul"));
        var cb = r.record("on_request_headers");
        tck.evidence(
                "add OK and 610062 back, or BAD_ARGUMENT and NOT_FOUND; same for set",
                cb.step(0) + " " + cb.step(1) + " " + cb.step(2) + " " + cb.step(3));
        for (int write : new int[] {0, 2}) {
            int status = cb.step(write).status();
            var read = cb.step(write + 1);
            if (status == 0) {
                assertEquals(0, read.status(), "kept: " + read);
                assertEquals("610062", hexOf(read), "kept whole, not cut at the NUL");
            } else {
                assertEquals(2, status, "refused as BAD_ARGUMENT, step " + write);
                assertEquals(1, read.status(), "refused: nothing stored, step " + (write + 1));
            }
        }
    }

    @ConformanceCase(
            id = "SetBufferBytesSplicesInTheMiddle",
            description =
                    "proxy_set_buffer_bytes(HTTP_REQUEST_BODY, 6, 5, 'there') on 'hello world' gives 'hello there'; start == length appends; start past the end is BAD_ARGUMENT; the upstream gets 'hello there!'",
            features = {Feature.HTTP_BODY, Feature.BUFFERS},
            hostCalls = {
                "proxy_set_buffer_bytes",
                "proxy_get_buffer_bytes",
                "proxy_remove_header_map_value"
            },
            spec = "spec v0.2.1 \"Buffers\"; ABI.md §2.3, §4.2 item 3, §8 erratum 9",
            reading =
                    "set_buffer_bytes is a generic splice (spec text); start past the end → BAD_ARGUMENT; Envoy refuses 0 < start < length with BAD_ARGUMENT")
    void spliceInTheMiddle(TckCase tck) {
        var d =
                tck.deployProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                        "proxy_remove_header_map_value",
                                                        num(0),
                                                        str("content-length")))
                                .on(
                                        "on_request_body",
                                        cb ->
                                                cb.call(
                                                                "proxy_set_buffer_bytes",
                                                                num(0),
                                                                num(6),
                                                                num(5),
                                                                str("there"))
                                                        .call(
                                                                "proxy_get_buffer_bytes",
                                                                num(0),
                                                                num(0),
                                                                num(100),
                                                                outData())
                                                        .call(
                                                                "proxy_set_buffer_bytes",
                                                                num(0),
                                                                num(11),
                                                                num(0),
                                                                str("!"))
                                                        .call(
                                                                "proxy_set_buffer_bytes",
                                                                num(0),
                                                                num(100),
                                                                num(0),
                                                                str("x"))
                                                        .call(
                                                                "proxy_get_buffer_bytes",
                                                                num(0),
                                                                num(0),
                                                                num(100),
                                                                outData())
                                                        .report("shared_data")));
        TckResponse response = tck.exchange(d, TckRequest.post("/anything/splice", "hello world"));
        var rec = tck.awaitRecords(d, WAIT, "on_request_body").record("on_request_body");
        String upstream =
                response.upstream().map(u -> u.bodyString()).orElse("(upstream not reached)");
        tck.evidence(
                "OK 'hello there', OK, BAD_ARGUMENT, 'hello there!'; upstream 'hello there!'",
                rec.step(0).status()
                        + " '"
                        + rec.step(1).out(0).text()
                        + "', "
                        + rec.step(2).status()
                        + ", "
                        + rec.step(3).status()
                        + ", '"
                        + rec.step(4).out(0).text()
                        + "'; upstream '"
                        + upstream
                        + "'");
        assertEquals(0, rec.step(0).status(), "splice in the middle");
        assertEquals("hello there", rec.step(1).out(0).text());
        assertEquals(0, rec.step(2).status(), "append at start == length");
        assertEquals(2, rec.step(3).status(), "start past the end");
        assertEquals("hello there!", rec.step(4).out(0).text());
        assertEquals("hello there!", upstream);
    }

    @ConformanceCase(
            id = "SharedDataEmptyValueIsNotDelete",
            description =
                    "proxy_set_shared_data with a NULL value (pointer 0, size 0) on an existing key returns OK and stores an empty value: get returns OK with size 0, not NOT_FOUND",
            features = Feature.SHARED_DATA,
            hostCalls = {"proxy_set_shared_data", "proxy_get_shared_data"},
            spec = "ABI.md §2.7, §4.2 item 8",
            reading =
                    "there is no delete: a NULL value stores an empty value (cpp-host, java-host; rust-sdk's remove_shared_data relies on it); ngx deletes the key")
    void nullValue(TckCase tck) {
        String key = "pwtck.null." + tck.language();
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_set_shared_data",
                                                                str(key),
                                                                str("x"),
                                                                num(0))
                                                        .call(
                                                                "proxy_set_shared_data",
                                                                str(key),
                                                                num(0),
                                                                num(0),
                                                                num(0))
                                                        .call(
                                                                "proxy_get_shared_data",
                                                                str(key),
                                                                outData(),
                                                                outU32())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/null"));
        var get = r.step("on_request_headers", 2);
        tck.evidence(
                "OK, OK, get OK size 0",
                r.step("on_request_headers", 0).status()
                        + ", "
                        + r.step("on_request_headers", 1).status()
                        + ", "
                        + get);
        assertEquals(0, r.step("on_request_headers", 1).status(), "set NULL");
        assertEquals(0, get.status(), "the key still exists");
        assertEquals(0, get.out(0).size(), "empty value");
    }

    @ConformanceCase(
            id = "VmStartGetsRootContextId",
            description =
                    "proxy_on_vm_start's first argument is the root context id (the one on_configure gets), not 0",
            features = {Feature.LIFECYCLE, Feature.CONFIGURATION},
            hostCalls = {"proxy_on_vm_start", "proxy_on_configure"},
            spec = "ABI.md §3.1, §4.2 item 7, §8 erratum 6",
            reading =
                    "the spec calls the argument unused; every real host passes the root context id and rust-sdk requires it",
            profile = Profile.BACKGROUND)
    void vmStartRootId(TckCase tck) {
        ProbeScenario vm = ProbeScenario.create().on("on_vm_start", cb -> cb.report("shared_data"));
        ProbeScenario s = ProbeScenario.create().on("on_configure", cb -> cb.report("shared_data"));
        var d = tck.deployProbe(s, spec -> spec.withVmConfiguration(vm.json()));
        ProbeReport r = tck.awaitRecords(d, WAIT, "on_vm_start", "on_configure");
        var start = r.record("on_vm_start");
        long root = r.record("on_configure").contextId();
        tck.evidence("on_vm_start(" + root + ", <vm config size>)", start.args().toString());
        assertNotEquals(0L, root);
        assertEquals(root, start.args().get(0));
        assertEquals(vm.json().length(), start.args().get(1), "the VM configuration's size");
    }

    @ConformanceCase(
            id = "GetMetricWritesExactlyEightBytes",
            description =
                    "proxy_get_metric writes a counter of 2^33 + 5 as exactly 8 little-endian bytes: bytes 8..15 of the out slot keep the sentinel",
            features = Feature.METRICS,
            hostCalls = {"proxy_define_metric", "proxy_increment_metric", "proxy_get_metric"},
            spec = "ABI.md §1.1, §4.2 item 6 (java-host writes 4 bytes)")
    void metricWidth(TckCase tck) {
        long value = (1L << 33) + 5;
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
                                                                        "pwtck_width_"
                                                                                + tck.language()),
                                                                outU32())
                                                        .call(
                                                                "proxy_increment_metric",
                                                                var("m"),
                                                                num(value))
                                                        .call(
                                                                "proxy_get_metric",
                                                                var("m"),
                                                                outU64())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/width"));
        var out = r.step("on_request_headers", 2).out(0);
        byte[] slot = out.slot();
        byte[] expected = new byte[16];
        java.nio.ByteBuffer.wrap(expected).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(value);
        Arrays.fill(expected, 8, 16, (byte) 0xA5);
        tck.evidence(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(slot));
        assertEquals(0, r.step("on_request_headers", 2).status());
        assertArrayEquals(expected, slot);
    }

    @ConformanceCase(
            id = "HttpCallResponseBodyIsBufferType4",
            description =
                    "in on_http_call_response the call's body is HTTP_CALL_RESPONSE_BODY (4), of the body_size argument's length; HTTP_RESPONSE_BODY (1) is not it (NOT_FOUND)",
            features = {
                Feature.HTTP_CALL,
                Feature.BUFFERS,
                Feature.STREAM_CONTROL,
                Feature.CONTEXT
            },
            hostCalls = {
                "proxy_http_call",
                "proxy_get_buffer_bytes",
                "proxy_get_buffer_status",
                "proxy_set_effective_context",
                "proxy_continue_stream",
                "proxy_on_http_call_response"
            },
            spec = "spec v0.2.1 \"HTTP calls\"; ABI.md §3.1, §8 erratum 2",
            reading =
                    "the call's body is buffer type 4 as every implementation has it (the spec text says HTTP_RESPONSE_BODY)")
    void callBody(TckCase tck) {
        var d =
                tck.deployProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb -> callEcho(cb, "/anything/pwtck-call").action(1))
                                .on(
                                        "on_http_call_response",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_buffer_bytes",
                                                                num(4),
                                                                num(0),
                                                                num(100000),
                                                                outData())
                                                        .call(
                                                                "proxy_get_buffer_status",
                                                                num(4),
                                                                outSizeFlags())
                                                        .call(
                                                                "proxy_get_buffer_bytes",
                                                                num(1),
                                                                num(0),
                                                                num(100000),
                                                                outData())
                                                        .call(
                                                                "proxy_set_effective_context",
                                                                var("origin_context_id"))
                                                        .call("proxy_continue_stream", num(0))
                                                        .report("shared_data")));
        TckResponse response = tck.exchange(d, TckRequest.get("/anything/outer"));
        var rec =
                tck.awaitRecords(d, WAIT, "on_http_call_response").record("on_http_call_response");
        long bodySize = rec.args().get(3);
        String body = rec.step(0).out(0).text();
        tck.evidence(
                "body with /anything/pwtck-call of body_size bytes; status size == body_size; type 1 NOT_FOUND",
                "args "
                        + rec.args()
                        + ", body "
                        + body
                        + ", status "
                        + rec.step(1)
                        + ", type 1 "
                        + rec.step(2).status());
        assertEquals(0, rec.step(0).status());
        assertTrue(body.contains("/anything/pwtck-call"), body);
        assertEquals(bodySize, rec.step(0).out(0).data().length, "body_size argument");
        assertEquals(bodySize, rec.step(1).out(0).value(), "get_buffer_status size");
        assertEquals(1, rec.step(2).status(), "HTTP_RESPONSE_BODY is not the call's body");
        assertEquals(200, response.status(), "the request resumed: " + response);
    }

    @ConformanceCase(
            id = "V02CannotImportContinueRequest",
            description =
                    "a 0.2.1 module importing proxy_continue_request (0.1.0 only) is refused at load",
            features = Feature.MODULE_LOADING,
            hostCalls = "proxy_continue_request",
            spec = "ABI.md §2 (version gating), §4.2 item 4",
            reading = "host functions are linked according to the module's ABI marker (cpp-host)",
            profile = Profile.ROBUSTNESS,
            languages = "wat")
    void noContinueRequest(TckCase tck) {
        tck.deployRefused(
                WatProbe.v021()
                        .importing("proxy_continue_request", "", "i32")
                        .body("(call $proxy_continue_request)")
                        .spec("v021-continue-request"));
    }
}
