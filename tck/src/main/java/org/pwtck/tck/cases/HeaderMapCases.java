package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outData;
import static org.pwtck.tck.probe.ProbeArg.outU32;
import static org.pwtck.tck.probe.ProbeArg.pairs;
import static org.pwtck.tck.probe.ProbeArg.str;

import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.Profile;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/** Header and trailer maps (spec v0.2.1 "HTTP fields"; ABI.md §2.4). */
public class HeaderMapCases {
    private static final String SPEC = "spec v0.2.1 \"HTTP fields\"; ABI.md §2.4";

    @ConformanceCase(
            id = "GetRequestHeaderValue",
            description =
                    "proxy_get_header_map_value returns a request header's value (and :path) in on_request_headers",
            features = Feature.HTTP_HEADERS,
            hostCalls = "proxy_get_header_map_value",
            spec = SPEC)
    void getValue(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_header_map_value",
                                                                num(0),
                                                                str("x-pwtck-a"),
                                                                outData())
                                                        .call(
                                                                "proxy_get_header_map_value",
                                                                num(0),
                                                                str(":path"),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/some/path?q=1").withHeader("X-Pwtck-A", "alpha"));
        assertEquals(0, r.step("on_request_headers", 0).status());
        assertEquals("alpha", r.step("on_request_headers", 0).out(0).text());
        assertEquals(0, r.step("on_request_headers", 1).status());
        assertEquals("/some/path?q=1", r.step("on_request_headers", 1).out(0).text());
    }

    @ConformanceCase(
            id = "MissingHeaderIsNotFound",
            description =
                    "proxy_get_header_map_value for an absent key returns NOT_FOUND (0.2.x; 0.1.0 returned OK and empty)",
            features = Feature.HTTP_HEADERS,
            hostCalls = "proxy_get_header_map_value",
            spec = "spec CHANGELOG 0.2.0; ABI.md §2.4")
    void missingHeader(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_header_map_value",
                                                                num(0),
                                                                str("x-pwtck-absent"),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(1, r.step("on_request_headers", 0).status());
    }

