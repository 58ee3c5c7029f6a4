package org.pwtck.host.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP/2 cleartext on the proxy's listener, over real sockets: the JDK client's {@code Upgrade:
 * h2c}, Netty's client with prior knowledge, streams through the same filter chains as HTTP/1.1.
 */
@Timeout(60)
class ServerH2cTest extends ProxyOverEchoTest {
    private static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    private static final List<String> CONNECTION_SPECIFIC =
            List.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade");

    private void start(String listenerExtra) throws Exception {
        String probe = ServerFixture.rust("probe");
        String yaml =
                """
                listeners: [{name: main, address: 127.0.0.1, port: 0%s}]
                workers: 2
                clusters:
                  echo: {endpoints: ["%s"], requestTimeout: 5s}
                filters:
                  headers:
                    path: %s
                    config: {request: {add: {x-order: "1"}}, response: {add: {x-resp: "1"}}}
                  body: {path: %s}
                  auth: {path: %s, config: {header: x-api-key, values: [secret]}}
                  view:
                    path: %s
                    config: '%s'
                  trailers:
                    path: %s
                    config: '%s'
                  closer:
                    path: %s
                    config: '%s'
                routes:
                  - name: chain
                    prefix: /chain
                    cluster: echo
                    filters:
                      - headers
                      - name: headers
                        config: {request: {add: {x-order: "2"}, remove: [x-drop]}, response: {add: {x-resp: "2"}}}
                  - {name: body, prefix: /body, cluster: echo, filters: [{name: body, config: {request: {op: upper}}}]}
                  - {name: auth, prefix: /auth, cluster: echo, filters: [auth, headers]}
                  - {name: view, prefix: /view, cluster: echo, filters: [view]}
                  - {name: trailers, prefix: /trailers, cluster: echo, filters: [trailers]}
                  - {name: closer, prefix: /close, cluster: echo, filters: [closer]}
                  - {name: plain, prefix: /, cluster: echo}
                """
                        .formatted(
                                listenerExtra,
                                upstream.endpoint(),
                                ServerFixture.rust("headers"),
                                ServerFixture.rust("body"),
                                ServerFixture.rust("auth"),
                                probe,
                                // the request header map as filters see it
                                "{\"callbacks\": {\"on_request_headers\": {\"steps\": [ {\"call\": \"proxy_get_header_map_pairs\", \"args\": [0, {\"out\": \"data\"}]}, {\"call\": \"proxy_get_property\", \"args\": [{\"path\": [\"request\", \"protocol\"]}, {\"out\": \"data\"}]}, {\"report\": \"local_response\", \"status\": 200}]}}}",
                                probe,
                                // every body chunk and the trailers, answered at the trailers
                                "{\"callbacks\": { \"on_request_headers\": {\"steps\": []}, \"on_request_body\": {\"steps\": []}, \"on_request_trailers\": {\"steps\": [ {\"call\": \"proxy_get_header_map_value\", \"args\": [1, {\"str\": \"x-t\"}, {\"out\": \"data\"}]}, {\"report\": \"local_response\", \"status\": 200}]}}}",
                                probe,
                                // proxy_close_stream(HttpRequest): the proxy resets the stream
                                "{\"callbacks\": {\"on_request_headers\": {\"steps\": [ {\"call\": \"proxy_close_stream\", \"args\": [0]}]}}}");
        proxy = ServerFixture.start(dir, yaml);
    }

