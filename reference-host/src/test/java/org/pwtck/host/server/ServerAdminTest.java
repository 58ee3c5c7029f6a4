package org.pwtck.host.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin endpoint: ready, stats (with filter metrics), filters, config, reload. */
@Timeout(90)
class ServerAdminTest extends ProxyOverEchoTest {
    private String yaml(String headersValue, String extraFilter, String chain) {
        return """
                listeners: [{name: main, port: 0}]
                workers: 2
                clusters:
                  echo: {endpoints: ["%s"]}
                filters:
                  headers: {path: %s, config: {response: {add: {x-a: "%s"}}}}
                  counter: {path: %s, vmId: shared}
                  queue: {path: %s, vmId: q, config: {tickMillis: 20}}
                %s
                routes:
                  - {name: api, prefix: /, cluster: echo, filters: [%s]}
                """
                .formatted(
                        upstream.endpoint(),
                        ServerFixture.rust("headers"),
                        headersValue,
                        ServerFixture.rust("counter"),
                        ServerFixture.rust("queue"),
                        extraFilter,
                        chain);
    }

    @Test
    void readyStatsFiltersConfigAndListeners() throws Exception {
        proxy = ServerFixture.start(dir, yaml("1", "", "headers, counter"));
        assertEquals(200, proxy.admin("GET", "/ready").statusCode());
        for (int i = 1; i <= 6; i++) {
            HttpResponse<String> r = proxy.get("/x");
            assertEquals(200, r.statusCode());
            // shared data with the same vm id across both workers' VMs: one count
            assertEquals(
                    Integer.toString(i), r.headers().firstValue("x-pwtck-count").orElseThrow());
        }
        JsonNode stats = proxy.adminJson("/stats");
        assertEquals(6, stats.get("counters").get("route.api.requests").asLong());
        assertEquals(6, stats.get("counters").get("filter.counter.requests").asLong());
        boolean metric = false;
        for (JsonNode m : stats.get("filterMetrics")) {
            if (m.get("name").asText().equals("pwtck_requests")) {
                assertEquals(6, m.get("value").asLong());
                assertEquals("counter", m.get("type").asText());
                metric = true;
            }
        }
        assertTrue(metric, stats.toString());

        JsonNode filters = proxy.adminJson("/filters");
        JsonNode headers = filters.get(0);
        assertEquals("headers", headers.get("name").asText());
        assertEquals(64, headers.get("sha256").asText().length());
        assertEquals("0.2.1", headers.get("abiVersion").asText());
        assertEquals("interpreter", headers.get("engine").asText());
        assertTrue(headers.get("imports").toString().contains("env.proxy_get_header_map_value"));
        assertEquals(2, headers.get("vms").size(), "one VM per worker");
        assertEquals("running", headers.get("vms").get(0).get("state").asText());
        assertEquals("shared", filters.get(1).get("vmId").asText());

        JsonNode config = proxy.adminJson("/config");
        assertEquals(
                "{\"response\":{\"add\":{\"x-a\":\"1\"}}}",
                config.get("filters").get("headers").get("config").asText());
        assertEquals(proxy.port(), proxy.adminJson("/listeners").get("main").asInt());
    }

    @Test
    void queueTicksAndNotificationsWorkAcrossWorkers() throws Exception {
        proxy = ServerFixture.start(dir, yaml("1", "", "queue"));
        assertTrue(
                ServerFixture.eventually(
                        () -> {
                            try {
                                String v =
                                        proxy.get("/q")
                                                .headers()
                                                .firstValue("x-pwtck-queue")
                                                .orElse("0");
                                return Long.parseLong(v) >= 4;
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }),
                "ticks on both workers enqueue; the registrant's VM dequeues");
    }

    @Test
    void reloadSwapsChainsAndABadConfigLeavesTheRunningOne() throws Exception {
        proxy = ServerFixture.start(dir, yaml("1", "", "headers"));
        assertEquals("1", proxy.get("/x").headers().firstValue("x-a").orElseThrow());

        Files.writeString(proxy.config, yaml("2", "", "headers"));
        HttpResponse<String> ok = proxy.admin("POST", "/reload");
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(2, ServerFixture.JSON.readTree(ok.body()).get("generation").asInt());
        assertEquals("2", proxy.get("/x").headers().firstValue("x-a").orElseThrow());

        // refused by validation: unknown filter in the chain
        Files.writeString(proxy.config, yaml("3", "", "headers, nosuch"));
        HttpResponse<String> bad = proxy.admin("POST", "/reload");
        assertEquals(400, bad.statusCode());
        assertTrue(
                bad.body().contains("routes[0].filters[1]: unknown filter \\\"nosuch\\\""),
                bad.body());
        assertEquals("2", proxy.get("/x").headers().firstValue("x-a").orElseThrow());

        // refused at start: the auth filter's on_configure rejects an empty config
        Files.writeString(
                proxy.config,
                yaml("4", "  auth: {path: " + ServerFixture.rust("auth") + "}", "auth, headers"));
        HttpResponse<String> refused = proxy.admin("POST", "/reload");
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("filters.auth: failed to start"), refused.body());
        assertEquals("2", proxy.get("/x").headers().firstValue("x-a").orElseThrow());
        assertEquals(2, proxy.counter("server.reload_failures"));
        assertEquals(
                "2",
                proxy.adminJson("/config")
                        .get("filters")
                        .get("headers")
                        .get("config")
                        .asText()
                        .replaceAll("\\D", ""));
    }

    @Test
    void requestsInFlightFinishOnTheOldChain() throws Exception {
        String chainA = "{name: org-product, config: {cluster: echo, path: \"/slow?ms=1500\"}}";
        String slow = "  org-product: {path: " + ServerFixture.rust("org-product") + "}";
        proxy = ServerFixture.start(dir, yaml("old", slow, chainA + ", headers"));
        java.util.concurrent.CompletableFuture<HttpResponse<String>> inFlight =
                java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return proxy.get("/x", "Org", "acme");
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        // the request is held by the filter (its callout takes 1.5 s) when the reload happens
        assertTrue(
                ServerFixture.eventually(() -> proxy.counter("filter.org-product.requests") == 1));
        Files.writeString(proxy.config, yaml("new", "", "headers"));
        assertEquals(200, proxy.admin("POST", "/reload").statusCode());
        assertEquals("new", proxy.get("/y").headers().firstValue("x-a").orElseThrow());
        HttpResponse<String> old = inFlight.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, old.statusCode());
        assertEquals(
                "old", old.headers().firstValue("x-a").orElseThrow(), "finished on the old chain");
        // the old chain's filter finished its callout (the slow answer is not JSON) and resumed
        assertEquals(
                "bad json", old.headers().firstValue("x-pwtck-org-product-error").orElseThrow());
    }
}