    @ConformanceCase(
            id = "AddReplaceRemoveReachUpstream",
            description =
                    "add, replace and remove of request headers in on_request_headers are what the upstream receives",
            features = Feature.HTTP_HEADERS,
            hostCalls = {
                "proxy_add_header_map_value",
                "proxy_replace_header_map_value",
                "proxy_remove_header_map_value"
            },
            spec = SPEC)
    void mutationsReachUpstream(TckCase tck) {
        var d =
                tck.deployProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_add_header_map_value",
                                                                num(0),
                                                                str("x-added"),
                                                                str("1"))
                                                        .call(
                                                                "proxy_replace_header_map_value",
                                                                num(0),
                                                                str("x-replaced"),
                                                                str("new"))
                                                        .call(
                                                                "proxy_remove_header_map_value",
                                                                num(0),
                                                                str("x-removed"))
                                                        .call(
                                                                "proxy_remove_header_map_value",
                                                                num(0),
                                                                str("x-never-there"))));
        TckResponse response =
                tck.exchange(
                        d,
                        TckRequest.get("/headers")
                                .withHeader("x-replaced", "old")
                                .withHeader("x-replaced", "older")
                                .withHeader("x-removed", "gone"));
        var upstream =
                response.upstream()
                        .orElseThrow(() -> new AssertionError("upstream not reached: " + response));
        tck.evidence(
                "x-added: 1, x-replaced: new (once), no x-removed", upstream.headers().toString());
        assertEquals("1", upstream.header("x-added").orElse(null));
        assertEquals("new", upstream.header("x-replaced").orElse(null));
        assertEquals(
                1,
                upstream.headers().stream().filter(h -> h.name().equals("x-replaced")).count(),
                "replace leaves exactly one value");
        assertFalse(upstream.header("x-removed").isPresent());
    }

    @ConformanceCase(
            id = "SetHeaderMapPairsReplacesWholeMap",
            description =
                    "proxy_set_header_map_pairs replaces the map: headers not in the new pairs are gone (not merged)",
            features = Feature.HTTP_HEADERS,
            hostCalls = {"proxy_set_header_map_pairs", "proxy_get_header_map_value"},
            spec = SPEC)
    void setPairsReplaces(TckCase tck) {
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
                                                                        "/replaced",
                                                                        ":authority",
                                                                        "pwtck.test",
                                                                        ":scheme",
                                                                        "http",
                                                                        "x-only",
                                                                        "yes"))
                                                        .call(
                                                                "proxy_get_header_map_value",
                                                                num(0),
                                                                str("x-before"),
                                                                outData())
                                                        .call(
                                                                "proxy_get_header_map_value",
                                                                num(0),
                                                                str("x-only"),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/").withHeader("x-before", "1"));
        assertEquals(0, r.step("on_request_headers", 0).status());
        assertEquals(
                1, r.step("on_request_headers", 1).status(), "x-before must be gone (NOT_FOUND)");
        assertEquals("yes", r.step("on_request_headers", 2).out(0).text());
    }

    @ConformanceCase(
            id = "MapTypeOutOfRangeIsBadArgument",
            description =
                    "map type 8 (one past the end) and 100 return BAD_ARGUMENT for get/add/size",
            features = Feature.HTTP_HEADERS,
            hostCalls = {
                "proxy_get_header_map_value",
                "proxy_add_header_map_value",
                "proxy_get_header_map_size"
            },
            spec = "ABI.md §1.3 (cpp-host: type > 7 is BadArgument)",
            profile = Profile.ROBUSTNESS)
    void badMapType(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_header_map_value",
                                                                num(8),
                                                                str(":path"),
                                                                outData())
                                                        .call(
                                                                "proxy_get_header_map_value",
                                                                num(100),
                                                                str(":path"),
                                                                outData())
                                                        .call(
                                                                "proxy_add_header_map_value",
                                                                num(8),
                                                                str("a"),
                                                                str("b"))
                                                        .call(
                                                                "proxy_get_header_map_size",
                                                                num(8),
                                                                outU32())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        for (int i = 0; i < 4; i++) {
            assertEquals(2, r.step("on_request_headers", i).status(), "step " + i);
        }
    }

    @ConformanceCase(
            id = "HeaderMapSizeIsSerializedSize",
            description =
                    "proxy_get_header_map_size returns the size in bytes of the serialized pairs (UTF-8 bytes, not characters)",
            features = Feature.HTTP_HEADERS,
            hostCalls = {"proxy_get_header_map_size", "proxy_get_header_map_pairs"},
            spec = "ABI.md §2.4, §8 erratum 10",
            reading =
                    "size = length of the serialized pairs of proxy_get_header_map_pairs (spec text); Envoy returns the header bytes")
    void headerMapSize(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_header_map_size",
                                                                num(0),
                                                                outU32())
                                                        .call(
                                                                "proxy_get_header_map_pairs",
                                                                num(0),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/").withHeader("x-utf8", "h\u00e9llo"));
        assertEquals(0, r.step("on_request_headers", 0).status());
        long size = r.step("on_request_headers", 0).out(0).value();
        long pairsSize = r.step("on_request_headers", 1).out(0).size();
        tck.evidence("size == serialized pairs length " + pairsSize, "size " + size);
        assertEquals(pairsSize, size);
    }

    @ConformanceCase(
            id = "ResponseHeaderAddedReachesClient",
            description =
                    "a header added in on_response_headers reaches the client; one removed does not",
            features = Feature.HTTP_HEADERS,
            hostCalls = {"proxy_add_header_map_value", "proxy_remove_header_map_value"},
            spec = SPEC)
    void responseHeaders(TckCase tck) {
        var d =
                tck.deployProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_response_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_add_header_map_value",
                                                                num(2),
                                                                str("x-pwtck-resp"),
                                                                str("added"))
                                                        .call(
                                                                "proxy_remove_header_map_value",
                                                                num(2),
                                                                str("x-pwtck-echo"))));
        TckResponse response = tck.exchange(d, TckRequest.get("/headers"));
        tck.evidence("x-pwtck-resp: added, no x-pwtck-echo", response.headers().toString());
        assertEquals(200, response.status());
        assertEquals("added", response.header("x-pwtck-resp").orElse(null));
        assertFalse(response.header("x-pwtck-echo").isPresent());
    }

    @ConformanceCase(
            id = "GetHeaderMapPairsRoundTrip",
            description =
                    "proxy_get_header_map_pairs serializes every request header, pseudo-headers included, in the documented format",
            features = Feature.HTTP_HEADERS,
            hostCalls = "proxy_get_header_map_pairs",
            spec = "spec v0.2.1 \"Serialization\"; ABI.md §1.4")
    void getPairs(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_header_map_pairs",
                                                                num(0),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/p").withHeader("x-one", "1"));
        byte[] data = r.step("on_request_headers", 0).out(0).data();
        var decoded = PairsDecoder.decode(data);
        tck.evidence("pairs with :method GET, :path /p, x-one 1", decoded.toString());
        assertTrue(decoded.contains(java.util.List.of(":method", "GET")), decoded.toString());
        assertTrue(decoded.contains(java.util.List.of(":path", "/p")), decoded.toString());
        assertTrue(decoded.contains(java.util.List.of("x-one", "1")), decoded.toString());
    }
}