    private static HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder()
                .version(version)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private HttpResponse<String> send(HttpClient client, String path, String... headers)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(proxy.uri(path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void jdkClientUpgradesToH2cAndTheFilterChainRunsBothWays() throws Exception {
        start("");
        HttpClient h2 = client(HttpClient.Version.HTTP_2);
        HttpResponse<String> r = send(h2, "/chain/x", "x-drop", "gone", "x-keep", "kept");
        assertEquals(HttpClient.Version.HTTP_2, r.version(), "answered over HTTP/2 after 101");
        assertEquals(200, r.statusCode());
        JsonNode seen = ServerFixture.JSON.readTree(r.body());
        JsonNode up = seen.get("headers");
        assertEquals("/chain/x", seen.get("path").asText());
        assertEquals(
                List.of("1", "2"),
                ServerFixture.strings(up.get("x-order")),
                "both filters, in order");
        assertEquals(List.of("kept"), ServerFixture.strings(up.get("x-keep")));
        assertNull(up.get("x-drop"), "removed by the second filter");
        assertEquals(List.of("127.0.0.1:" + proxy.port()), ServerFixture.strings(up.get("host")));
        for (String h : List.of("upgrade", "http2-settings", "x-http2-stream-id")) {
            assertNull(up.get(h), h + " must not reach the upstream: " + up);
        }
        assertEquals(List.of("2", "1"), r.headers().allValues("x-resp"), "reverse order");

        // the next requests are streams on the upgraded connection
        HttpResponse<String> denied = send(h2, "/auth/x");
        assertEquals(HttpClient.Version.HTTP_2, denied.version());
        assertEquals(403, denied.statusCode());
        assertEquals("forbidden", denied.body());
        assertEquals("denied", denied.headers().firstValue("x-pwtck-auth").orElseThrow());
        HttpResponse<String> allowed = send(h2, "/auth/x", "x-api-key", "secret");
        assertEquals(200, allowed.statusCode());
        assertEquals(List.of("1"), allowed.headers().allValues("x-resp"));

        HttpResponse<String> body =
                h2.send(
                        HttpRequest.newBuilder(proxy.uri("/body/x"))
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString("hello h2"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, body.version());
        assertEquals("HELLO H2", ServerFixture.JSON.readTree(body.body()).get("body").asText());

        assertEquals(1, proxy.counter("server.h2c.upgrades"), "one connection, upgraded once");
        assertEquals(4, proxy.counter("server.h2.streams"));
        assertEquals(1, proxy.counter("route.auth.responses.4xx"));
    }

    @Test
    void largeBodiesStreamBothWaysUnderHttp2FlowControl() throws Exception {
        start("");
        HttpClient h2 = client(HttpClient.Version.HTTP_2);
        // several times the 64 KiB windows: only WINDOW_UPDATEs keep these going
        HttpResponse<String> down = send(h2, "/bytes?n=3000000");
        assertEquals(HttpClient.Version.HTTP_2, down.version());
        assertEquals(3_000_000, down.body().length());
        String big = "z".repeat(2_000_000);
        HttpResponse<String> up =
                h2.send(
                        HttpRequest.newBuilder(proxy.uri("/plain/up"))
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(big))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, up.version());
        assertEquals(200, up.statusCode());
        assertEquals(
                big.length(), ServerFixture.JSON.readTree(up.body()).get("body").asText().length());
    }

    @Test
    void filtersSeeTheSameRequestHeaderViewOverHttp11AndHttp2() throws Exception {
        start("");
        String authority = "127.0.0.1:" + proxy.port();
        HttpResponse<String> h1 =
                send(client(HttpClient.Version.HTTP_1_1), "/view/a?b=c", "x-a", "1");
        Map<String, List<String>> viaHttp11 = view(h1);
        assertEquals("HTTP/1.1", protocol(h1.body()));
        HttpClient h2 = client(HttpClient.Version.HTTP_2);
        HttpResponse<String> upgrade = send(h2, "/view/a?b=c", "x-a", "1");
        HttpResponse<String> stream = send(h2, "/view/a?b=c", "x-a", "1");
        assertEquals(HttpClient.Version.HTTP_2, stream.version());
        Map<String, List<String>> viaUpgrade = view(upgrade);
        Map<String, List<String>> viaStream = view(stream);
        assertEquals("HTTP/2", protocol(upgrade.body()), "request.protocol as Envoy gives it");
        assertEquals("HTTP/2", protocol(stream.body()));
        Map<String, List<String>> viaPriorKnowledge;
        try (H2Client c = new H2Client(proxy.port())) {
            H2Client.Response r = c.exchange(c.headers("GET", "/view/a?b=c").add("x-a", "1"), null);
            assertEquals(200, r.status());
            viaPriorKnowledge = pairs(r.body());
            assertEquals("HTTP/2", protocol(r.body()));
        }
        for (Map<String, List<String>> m :
                List.of(viaHttp11, viaUpgrade, viaStream, viaPriorKnowledge)) {
            assertEquals(
                    List.of(":method", ":path", ":authority", ":scheme"),
                    new ArrayList<>(m.keySet()).subList(0, 4),
                    "pseudo-headers first: " + m);
            assertEquals(List.of("GET"), m.get(":method"));
            assertEquals(List.of("/view/a?b=c"), m.get(":path"));
            assertEquals(List.of(authority), m.get(":authority"));
            assertEquals(List.of("http"), m.get(":scheme"));
            assertEquals(List.of("1"), m.get("x-a"));
            for (String name : m.keySet()) {
                assertFalse(
                        name.equals("host")
                                || name.startsWith("x-http2-")
                                || name.equals("http2-settings")
                                || name.equals("te")
                                || CONNECTION_SPECIFIC.contains(name),
                        name + " must not be shown to filters: " + m);
            }
        }
    }

    @Test
    void priorKnowledgeBodyInSeveralDataFramesAndTrailersReachTheFilter() throws Exception {
        start("");
        try (H2Client c = new H2Client(proxy.port())) {
            H2Client.Stream s = c.open();
            s.headers(c.headers("POST", "/trailers/x"), false);
            s.data("aa", false);
            s.data("bbb", false);
            s.data("cccc", false);
            s.trailers(new DefaultHttp2Headers().add("x-t", "tv"));
            H2Client.Response r = s.response();
            assertFalse(r.reset(), "answered, not reset");
            assertEquals(200, r.status());
            noConnectionSpecificHeaders(r.headers());
            JsonNode records = ServerFixture.JSON.readTree(r.body()).get("records");
            List<String> bodies = new ArrayList<>();
            JsonNode trailers = null;
            for (JsonNode rec : records) {
                String cb = rec.get("callback").asText();
                if (cb.equals("on_request_body")) {
                    bodies.add(rec.get("args").get(1).asLong() + "/" + rec.get("args").get(2));
                } else if (cb.equals("on_request_trailers")) {
                    trailers = rec;
                }
            }
            assertEquals(List.of("2/0", "3/0", "4/0"), bodies, "one call per DATA frame: " + r);
            assertTrue(trailers != null, "on_request_trailers ran: " + r.body());
            assertEquals(1, trailers.get("args").get(1).asLong(), "one trailer");
            JsonNode value = trailers.get("results").get(0);
            assertEquals(0, value.get("status").asInt());
            assertEquals(hex("tv"), value.get("outs").get(0).get("hex").asText());
        }
        assertEquals(1, proxy.counter("server.h2c.prior_knowledge"));
    }

    @Test
    void twoConcurrentStreamsOnOneConnectionAreBothAnswered() throws Exception {
        start("");
        try (H2Client c = new H2Client(proxy.port())) {
            H2Client.Stream slow = c.open();
            H2Client.Stream chain = c.open();
            slow.headers(c.headers("GET", "/slow?ms=300"), true);
            chain.headers(c.headers("GET", "/chain/y"), true);
            H2Client.Response a = slow.response();
            H2Client.Response b = chain.response();
            assertEquals(200, a.status());
            assertEquals("slow\n", a.body());
            assertEquals(200, b.status());
            assertEquals("/chain/y", ServerFixture.JSON.readTree(b.body()).get("path").asText());
            assertEquals(
                    List.of("2", "1"),
                    b.headers().getAll("x-resp").stream().map(CharSequence::toString).toList());
            noConnectionSpecificHeaders(a.headers());
            noConnectionSpecificHeaders(b.headers());
        }
        assertEquals(1, proxy.counter("server.h2c.prior_knowledge"));
        assertEquals(2, proxy.counter("server.h2.streams"));
    }

    @Test
    void aResetStreamLeavesTheConnectionAndItsOtherStreamsServing() throws Exception {
        start("");
        try (H2Client c = new H2Client(proxy.port())) {
            // a filter closes the stream: RST_STREAM for that stream only
            H2Client.Response closed = c.exchange(c.headers("GET", "/close/x"), null);
            assertTrue(closed.reset(), "reset: " + closed);
            assertEquals(1, proxy.counter("filter.closer.close_stream"));
            // a local response while the request body is still coming: the stream ends early
            H2Client.Stream early = c.open();
            early.headers(c.headers("POST", "/auth/x"), false);
            H2Client.Response denied = early.response();
            assertEquals(403, denied.status());
            noConnectionSpecificHeaders(denied.headers());
            // a request HTTP/2 forbids (a connection-specific header): Netty resets that stream
            H2Client.Response bad =
                    c.exchange(c.headers("GET", "/chain/bad").add("connection", "close"), null);
            assertTrue(bad.reset(), "reset: " + bad);
            assertEquals(Http2Error.PROTOCOL_ERROR.code(), bad.resetCode());

            assertTrue(c.isOpen(), "the connection stays");
            H2Client.Response ok = c.exchange(c.headers("GET", "/chain/ok"), null);
            assertEquals(200, ok.status());
        }
        assertEquals(1, proxy.counter("server.h2c.prior_knowledge"));
        assertEquals(200, proxy.get("/chain/h1").statusCode(), "HTTP/1.1 still served");
    }

    @Test
    void aClosedConnectionEndsTheExchangesOfItsStreams() throws Exception {
        start("");
        H2Client c = new H2Client(proxy.port());
        H2Client.Stream a = c.open();
        H2Client.Stream b = c.open();
        a.headers(c.headers("GET", "/slow?ms=5000"), true);
        b.headers(c.headers("GET", "/slow?ms=5000"), true);
        assertTrue(ServerFixture.eventually(() -> proxy.counter("route.plain.requests") == 2));
        c.close();
        assertTrue(
                ServerFixture.eventually(() -> proxy.counter("server.client_disconnects") == 2),
                "each stream's exchange torn down: " + proxy.server.stats().snapshot());
        assertEquals(200, proxy.get("/chain/after").statusCode());
    }

    @Test
    void garbageAfterThePrefaceClosesThatConnectionWithGoAwayAndTheProxyKeepsServing()
            throws Exception {
        start("");
        byte[] back;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(
                    (PREFACE + "this is not an HTTP/2 frame at all\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            back = in.readAllBytes(); // returns once the proxy closed the connection
        }
        Long goAway = goAwayError(back);
        assertEquals(
                Long.valueOf(Http2Error.PROTOCOL_ERROR.code()),
                goAway,
                "GOAWAY(PROTOCOL_ERROR) before the close: " + HexFormat.of().formatHex(back));
        HttpResponse<String> next = proxy.get("/chain/after");
        assertEquals(200, next.statusCode(), "a new HTTP/1.1 connection works");
        try (H2Client c = new H2Client(proxy.port())) {
            assertEquals(200, c.exchange(c.headers("GET", "/chain/after"), null).status());
        }
    }

    @Test
    void h2cFalseServesHttp11Only() throws Exception {
        start(", h2c: false");
        HttpResponse<String> r = send(client(HttpClient.Version.HTTP_2), "/chain/x");
        assertEquals(HttpClient.Version.HTTP_1_1, r.version(), "the upgrade is not taken");
        assertEquals(200, r.statusCode());
        assertEquals(List.of("2", "1"), r.headers().allValues("x-resp"));
        String answer = proxy.raw(PREFACE);
        assertTrue(answer.startsWith("HTTP/1.1 "), "the preface is read as HTTP/1.1: " + answer);
        assertEquals(0, proxy.counter("server.h2c.upgrades"));
        assertEquals(0, proxy.counter("server.h2.streams"));
        assertEquals(false, proxy.server.config().listeners().get(0).h2c());
    }

    // ---- helpers ----

    private static void noConnectionSpecificHeaders(Http2Headers headers) {
        for (String name : CONNECTION_SPECIFIC) {
            assertFalse(headers.contains(name), name + " in an HTTP/2 response: " + headers);
        }
    }

    /** The request header map a probe reported (its pairs, decoded), in order. */
    private static Map<String, List<String>> view(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        return pairs(r.body());
    }

    /** The data of the view probe's step {@code step}. */
    private static byte[] stepData(String probeJson, int step) throws Exception {
        JsonNode out =
                ServerFixture.JSON
                        .readTree(probeJson)
                        .get("records")
                        .get(0)
                        .get("results")
                        .get(step)
                        .get("outs")
                        .get(0);
        return HexFormat.of().parseHex(out.get("hex").asText());
    }

    /** The {@code request.protocol} property the view probe read. */
    private static String protocol(String probeJson) throws Exception {
        return new String(stepData(probeJson, 1), StandardCharsets.UTF_8);
    }

    private static Map<String, List<String>> pairs(String probeJson) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(stepData(probeJson, 0)).order(ByteOrder.LITTLE_ENDIAN);
        int n = b.getInt();
        int[] sizes = new int[2 * n];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = b.getInt();
        }
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = text(b, sizes[2 * i]);
            String value = text(b, sizes[2 * i + 1]);
            map.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return map;
    }

    private static String text(ByteBuffer b, int size) {
        byte[] bytes = new byte[size];
        b.get(bytes);
        b.get(); // the NUL after each name and value
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The error code of the first GOAWAY frame among the bytes the server sent, or null. */
    private static Long goAwayError(byte[] frames) {
        int at = 0;
        while (at + 9 <= frames.length) {
            int length =
                    ((frames[at] & 0xff) << 16)
                            | ((frames[at + 1] & 0xff) << 8)
                            | (frames[at + 2] & 0xff);
            int type = frames[at + 3] & 0xff;
            if (type == 0x7 && at + 9 + 8 <= frames.length) {
                return ByteBuffer.wrap(frames, at + 9 + 4, 4).getInt() & 0xffffffffL;
            }
            at += 9 + length;
        }
        return null;
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }
}
