package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.api.Profile;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;

/**
 * Real filter code written with each SDK (docs/filters/FILTERS.md): the same HTTP exchange on every
 * host and language, checking what the upstream received and what the client got.
 */
public class FilterBehaviourCases {
    private static final String FILTERS = "docs/filters/FILTERS.md";

    @ConformanceCase(
            id = "OrgProductMapper",
            description =
                    "org-product calls httpbin and maps Org/Product request headers to X-Org/X-Product before the request goes upstream",
            features = {Feature.HTTP_CALL, Feature.HTTP_HEADERS, Feature.STREAM_CONTROL},
            hostCalls = {
                "proxy_http_call",
                "proxy_get_header_map_pairs",
                "proxy_get_buffer_bytes",
                "proxy_remove_header_map_value",
                "proxy_add_header_map_value",
                "proxy_continue_stream"
            },
            spec = FILTERS + " org-product")
    void orgProduct(TckCase tck) {
        orgProductMaps(tck, FilterSpec.HTTPBIN_CLUSTER);
    }

    @ConformanceCase(
            id = "OrgProductMapperRealHttpbin",
            description =
                    "OrgProductMapper with the real httpbin (Python, gunicorn) behind the cluster instead of the TCK's echo",
            features = {Feature.HTTP_CALL, Feature.HTTP_HEADERS, Feature.STREAM_CONTROL},
            hostCalls = {
                "proxy_http_call",
                "proxy_get_header_map_pairs",
                "proxy_get_buffer_bytes",
                "proxy_remove_header_map_value",
                "proxy_add_header_map_value",
                "proxy_continue_stream"
            },
            spec = FILTERS + " org-product")
    void orgProductRealHttpbin(TckCase tck) {
        orgProductMaps(tck, tck.realHttpbinCluster());
    }

    private static void orgProductMaps(TckCase tck, String cluster) {
        var d = tck.deployFilter("org-product", "{\"cluster\": \"" + cluster + "\"}");
        TckResponse response =
                tck.exchange(
                        d,
                        TckRequest.get("/headers")
                                .withHeader("Org", "Field")
                                .withHeader("Product", "umbrella"));
        var upstream =
                response.upstream()
                        .orElseThrow(() -> new AssertionError("never resumed: " + response));
        tck.evidence(
                "x-org: Field, x-product: umbrella, no org/product", upstream.headers().toString());
        assertEquals("Field", upstream.header("x-org").orElse(null));
        assertEquals("umbrella", upstream.header("x-product").orElse(null));
        assertFalse(upstream.header("org").isPresent());
        assertFalse(upstream.header("product").isPresent());
        assertEquals(200, response.status());
    }

    @ConformanceCase(
            id = "OrgProductMissingHeaderStillResumes",
            description =
                    "org-product resumes the request and reports the error in a response header when a mapped header is missing",
            features = {Feature.HTTP_CALL, Feature.HTTP_HEADERS},
            hostCalls = {"proxy_http_call", "proxy_continue_stream"},
            spec = FILTERS + " org-product")
    void orgProductMissing(TckCase tck) {
        orgProductMissing(tck, FilterSpec.HTTPBIN_CLUSTER);
    }

    @ConformanceCase(
            id = "OrgProductMissingHeaderRealHttpbin",
            description =
                    "OrgProductMissingHeaderStillResumes with the real httpbin (Python, gunicorn) behind the cluster",
            features = {Feature.HTTP_CALL, Feature.HTTP_HEADERS},
            hostCalls = {"proxy_http_call", "proxy_continue_stream"},
            spec = FILTERS + " org-product")
    void orgProductMissingRealHttpbin(TckCase tck) {
        orgProductMissing(tck, tck.realHttpbinCluster());
    }

    private static void orgProductMissing(TckCase tck, String cluster) {
        var d = tck.deployFilter("org-product", "{\"cluster\": \"" + cluster + "\"}");
        TckResponse response =
                tck.exchange(d, TckRequest.get("/headers").withHeader("Org", "Field"));
        tck.evidence("200, x-pwtck-org-product-error: missing Product", response.toString());
        assertEquals(200, response.status());
        assertTrue(response.upstream().isPresent(), "the request must not hang");
        assertEquals("missing Product", response.header("x-pwtck-org-product-error").orElse(null));
    }

    @ConformanceCase(
            id = "HeadersFilter",
            description =
                    "the headers filter adds, replaces and removes request and response headers",
            features = Feature.HTTP_HEADERS,
            hostCalls = {
                "proxy_add_header_map_value",
                "proxy_replace_header_map_value",
                "proxy_remove_header_map_value"
            },
            spec = FILTERS + " headers")
    void headers(TckCase tck) {
        var d =
                tck.deployFilter(
                        "headers",
                        "{\"request\": {\"add\": {\"x-a\": \"1\"}, \"replace\": {\"x-b\": \"2\"}, \"remove\": [\"x-c\"]},"
                                + " \"response\": {\"add\": {\"x-d\": \"3\"}, \"remove\": [\"x-pwtck-echo\"]}}");
        TckResponse response =
                tck.exchange(
                        d,
                        TckRequest.get("/headers")
                                .withHeader("x-b", "old")
                                .withHeader("x-c", "gone"));
        var upstream = response.upstream().orElseThrow();
        assertEquals("1", upstream.header("x-a").orElse(null));
        assertEquals("2", upstream.header("x-b").orElse(null));
        assertFalse(upstream.header("x-c").isPresent());
        assertEquals("3", response.header("x-d").orElse(null));
        assertFalse(response.header("x-pwtck-echo").isPresent());
    }

