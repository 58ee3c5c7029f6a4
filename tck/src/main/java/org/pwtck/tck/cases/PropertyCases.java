package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pwtck.tck.probe.ProbeArg.outData;
import static org.pwtck.tck.probe.ProbeArg.path;
import static org.pwtck.tck.probe.ProbeArg.str;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/** Properties (ABI.md §5). */
public class PropertyCases {
    private static final String SPEC = "spec v0.2.1 \"Well-known properties\"; ABI.md §5.2";

    @ConformanceCase(
            id = "RequestPathAndMethodProperties",
            description =
                    "request.path, request.url_path and request.method read as strings in on_request_headers",
            features = Feature.PROPERTIES,
            hostCalls = "proxy_get_property",
            spec = SPEC)
    void requestProperties(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_property",
                                                                path("request", "path"),
                                                                outData())
                                                        .call(
                                                                "proxy_get_property",
                                                                path("request", "url_path"),
                                                                outData())
                                                        .call(
                                                                "proxy_get_property",
                                                                path("request", "method"),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/a/b?c=d"));
        assertEquals("/a/b?c=d", r.step("on_request_headers", 0).out(0).text());
        assertEquals("/a/b", r.step("on_request_headers", 1).out(0).text());
        assertEquals("GET", r.step("on_request_headers", 2).out(0).text());
    }

    @ConformanceCase(
            id = "SourcePortIsEightByteInteger",
            description = "source.port reads as an 8-byte little-endian integer (Envoy's encoding)",
            features = Feature.PROPERTIES,
            hostCalls = "proxy_get_property",
            spec = SPEC + "; §5.3 (ngx: text)")
    void sourcePort(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_property",
                                                                path("source", "port"),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        var out = r.step("on_request_headers", 0).out(0);
        assertEquals(0, r.step("on_request_headers", 0).status());
        assertEquals(8, out.data().length, "8 bytes");
        long port = ByteBuffer.wrap(out.data()).order(ByteOrder.LITTLE_ENDIAN).getLong();
        tck.evidence("a port 1..65535", Long.toString(port));
        org.junit.jupiter.api.Assertions.assertTrue(port > 0 && port < 65536, "port " + port);
    }

    @ConformanceCase(
            id = "UnknownPropertyIsNotFound",
            description = "proxy_get_property for a path no host defines returns NOT_FOUND",
            features = Feature.PROPERTIES,
            hostCalls = "proxy_get_property",
            spec = SPEC)
    void unknownProperty(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_property",
                                                                path("pwtck", "no", "such"),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(1, r.step("on_request_headers", 0).status());
    }

    @ConformanceCase(
            id = "SetPropertyReadsBack",
            description =
                    "a value set with proxy_set_property on a custom path reads back with proxy_get_property",
            features = Feature.PROPERTIES,
            hostCalls = {"proxy_set_property", "proxy_get_property"},
            spec = "ABI.md §2.9")
    void setProperty(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_set_property",
                                                                path("pwtck_custom"),
                                                                str("value-1"))
                                                        .call(
                                                                "proxy_get_property",
                                                                path("pwtck_custom"),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(0, r.step("on_request_headers", 0).status());
        assertEquals("value-1", r.step("on_request_headers", 1).out(0).text());
    }

    @ConformanceCase(
            id = "PluginNameProperty",
            description = "plugin_name reads as the configured plugin name in a stream callback",
            features = Feature.PROPERTIES,
            hostCalls = "proxy_get_property",
            spec = "ABI.md §5.1 (Wasm-only tokens)")
    void pluginName(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_property",
                                                                path("plugin_name"),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(0, r.step("on_request_headers", 0).status());
        assertEquals("probe", r.step("on_request_headers", 0).out(0).text());
    }
}
