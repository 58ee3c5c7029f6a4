package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outData;
import static org.pwtck.tck.probe.ProbeArg.str;

import java.time.Duration;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.http.EchoBackend;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/**
 * HTTP trailers (ABI.md §2.4, map types 1 and 3): on_request_trailers and on_response_trailers, and
 * the header-map calls on the trailer maps. Request trailers go over the network as HTTP/1.1
 * chunked trailers; response trailers come from the echo, which only the in-process host can
 * deliver (the JDK's HTTP server behind the network echo cannot send trailers).
 */
public class TrailerCases {
    private static final String SPEC = "spec v0.2.1 \"HTTP fields\" (trailers); ABI.md §2.4";
    private static final int REQUEST_TRAILERS = 1;
    private static final int RESPONSE_TRAILERS = 3;

    @ConformanceCase(
            id = "RequestTrailersReadable",
            description =
                    "on_request_trailers(context, 1) runs for a request with one trailer, and proxy_get_header_map_value / proxy_get_header_map_pairs on REQUEST_TRAILERS return it",
            features = Feature.HTTP_TRAILERS,
            hostCalls = {
                "proxy_on_request_trailers",
                "proxy_get_header_map_value",
                "proxy_get_header_map_pairs"
            },
            spec = SPEC)
    void requestTrailersReadable(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_trailers",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_header_map_value",
                                                                num(REQUEST_TRAILERS),
                                                                str("x-pwtck-t"),
                                                                outData())
                                                        .call(
                                                                "proxy_get_header_map_pairs",
                                                                num(REQUEST_TRAILERS),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.post("/anything", "abc").withTrailer("x-pwtck-t", "1"));
        var rec = r.record("on_request_trailers");
        tck.evidence(
                "on_request_trailers(ctx, 1); x-pwtck-t = 1; pairs [x-pwtck-t: 1]", r.toString());
        assertEquals(1L, rec.args().get(1), "num_trailers");
        assertEquals(0, rec.step(0).status());
        assertEquals("1", rec.step(0).out(0).text());
        assertEquals(
                java.util.List.of(java.util.List.of("x-pwtck-t", "1")),
                PairsDecoder.decode(rec.step(1).out(0).data()),
                "trailer pairs");
    }

    @ConformanceCase(
            id = "RequestTrailersReplaceAddRemove",
            description =
                    "in on_request_trailers, proxy_replace_header_map_value, proxy_add_header_map_value and proxy_remove_header_map_value on REQUEST_TRAILERS change the map as a later read shows",
            features = Feature.HTTP_TRAILERS,
            hostCalls = {
                "proxy_on_request_trailers",
                "proxy_replace_header_map_value",
                "proxy_add_header_map_value",
                "proxy_remove_header_map_value",
                "proxy_get_header_map_value"
            },
            spec = SPEC)
    void requestTrailersWritable(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_trailers",
                                        cb ->
                                                cb.call(
                                                                "proxy_replace_header_map_value",
                                                                num(REQUEST_TRAILERS),
                                                                str("x-pwtck-t"),
                                                                str("2"))
                                                        .call(
                                                                "proxy_add_header_map_value",
                                                                num(REQUEST_TRAILERS),
                                                                str("x-pwtck-u"),
                                                                str("3"))
                                                        .call(
                                                                "proxy_get_header_map_value",
                                                                num(REQUEST_TRAILERS),
                                                                str("x-pwtck-t"),
                                                                outData())
                                                        .call(
                                                                "proxy_get_header_map_value",
                                                                num(REQUEST_TRAILERS),
                                                                str("x-pwtck-u"),
                                                                outData())
                                                        .call(
                                                                "proxy_remove_header_map_value",
                                                                num(REQUEST_TRAILERS),
                                                                str("x-pwtck-t"))
                                                        .call(
                                                                "proxy_get_header_map_value",
                                                                num(REQUEST_TRAILERS),
                                                                str("x-pwtck-t"),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.post("/anything", "abc").withTrailer("x-pwtck-t", "1"));
        var rec = r.record("on_request_trailers");
        tck.evidence(
                "replace 0, add 0, x-pwtck-t = 2, x-pwtck-u = 3, remove 0, then NOT_FOUND",
                r.toString());
        assertEquals(0, rec.step(0).status(), "replace");
        assertEquals(0, rec.step(1).status(), "add");
        assertEquals("2", rec.step(2).out(0).text(), "replaced value");
        assertEquals("3", rec.step(3).out(0).text(), "added value");
        assertEquals(0, rec.step(4).status(), "remove");
        assertEquals(1, rec.step(5).status(), "get after remove is NOT_FOUND");
    }

    @ConformanceCase(
            id = "ResponseTrailersReadableAndWritable",
            description =
                    "on_response_trailers(context, 1) runs for a response with one trailer; RESPONSE_TRAILERS can be read, replaced and added to",
            features = {Feature.HTTP_TRAILERS, Feature.SHARED_DATA},
            hostCalls = {
                "proxy_on_response_trailers",
                "proxy_get_header_map_value",
                "proxy_replace_header_map_value",
                "proxy_add_header_map_value"
            },
            spec = SPEC)
    void responseTrailers(TckCase tck) {
        var d =
                tck.deployProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_response_trailers",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_header_map_value",
                                                                num(RESPONSE_TRAILERS),
                                                                str("x-pwtck-r"),
                                                                outData())
                                                        .call(
                                                                "proxy_replace_header_map_value",
                                                                num(RESPONSE_TRAILERS),
                                                                str("x-pwtck-r"),
                                                                str("2"))
                                                        .call(
                                                                "proxy_add_header_map_value",
                                                                num(RESPONSE_TRAILERS),
                                                                str("x-pwtck-s"),
                                                                str("3"))
                                                        .call(
                                                                "proxy_get_header_map_value",
                                                                num(RESPONSE_TRAILERS),
                                                                str("x-pwtck-r"),
                                                                outData())
                                                        .call(
                                                                "proxy_get_header_map_value",
                                                                num(RESPONSE_TRAILERS),
                                                                str("x-pwtck-s"),
                                                                outData())
                                                        .report("shared_data")));
        if (d.listener().isPresent()) {
            throw new org.opentest4j.TestAbortedException(
                    "response trailers need an upstream that sends them, and the TCK's network echo"
                            + " (the JDK's HTTP server) cannot: this case runs on in-process hosts only");
        }
        tck.exchange(
                d,
                TckRequest.get("/anything")
                        .withHeader(EchoBackend.TRAILER_REQUEST_HEADER, "x-pwtck-r=1"));
        ProbeReport r = tck.awaitRecords(d, Duration.ofSeconds(5), "on_response_trailers");
        var rec = r.record("on_response_trailers");
        tck.evidence("on_response_trailers(ctx, 1); 1; replace 0; add 0; 2; 3", r.toString());
        assertEquals(1L, rec.args().get(1), "num_trailers");
        assertEquals("1", rec.step(0).out(0).text(), "the upstream's trailer");
        assertEquals(0, rec.step(1).status(), "replace");
        assertEquals(0, rec.step(2).status(), "add");
        assertEquals("2", rec.step(3).out(0).text(), "replaced value");
        assertEquals("3", rec.step(4).out(0).text(), "added value");
    }
}