    @ConformanceCase(
            id = "AuthFilter",
            description =
                    "the auth filter lets a request with the right key through and answers 403 locally otherwise",
            features = Feature.LOCAL_RESPONSE,
            hostCalls = {"proxy_get_header_map_value", "proxy_send_local_response"},
            spec = FILTERS + " auth")
    void auth(TckCase tck) {
        var d = tck.deployFilter("auth", "{\"header\": \"x-api-key\", \"values\": [\"secret\"]}");
        TckResponse ok =
                tck.exchange(d, TckRequest.get("/headers").withHeader("x-api-key", "secret"));
        TckResponse denied =
                tck.exchange(d, TckRequest.get("/headers").withHeader("x-api-key", "wrong"));
        tck.evidence("200 then 403 forbidden", ok.status() + " then " + denied);
        assertEquals(200, ok.status());
        assertEquals(403, denied.status());
        assertEquals("forbidden", denied.bodyString());
        assertEquals("denied", denied.header("x-pwtck-auth").orElse(null));
        assertTrue(denied.upstream().isEmpty());
    }

    @ConformanceCase(
            id = "BodyFilterRewritesRequest",
            description =
                    "the body filter buffers the request body and replaces it before it goes upstream",
            features = Feature.HTTP_BODY,
            hostCalls = {"proxy_get_buffer_bytes", "proxy_set_buffer_bytes"},
            spec = FILTERS + " body")
    void body(TckCase tck) {
        var d = tck.deployFilter("body", "{\"request\": {\"op\": \"upper\"}}");
        TckResponse response = tck.exchange(d, TckRequest.post("/anything", "make me loud"));
        var upstream = response.upstream().orElseThrow();
        tck.evidence("MAKE ME LOUD", upstream.bodyString());
        assertEquals("MAKE ME LOUD", upstream.bodyString());
    }

    @ConformanceCase(
            id = "CounterFilter",
            description =
                    "the counter filter counts requests in shared data with CAS and reports the count",
            features = {Feature.SHARED_DATA, Feature.METRICS},
            hostCalls = {
                "proxy_get_shared_data",
                "proxy_set_shared_data",
                "proxy_define_metric",
                "proxy_increment_metric"
            },
            spec = FILTERS + " counter")
    void counter(TckCase tck) {
        var d = tck.deployFilter("counter", "{}");
        TckResponse first = tck.exchange(d, TckRequest.get("/headers"));
        TckResponse second = tck.exchange(d, TckRequest.get("/headers"));
        tck.evidence(
                "x-pwtck-count 1 then 2",
                first.header("x-pwtck-count") + " then " + second.header("x-pwtck-count"));
        assertEquals("1", first.header("x-pwtck-count").orElse(null));
        assertEquals("2", second.header("x-pwtck-count").orElse(null));
    }

    @ConformanceCase(
            id = "GrpcCalloutFilter",
            description =
                    "the grpc-callout filter makes a unary gRPC health check to the TCK's gRPC server and the upstream sees its status and message",
            features = {Feature.GRPC_CALL, Feature.HTTP_HEADERS, Feature.STREAM_CONTROL},
            hostCalls = {"proxy_grpc_call", "proxy_get_buffer_bytes", "proxy_continue_stream"},
            spec = FILTERS + " grpc-callout")
    void grpcCallout(TckCase tck) {
        var d =
                tck.deployFilter(
                        "grpc-callout", "{\"cluster\": \"" + FilterSpec.GRPC_CLUSTER + "\"}");
        TckResponse response = tck.exchange(d, TckRequest.get("/headers"));
        var upstream =
                response.upstream()
                        .orElseThrow(() -> new AssertionError("never resumed: " + response));
        tck.evidence(
                "x-pwtck-grpc-status: 0, x-pwtck-grpc-message: 0801 (SERVING)",
                upstream.headers().toString());
        assertEquals("0", upstream.header("x-pwtck-grpc-status").orElse(null));
        assertEquals("0801", upstream.header("x-pwtck-grpc-message").orElse(null));
    }

    @ConformanceCase(
            id = "QueueFilter",
            description =
                    "the queue filter enqueues from on_tick and dequeues in on_queue_ready; the count it stores in shared data reaches the response",
            features = {Feature.SHARED_QUEUE, Feature.TIMERS, Feature.SHARED_DATA},
            hostCalls = {
                "proxy_register_shared_queue",
                "proxy_enqueue_shared_queue",
                "proxy_dequeue_shared_queue",
                "proxy_set_tick_period_milliseconds"
            },
            spec = FILTERS + " queue",
            profile = Profile.BACKGROUND)
    void queue(TckCase tck) {
        var d = tck.deployFilter("queue", "{\"tickMillis\": 50}");
        // Ticks run on their own schedule: ask until a dequeue was counted (bounded).
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        TckResponse last;
        long received;
        do {
            last = tck.exchange(d, TckRequest.get("/headers"));
            received = Long.parseLong(last.header("x-pwtck-queue").orElse("-1"));
            if (received > 0 || received < 0) {
                break;
            }
            sleep(100);
        } while (System.nanoTime() < deadline);
        tck.evidence("x-pwtck-queue > 0 within 10 s", String.valueOf(last));
        assertEquals(200, last.status());
        assertTrue(received > 0, "messages dequeued: " + last.header("x-pwtck-queue"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
