package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outData;
import static org.pwtck.tck.probe.ProbeArg.path;
import static org.pwtck.tck.probe.ProbeArg.str;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pwtck.tck.api.Deployment;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/**
 * The property paths of ABI.md §5.2 that make sense for an HTTP proxy, with Envoy's encodings:
 * strings raw, integers 8 bytes little-endian, timestamps int64 nanoseconds, maps as serialized
 * pairs (§1.4). Stream attributes are absent in root contexts (§5.1).
 */
public class PropertyPathCases {
    private static final String SPEC = "spec v0.2.1 \"Well-known properties\"; ABI.md §5.1, §5.2";
    private static final String ROOT_ID = "pwtck_root";
    private static final String VM_ID = "pwtck_vm";
    private static final String PATH = "/props/p?x=1&y=2";
    private static final String BODY = "12345";

    private static TckRequest request() {
        return TckRequest.post(PATH, BODY)
                .withHeader("referer", "https://pwtck.example/from")
                .withHeader("user-agent", "pwtck-agent/1.0")
                .withHeader("x-request-id", "pwtck-req-1")
                .withHeader("x-pwtck-prop", "v1");
    }

    /** Deploys the scenario, sends the request, and reads the records of {@code callbacks}. */
    private record Run(ProbeReport report, TckResponse response) {}

    private static ProbeReport run(TckCase tck, ProbeScenario s, String... callbacks) {
        return exchange(tck, s, callbacks).report();
    }

    private static Run exchange(TckCase tck, ProbeScenario s, String... callbacks) {
        Deployment d =
                tck.deployProbe(
                        s,
                        spec ->
                                new FilterSpec(
                                        spec.name(),
                                        spec.language(),
                                        spec.wasm(),
                                        spec.pluginConfiguration(),
                                        spec.vmConfiguration(),
                                        ROOT_ID,
                                        VM_ID));
        TckResponse response = tck.exchange(d, request());
        return new Run(tck.awaitRecords(d, Duration.ofSeconds(5), callbacks), response);
    }

    /** The record of a stream callback that belongs to the case's request (not a dump's). */
    private static ProbeReport.Record streamRecord(ProbeReport r, String callback) {
        long stream = r.record("on_request_headers").contextId();
        return r.records(callback).stream()
                .filter(rec -> rec.contextId() == stream)
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no " + callback + " of stream " + stream + ": " + r));
    }

    private static long le64(String what, ProbeReport.Step step) {
        assertEquals(0, step.status(), what + ": " + step);
        byte[] data = step.out(0).data();
        assertEquals(8, data.length, what + " must be 8 bytes: " + step);
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static String text(String what, ProbeReport.Step step) {
        assertEquals(0, step.status(), what + ": " + step);
        return step.out(0).text();
    }

    private static ProbeScenario.CallbackSteps props(
            ProbeScenario.CallbackSteps cb, List<List<String>> paths) {
        for (List<String> p : paths) {
            cb.call("proxy_get_property", path(p.toArray(String[]::new)), outData());
        }
        return cb;
    }

    @ConformanceCase(
            id = "PropertyRequestStrings",
            description =
                    "in on_request_headers request.path, url_path, query, method, scheme, host (= :authority), referer, useragent, id (= x-request-id) and protocol read as raw strings",
            features = Feature.PROPERTIES,
            hostCalls = {"proxy_get_property", "proxy_get_header_map_value"},
            spec = SPEC)
    void requestStrings(TckCase tck) {
        List<String> fields =
                List.of(
                        "path",
                        "url_path",
                        "query",
                        "method",
                        "scheme",
                        "host",
                        "referer",
                        "useragent",
                        "id",
                        "protocol");
        ProbeScenario s =
                ProbeScenario.create()
                        .on(
                                "on_request_headers",
                                cb -> {
                                    props(
                                            cb,
                                            fields.stream()
                                                    .map(f -> List.of("request", f))
                                                    .toList());
                                    cb.call(
                                                    "proxy_get_header_map_value",
                                                    num(0),
                                                    str(":authority"),
                                                    outData())
                                            .call(
                                                    "proxy_get_header_map_value",
                                                    num(0),
                                                    str("x-request-id"),
                                                    outData())
                                            .report("shared_data");
                                });
        var rec = streamRecord(run(tck, s, "on_request_headers"), "on_request_headers");
        Map<String, String> got = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            var step = rec.step(i);
            got.put(
                    fields.get(i),
                    step.status() == 0 ? step.out(0).text() : "status " + step.status());
        }
        String authority = text(":authority header", rec.step(fields.size()));
        String requestId = text("x-request-id header", rec.step(fields.size() + 1));
        Map<String, String> want = new LinkedHashMap<>();
        want.put("path", PATH);
        want.put("url_path", "/props/p");
        want.put("query", "x=1&y=2");
        want.put("method", "POST");
        want.put("scheme", "http");
        want.put("host", authority);
        want.put("referer", "https://pwtck.example/from");
        want.put("useragent", "pwtck-agent/1.0");
        want.put("id", requestId);
        tck.evidence(want + ", protocol one of HTTP/1.0, HTTP/1.1, HTTP/2, HTTP/3", got.toString());
        for (var e : want.entrySet()) {
            assertEquals(e.getValue(), got.get(e.getKey()), "request." + e.getKey());
        }
        assertTrue(
                Set.of("HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/3").contains(got.get("protocol")),
                "request.protocol " + got.get("protocol"));
    }

