package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outData;
import static org.pwtck.tck.probe.ProbeArg.outU32;
import static org.pwtck.tck.probe.ProbeArg.pairs;
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

/** proxy_http_call and its response callback (ABI.md §2.6, §1.6). */
public class HttpCallCases {
    private static final String SPEC = "spec v0.2.1 \"HTTP calls\"; ABI.md §2.6";

    @ConformanceCase(
            id = "HttpCallUnknownClusterIsBadArgument",
            description =
                    "proxy_http_call to a cluster the host does not know returns BAD_ARGUMENT",
            features = Feature.HTTP_CALL,
            hostCalls = "proxy_http_call",
            spec = SPEC + "; §4.2 item 9",
            profile = Profile.ROBUSTNESS)
    void unknownCluster(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_http_call",
                                                                str("pwtck_no_such_cluster"),
                                                                pairs(
                                                                        ":method",
                                                                        "GET",
                                                                        ":path",
                                                                        "/",
                                                                        ":authority",
                                                                        "x"),
                                                                str(""),
                                                                pairs(),
                                                                num(1000),
                                                                outU32())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(2, r.step("on_request_headers", 0).status());
    }

    @ConformanceCase(
            id = "HttpCallResponseResumesRequest",
            description =
                    "a request paused in on_request_headers after proxy_http_call is resumed from on_http_call_response (root context id, effective context set to the stream) and a header added there reaches the upstream",
            features = {Feature.HTTP_CALL, Feature.STREAM_CONTROL, Feature.CONTEXT},
            hostCalls = {
                "proxy_http_call",
                "proxy_set_effective_context",
                "proxy_get_header_map_pairs",
                "proxy_add_header_map_value",
                "proxy_continue_stream"
            },
            spec = SPEC + "; §1.6")
    void callThenResume(TckCase tck) {
        var d =
                tck.deployProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_http_call",
                                                                str(FilterSpec.HTTPBIN_CLUSTER),
                                                                pairs(
                                                                        ":method",
                                                                        "GET",
                                                                        ":path",
                                                                        "/headers",
                                                                        ":authority",
                                                                        "httpbin",
                                                                        "x-from-call",
                                                                        "1"),
                                                                str(""),
                                                                pairs(),
                                                                num(5000),
                                                                outU32())
                                                        .action(1))
                                .on(
                                        "on_http_call_response",
                                        cb ->
                                                // Every edit before the resume: a host may send the
                                                // headers as soon as
                                                // proxy_continue_stream is called (Envoy does).
                                                cb.call(
                                                                "proxy_set_effective_context",
                                                                var("origin_context_id"))
                                                        .call(
                                                                "proxy_get_header_map_value",
                                                                num(6),
                                                                str(":status"),
                                                                outData())
                                                        .call(
                                                                "proxy_add_header_map_value",
                                                                num(0),
                                                                str("x-call-status"),
                                                                str("seen"))
                                                        .report("request_header")
                                                        .call("proxy_continue_stream", num(0))));
        TckResponse response = tck.exchange(d, TckRequest.get("/anything"));
        var upstream =
                response.upstream()
                        .orElseThrow(
                                () -> new AssertionError("request never resumed: " + response));
        tck.evidence("upstream sees x-call-status: seen", upstream.headers().toString());
        assertEquals("seen", upstream.header("x-call-status").orElse(null));
        var report =
                TckCase.probeReport(
                        new TckResponse(
                                200,
                                java.util.List.of(),
                                upstream.header("x-pwtck-probe").orElse("").getBytes(),
                                java.util.Optional.empty()));
        var rec = report.record("on_http_call_response");
        assertEquals(
                5,
                rec.args().size(),
                "(root id, token, headers, body size, trailers): " + rec.args());
        assertEquals(0, rec.step(0).status(), "set_effective_context to the stream");
        assertEquals("200", rec.step(1).out(0).text());
        assertTrue(rec.args().get(2) > 0, "num_headers > 0 for a successful call");
    }
}
