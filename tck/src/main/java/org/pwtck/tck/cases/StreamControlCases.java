package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outCodeData;

import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.Profile;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/** Stream control (ABI.md §2.5). */
public class StreamControlCases {
    private static final String SPEC = "spec v0.2.1 \"HTTP\"; ABI.md §2.5";

    @ConformanceCase(
            id = "StreamTypeOutOfRangeIsBadArgument",
            description =
                    "proxy_continue_stream and proxy_close_stream with stream type 4 return BAD_ARGUMENT",
            features = Feature.STREAM_CONTROL,
            hostCalls = {"proxy_continue_stream", "proxy_close_stream"},
            spec = "ABI.md §1.3 (cpp-host: type > 3 is BadArgument)",
            profile = Profile.ROBUSTNESS)
    void badStreamType(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call("proxy_continue_stream", num(4))
                                                        .call("proxy_close_stream", num(4))
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(2, r.step("on_request_headers", 0).status());
        assertEquals(2, r.step("on_request_headers", 1).status());
    }

    @ConformanceCase(
            id = "CloseStreamResetsRequest",
            description =
                    "proxy_close_stream(HTTP_REQUEST) in on_request_headers resets the stream: the client gets no response and the upstream is not reached",
            features = Feature.STREAM_CONTROL,
            hostCalls = "proxy_close_stream",
            spec = SPEC)
    void closeStream(TckCase tck) {
        var d =
                tck.deployProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb -> cb.call("proxy_close_stream", num(0)).action(1)));
        TckResponse response = tck.exchange(d, TckRequest.get("/headers"));
        tck.evidence("a reset, upstream not reached", response.toString());
        assertTrue(
                response.isReset() || response.status() >= 500,
                "expected a reset or a 5xx: " + response);
        assertTrue(response.upstream().isEmpty(), "the upstream must not see the request");
    }

    @ConformanceCase(
            id = "GetStatusWithoutCallIsOk",
            description =
                    "proxy_get_status before any call returns OK with a status code written as 4 bytes",
            features = Feature.HTTP_CALL,
            hostCalls = "proxy_get_status",
            spec = "ABI.md §2.5")
    void getStatus(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call("proxy_get_status", outCodeData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(0, r.step("on_request_headers", 0).status());
        assertEquals(0, r.step("on_request_headers", 0).out(0).code());
    }
}
