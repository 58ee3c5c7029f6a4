package org.pwtck.host.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The proxy over real sockets: chains, mutation both ways, bodies, local responses, bad input. */
@Timeout(60)
class ServerProxyTest extends ProxyOverEchoTest {
    private void start(String extra) throws Exception {
        String yaml =
                """
                listeners: [{name: main, address: 127.0.0.1, port: 0}]
                workers: 2
                limits: {bufferLimitBytes: 1024, maxHeaderBytes: 2048, pausedStreamTimeout: 500ms}
                clusters:
                  echo: {endpoints: ["%s"], requestTimeout: 1s}
                  dead: {endpoints: ["127.0.0.1:%d"], connectTimeout: 1s}
                filters:
                  headers:
                    path: %s
                    config: {request: {add: {x-order: "1"}}, response: {add: {x-resp: "1"}}}
                  body: {path: %s}
                  auth: {path: %s, config: {header: x-api-key, values: [secret]}}
                %s
                """
                        .formatted(
                                upstream.endpoint(),
                                ServerFixture.closedPort(),
                                ServerFixture.rust("headers"),
                                ServerFixture.rust("body"),
                                ServerFixture.rust("auth"),
                                extra);
        proxy = ServerFixture.start(dir, yaml);
    }

    private static final String ROUTES =
            """
            routes:
              - name: chain
                prefix: /chain
                cluster: echo
                filters:
                  - headers
                  - name: headers
                    config: {request: {add: {x-order: "2"}, remove: [x-drop]}, response: {add: {x-resp: "2"}}}
              - name: body
                prefix: /body
                cluster: echo
                filters:
                  - name: body
                    config: {request: {op: upper}, response: {op: append, value: "!"}}
              - name: auth
                prefix: /auth
                cluster: echo
                filters: [auth, headers]
              - name: dead
                prefix: /dead
                cluster: dead
              - name: slow
                prefix: /slow
                cluster: echo
              - name: plain
                prefix: /
                cluster: echo
            """;

    @Test
    void chainRunsInOrderOnRequestAndInReverseOnResponse() throws Exception {
        start(ROUTES);
        HttpResponse<String> r = proxy.get("/chain/x", "x-drop", "gone", "x-keep", "kept");
        assertEquals(200, r.statusCode());
        JsonNode seen = ServerFixture.JSON.readTree(r.body());
        assertEquals("/chain/x", seen.get("path").asText());
        assertEquals(List.of("1", "2"), ServerFixture.strings(seen.get("headers").get("x-order")));
        assertEquals(List.of("kept"), ServerFixture.strings(seen.get("headers").get("x-keep")));
        assertTrue(seen.get("headers").get("x-drop") == null, "removed by the second filter");
        // response: the second filter runs first, so its value comes first
        assertEquals(List.of("2", "1"), r.headers().allValues("x-resp"));
        assertEquals("1", r.headers().firstValue("x-echo").orElseThrow());
        assertEquals(1, proxy.counter("route.chain.requests"));
        assertEquals(1, proxy.counter("route.chain.responses.2xx"));
    }

    @Test
    void bodiesAreBufferedAndRewrittenBothWays() throws Exception {
        start(ROUTES);
        HttpResponse<String> r = proxy.post("/body/echo", "hello body");
        assertEquals(200, r.statusCode());
        JsonNode seen = ServerFixture.JSON.readTree(r.body().substring(0, r.body().length() - 1));
        assertEquals("HELLO BODY", seen.get("body").asText());
        assertTrue(r.body().endsWith("}!"), r.body());
    }

    @Test
    void localResponseAnswersWithoutTheUpstream() throws Exception {
        start(ROUTES);
        HttpResponse<String> denied = proxy.get("/auth/x");
        assertEquals(403, denied.statusCode());
        assertEquals("forbidden", denied.body());
        assertEquals("denied", denied.headers().firstValue("x-pwtck-auth").orElseThrow());
        HttpResponse<String> allowed = proxy.get("/auth/x", "x-api-key", "secret");
        assertEquals(200, allowed.statusCode());
        assertEquals(List.of("1"), allowed.headers().allValues("x-resp"));
    }

    @Test
    void keepAliveConnectionServesManyRequests() throws Exception {
        start(ROUTES);
        for (int i = 0; i < 20; i++) {
            assertEquals(200, proxy.get("/chain/" + i).statusCode());
        }
        assertEquals(20, proxy.counter("route.chain.responses.2xx"));
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        start(ROUTES);
        String one = "GET /plain/1 HTTP/1.1\r\nHost: a\r\n\r\n";
        String last = "GET /plain/2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
        String out = proxy.raw(one + last);
        int first = out.indexOf("\"path\":\"/plain/1\"");
        int second = out.indexOf("\"path\":\"/plain/2\"");
        assertTrue(first > 0 && second > first, out);
    }

    @Test
    void malformedRequestIs400AndTheProxyKeepsServing() throws Exception {
        start(ROUTES);
        String out = proxy.raw("GET / HTTP/1.1\r\nHost: a\r\nbad header line\r\n\r\n");
        assertTrue(out.startsWith("HTTP/1.1 400"), out);
        assertEquals(200, proxy.get("/plain").statusCode());
    }

    @Test
    void headersOverTheLimitAre431() throws Exception {
        start(ROUTES);
        String out =
                proxy.raw("GET / HTTP/1.1\r\nHost: a\r\nx-big: " + "y".repeat(4000) + "\r\n\r\n");
        assertTrue(out.startsWith("HTTP/1.1 431"), out);
        assertEquals(200, proxy.get("/plain").statusCode());
    }

    @Test
    void bodyOverTheBufferLimitIs413() throws Exception {
        start(ROUTES);
        HttpResponse<String> r = proxy.post("/body/x", "z".repeat(5000));
        assertEquals(413, r.statusCode());
        assertEquals(1, proxy.counter("filter.body.buffer_overflows"));
        // a body that is streamed through (no filter holds it) has no limit
        HttpResponse<String> ok = proxy.post("/plain/x", "z".repeat(5000));
        assertEquals(200, ok.statusCode());
        assertTrue(ok.body().contains("z".repeat(5000)));
    }

    @Test
    void unreachableUpstreamIs503() throws Exception {
        start(ROUTES);
        HttpResponse<String> r = proxy.get("/dead/x");
        assertEquals(503, r.statusCode());
        assertTrue(r.body().contains("upstream connect error"), r.body());
        assertEquals(1, proxy.counter("cluster.dead.connect_failures"));
        assertEquals(200, proxy.get("/plain").statusCode());
    }

    @Test
    void slowUpstreamIs504() throws Exception {
        start(ROUTES);
        HttpResponse<String> r = proxy.get("/slow?ms=3000");
        assertEquals(504, r.statusCode());
        assertTrue(r.body().contains("upstream request timeout"), r.body());
        assertEquals(1, proxy.counter("cluster.echo.timeouts"));
        assertEquals(200, proxy.get("/plain").statusCode());
    }

    @Test
    void noRouteIs404() throws Exception {
        start(
                """
                routes:
                  - {name: only, prefix: /only, cluster: echo}
                """);
        assertEquals(404, proxy.get("/other").statusCode());
        assertEquals(200, proxy.get("/only").statusCode());
    }
}