    @ConformanceCase(
            id = "PropertyRequestHeadersAndTime",
            description =
                    "request.headers reads as serialized pairs holding every request header, request.headers.<name> as the value string, and request.time as 8-byte int64 nanoseconds near now",
            features = Feature.PROPERTIES,
            hostCalls = "proxy_get_property",
            spec = SPEC + "; §1.4")
    void requestHeadersAndTime(TckCase tck) {
        long before = System.currentTimeMillis() * 1_000_000L;
        ProbeScenario s =
                ProbeScenario.create()
                        .on(
                                "on_request_headers",
                                cb ->
                                        props(
                                                        cb,
                                                        List.of(
                                                                List.of("request", "headers"),
                                                                List.of(
                                                                        "request",
                                                                        "headers",
                                                                        "x-pwtck-prop"),
                                                                List.of("request", "time")))
                                                .report("shared_data"));
        var rec = streamRecord(run(tck, s, "on_request_headers"), "on_request_headers");
        assertEquals(0, rec.step(0).status(), "request.headers: " + rec.step(0));
        var pairs = PairsDecoder.decode(rec.step(0).out(0).data());
        String single = text("request.headers.x-pwtck-prop", rec.step(1));
        long time = le64("request.time", rec.step(2));
        tck.evidence(
                "pairs with [x-pwtck-prop, v1]; 'v1'; time within 60 s of " + before,
                pairs + "; '" + single + "'; " + time);
        assertTrue(pairs.contains(List.of("x-pwtck-prop", "v1")), "request.headers " + pairs);
        assertEquals("v1", single);
        assertTrue(
                Math.abs(time - before) < 60_000_000_000L,
                "request.time is not ns since the epoch: " + time);
    }

    @ConformanceCase(
            id = "PropertyResponseCodeAndHeaders",
            description =
                    "in on_response_headers response.code reads as the 8-byte little-endian integer 200 and response.headers as serialized pairs holding the upstream's headers",
            features = Feature.PROPERTIES,
            hostCalls = "proxy_get_property",
            spec = SPEC + "; §5.3 (java-host: 4 bytes, ngx: text)")
    void responseCodeAndHeaders(TckCase tck) {
        ProbeScenario s =
                ProbeScenario.create()
                        .on("on_request_headers", cb -> cb.report("shared_data"))
                        .on(
                                "on_response_headers",
                                cb ->
                                        props(
                                                        cb,
                                                        List.of(
                                                                List.of("response", "code"),
                                                                List.of("response", "headers")))
                                                .report("shared_data"));
        var rec =
                streamRecord(
                        run(tck, s, "on_request_headers", "on_response_headers"),
                        "on_response_headers");
        long code = le64("response.code", rec.step(0));
        assertEquals(0, rec.step(1).status(), "response.headers: " + rec.step(1));
        var pairs = PairsDecoder.decode(rec.step(1).out(0).data());
        tck.evidence("code 200 (8 bytes); pairs with [x-pwtck-echo, 1]", code + "; " + pairs);
        assertEquals(200, code);
        assertTrue(pairs.contains(List.of("x-pwtck-echo", "1")), "response.headers " + pairs);
    }

    @ConformanceCase(
            id = "PropertySizesInOnLog",
            description =
                    "in on_log request.size is the 8-byte integer 5 (the body sent) and response.size the 8-byte length of the response body the client got",
            features = Feature.PROPERTIES,
            hostCalls = {"proxy_get_property", "proxy_on_log"},
            spec = SPEC)
    void sizes(TckCase tck) {
        ProbeScenario s =
                ProbeScenario.create()
                        .on("on_request_headers", cb -> cb.report("shared_data"))
                        .on(
                                "on_log",
                                cb ->
                                        props(
                                                        cb,
                                                        List.of(
                                                                List.of("request", "size"),
                                                                List.of("response", "size")))
                                                .report("shared_data"));
        Run run = exchange(tck, s, "on_request_headers", "on_log");
        ProbeReport r = run.report();
        int bodyLength = run.response().body().length;
        var rec = streamRecord(r, "on_log");
        long requestSize = le64("request.size", rec.step(0));
        long responseSize = le64("response.size", rec.step(1));
        tck.evidence(
                "request.size 5, response.size " + bodyLength,
                "request.size " + requestSize + ", response.size " + responseSize);
        assertEquals(BODY.length(), requestSize, "request.size");
        assertEquals(bodyLength, responseSize, "response.size");
    }

