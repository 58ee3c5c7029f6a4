package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.pairs;
import static org.pwtck.tck.probe.ProbeArg.str;

import org.pwtck.tck.api.Feature;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeScenario;

/** proxy_send_local_response (ABI.md §2.5, §4.2 item 1). */
public class LocalResponseCases {

    @ConformanceCase(
            id = "LocalResponseFromRequestHeaders",
            description =
                    "proxy_send_local_response in on_request_headers answers the client with its status, body and headers; the upstream is not reached",
            features = Feature.LOCAL_RESPONSE,
            hostCalls = "proxy_send_local_response",
            spec = "spec v0.2.1 \"HTTP\"; ABI.md §2.5")
    void fromRequestHeaders(TckCase tck) {
        var d =
                tck.deployProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                        "proxy_send_local_response",
                                                        num(418),
                                                        str("pwtck_teapot"),
                                                        str("short and stout"),
                                                        pairs("x-pwtck-local", "yes"),
                                                        num(-1))));
        TckResponse response = tck.exchange(d, TckRequest.get("/teapot"));
        tck.evidence(
                "418, body 'short and stout', x-pwtck-local: yes, upstream not reached",
                response.toString());
        assertEquals(418, response.status());
        assertEquals("short and stout", response.bodyString());
        assertEquals("yes", response.header("x-pwtck-local").orElse(null));
        assertTrue(response.upstream().isEmpty(), "the upstream must not see the request");
    }

    @ConformanceCase(
            id = "LocalResponseFromResponseHeaders",
            description =
                    "proxy_send_local_response in on_response_headers replaces the upstream's response",
            features = Feature.LOCAL_RESPONSE,
            hostCalls = "proxy_send_local_response",
            spec = "ABI.md §4.2 item 1 (Envoy sends it directly; ngx supports it)")
    void fromResponseHeaders(TckCase tck) {
        var d =
                tck.deployProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_response_headers",
                                        cb ->
                                                cb.call(
                                                        "proxy_send_local_response",
                                                        num(503),
                                                        str("pwtck"),
                                                        str("replaced"),
                                                        pairs(),
                                                        num(-1))));
        TckResponse response = tck.exchange(d, TckRequest.get("/headers"));
        tck.evidence("503 'replaced', upstream reached", response.toString());
        assertEquals(503, response.status());
        assertEquals("replaced", response.bodyString());
        assertTrue(response.upstream().isPresent(), "the request went upstream first");
    }
}
