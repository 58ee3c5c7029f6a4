package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outData;
import static org.pwtck.tck.probe.ProbeArg.outSizeFlags;
import static org.pwtck.tck.probe.ProbeArg.str;

import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.Profile;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/** Buffers and bodies (ABI.md §2.3). */
public class BodyCases {
    private static final String SPEC = "spec v0.2.1 \"Buffers\"; ABI.md §2.3";

    @ConformanceCase(
            id = "ReadRequestBody",
            description =
                    "in on_request_body at end of stream, proxy_get_buffer_bytes(HTTP_REQUEST_BODY) returns the body and get_buffer_status its size",
            features = Feature.HTTP_BODY,
            hostCalls = {"proxy_get_buffer_bytes", "proxy_get_buffer_status"},
            spec = SPEC)
    void readBody(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_body",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_buffer_bytes",
                                                                num(0),
                                                                num(0),
                                                                num(1000),
                                                                outData())
                                                        .call(
                                                                "proxy_get_buffer_status",
                                                                num(0),
                                                                outSizeFlags())
                                                        .reportLocalResponse(200)),
                        TckRequest.post("/body", "hello body"));
        assertEquals(0, r.step("on_request_body", 0).status());
        assertEquals("hello body", r.step("on_request_body", 0).out(0).text());
        assertEquals(10, r.step("on_request_body", 1).out(0).value());
    }

    @ConformanceCase(
            id = "ReplaceRequestBodyReachesUpstream",
            description =
                    "proxy_set_buffer_bytes(HTTP_REQUEST_BODY, 0, size, data) replaces the body the upstream receives",
            features = Feature.HTTP_BODY,
            hostCalls = "proxy_set_buffer_bytes",
            spec = SPEC)
    void replaceBody(TckCase tck) {
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
                                                        num(0),
                                                        num(1000),
                                                        str("REPLACED"))));
        TckResponse response = tck.exchange(d, TckRequest.post("/anything", "original"));
        var upstream =
                response.upstream()
                        .orElseThrow(() -> new AssertionError("upstream not reached: " + response));
        tck.evidence("REPLACED", upstream.bodyString());
        assertEquals("REPLACED", upstream.bodyString());
    }

    @ConformanceCase(
            id = "BufferTypeOutOfRangeIsBadArgument",
            description =
                    "proxy_get_buffer_bytes with buffer type 9 (one past the end) and 100 returns BAD_ARGUMENT",
            features = Feature.BUFFERS,
            hostCalls = "proxy_get_buffer_bytes",
            spec = "ABI.md §1.3 (cpp-host: type > 8 is BadArgument)",
            profile = Profile.ROBUSTNESS)
    void badBufferType(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_buffer_bytes",
                                                                num(9),
                                                                num(0),
                                                                num(10),
                                                                outData())
                                                        .call(
                                                                "proxy_get_buffer_bytes",
                                                                num(100),
                                                                num(0),
                                                                num(10),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(2, r.step("on_request_headers", 0).status());
        assertEquals(2, r.step("on_request_headers", 1).status());
    }

    @ConformanceCase(
            id = "PluginConfigurationReadableInOnConfigure",
            description =
                    "proxy_get_buffer_bytes(PLUGIN_CONFIGURATION) in on_configure returns the plugin configuration",
            features = Feature.CONFIGURATION,
            hostCalls = "proxy_get_buffer_bytes",
            spec = SPEC,
            profile = Profile.BACKGROUND)
    void pluginConfiguration(TckCase tck) {
        ProbeScenario s =
                ProbeScenario.create()
                        .on(
                                "on_configure",
                                cb ->
                                        cb.call(
                                                        "proxy_get_buffer_bytes",
                                                        num(7),
                                                        num(0),
                                                        num(4),
                                                        outData())
                                                .report("shared_data"));
        var records =
                tck.awaitRootRecord(
                        tck.deployProbe(s), "on_configure", java.time.Duration.ofSeconds(5));
        var step = records.step("on_configure", 0);
        tck.evidence("status 0 and the first 4 bytes of the configuration: {\"ca", step.toString());
        assertEquals(0, step.status());
        assertEquals("{\"ca", step.out(0).text());
    }
}