    @ConformanceCase(
            id = "PropertyConnectionAttributes",
            description =
                    "source.address and destination.address read as 'ip:port' strings whose ports equal source.port and destination.port (8-byte integers); connection.id and its alias connection_id are equal 8-byte integers",
            features = Feature.PROPERTIES,
            hostCalls = "proxy_get_property",
            spec = SPEC)
    void connection(TckCase tck) {
        ProbeScenario s =
                ProbeScenario.create()
                        .on(
                                "on_request_headers",
                                cb ->
                                        props(
                                                        cb,
                                                        List.of(
                                                                List.of("source", "address"),
                                                                List.of("source", "port"),
                                                                List.of("destination", "address"),
                                                                List.of("destination", "port"),
                                                                List.of("connection", "id"),
                                                                List.of("connection_id")))
                                                .report("shared_data"));
        var rec = streamRecord(run(tck, s, "on_request_headers"), "on_request_headers");
        String source = text("source.address", rec.step(0));
        long sourcePort = le64("source.port", rec.step(1));
        String destination = text("destination.address", rec.step(2));
        long destinationPort = le64("destination.port", rec.step(3));
        long id = le64("connection.id", rec.step(4));
        long alias = le64("connection_id", rec.step(5));
        tck.evidence(
                "ip:port strings matching the 8-byte ports; connection.id == connection_id",
                source
                        + " "
                        + sourcePort
                        + " "
                        + destination
                        + " "
                        + destinationPort
                        + " "
                        + id
                        + " "
                        + alias);
        assertTrue(
                source.endsWith(":" + sourcePort) && source.length() > (":" + sourcePort).length(),
                "source.address " + source + " vs port " + sourcePort);
        assertTrue(
                destination.endsWith(":" + destinationPort)
                        && destination.length() > (":" + destinationPort).length(),
                "destination.address " + destination + " vs port " + destinationPort);
        assertTrue(
                sourcePort > 0
                        && sourcePort < 65536
                        && destinationPort > 0
                        && destinationPort < 65536,
                "ports");
        assertEquals(id, alias, "connection_id is connection.id");
    }

    @ConformanceCase(
            id = "PropertyPluginIdsInRootContext",
            description =
                    "in on_configure plugin_name, plugin_root_id and plugin_vm_id read as the configured name, root id and vm id",
            features = {Feature.PROPERTIES, Feature.CONFIGURATION},
            hostCalls = {"proxy_get_property", "proxy_on_configure"},
            spec = "ABI.md §5.1 (Wasm-only tokens), §5.2 (available in root context)")
    void pluginIds(TckCase tck) {
        ProbeScenario s =
                ProbeScenario.create()
                        .on(
                                "on_configure",
                                cb ->
                                        props(
                                                        cb,
                                                        List.of(
                                                                List.of("plugin_name"),
                                                                List.of("plugin_root_id"),
                                                                List.of("plugin_vm_id")))
                                                .report("shared_data"));
        var rec = run(tck, s, "on_configure").record("on_configure");
        String name = text("plugin_name", rec.step(0));
        String root = text("plugin_root_id", rec.step(1));
        String vm = text("plugin_vm_id", rec.step(2));
        tck.evidence("probe, " + ROOT_ID + ", " + VM_ID, name + ", " + root + ", " + vm);
        assertEquals("probe", name);
        assertEquals(ROOT_ID, root);
        assertEquals(VM_ID, vm);
    }

    @ConformanceCase(
            id = "PropertyStreamAttributesAbsentInRoot",
            description =
                    "in on_configure the stream attributes request.path, request.headers, response.code, source.address, destination.port and connection.id are NOT_FOUND",
            features = {Feature.PROPERTIES, Feature.CONFIGURATION},
            hostCalls = {"proxy_get_property", "proxy_on_configure"},
            spec = "ABI.md §5.1 (stream attributes are absent in root-context callbacks)")
    void absentInRoot(TckCase tck) {
        StepTable t = new StepTable();
        for (String p :
                List.of(
                        "request.path",
                        "request.headers",
                        "response.code",
                        "source.address",
                        "destination.port",
                        "connection.id")) {
            t.expect(p, 1, "proxy_get_property", path(p.split("\\.")), outData());
        }
        ProbeScenario s =
                ProbeScenario.create()
                        .on(
                                "on_configure",
                                cb -> {
                                    t.addTo(tck.language(), cb);
                                    cb.report("shared_data");
                                });
        t.check(tck, run(tck, s, "on_configure").record("on_configure"), 0);
    }
}
