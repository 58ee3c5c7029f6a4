package org.pwtck.host.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.protobuf.services.HealthStatusManager;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pwtck.host.abi.Header;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.context.Upstreams;
import org.pwtck.host.upstream.ClusterUpstreams;
import org.pwtck.host.upstream.TlsContexts;

/** HTTP calls and gRPC from filters, through real sockets to configured clusters. */
@Timeout(60)
class ServerCallsTest {
    @TempDir Path dir;
    EchoUpstream upstream;
    ServerFixture proxy;
    Server grpc;
    HealthStatusManager health;

    @BeforeEach
    void start() throws Exception {
        upstream = new EchoUpstream();
        health = new HealthStatusManager();
        grpc =
                Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                        .addService(health.getHealthService())
                        .build()
                        .start();
    }

    @AfterEach
    void close() {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
        grpc.shutdownNow();
    }

    private void startProxy() throws Exception {
        String yaml =
                """
                listeners: [{name: main, port: 0}]
                workers: 2
                clusters:
                  echo: {endpoints: ["%s"]}
                  httpbin: {endpoints: ["%s"]}
                  dead: {endpoints: ["127.0.0.1:%d"]}
                  grpc: {endpoints: ["127.0.0.1:%d"]}
                filters:
                  org-product: {path: %s, config: {cluster: httpbin}}
                  grpc-callout: {path: %s, config: {cluster: grpc}}
                routes:
                  - {name: mapped, prefix: /mapped, cluster: echo, filters: [org-product]}
                  - name: deadcall
                    prefix: /deadcall
                    cluster: echo
                    filters: [{name: org-product, config: {cluster: dead}}]
                  - name: slowcall
                    prefix: /slowcall
                    cluster: echo
                    filters: [{name: org-product, config: {cluster: httpbin, path: "/slow?ms=3000", timeoutMillis: 200}}]
                  - name: nocluster
                    prefix: /nocluster
                    cluster: echo
                    filters: [{name: org-product, config: {cluster: nowhere}}]
                  - {name: grpc, prefix: /grpc, cluster: echo, filters: [grpc-callout]}
                """
                        .formatted(
                                upstream.endpoint(),
                                upstream.endpoint(),
                                ServerFixture.closedPort(),
                                grpc.getPort(),
                                ServerFixture.rust("org-product"),
                                ServerFixture.rust("grpc-callout"));
        proxy = ServerFixture.start(dir, yaml);
    }

    @Test
    void orgProductMapsHeadersThroughACalloutAndResumes() throws Exception {
        startProxy();
        HttpResponse<String> r = proxy.get("/mapped/x", "Org", "acme", "Product", "rocket");
        assertEquals(200, r.statusCode());
        JsonNode headers = ServerFixture.JSON.readTree(r.body()).get("headers");
        assertEquals("acme", headers.get("x-org").get(0).asText());
        assertEquals("rocket", headers.get("x-product").get(0).asText());
        assertNull(headers.get("org"), "the original header was replaced");
        assertTrue(r.headers().firstValue("x-pwtck-org-product-error").isEmpty());
    }

    @Test
    void calloutFailuresStillResumeTheRequest() throws Exception {
        startProxy();
        HttpResponse<String> dead = proxy.get("/deadcall", "Org", "acme");
        assertEquals(200, dead.statusCode());
        assertEquals(
                "call failed",
                dead.headers().firstValue("x-pwtck-org-product-error").orElseThrow());
        HttpResponse<String> slow = proxy.get("/slowcall", "Org", "acme");
        assertEquals(200, slow.statusCode());
        assertEquals(
                "call failed",
                slow.headers().firstValue("x-pwtck-org-product-error").orElseThrow());
        HttpResponse<String> unknown = proxy.get("/nocluster", "Org", "acme");
        assertEquals(200, unknown.statusCode());
        // proxy_http_call to a cluster that is not configured: BAD_ARGUMENT (2)
        assertEquals(
                "dispatch failed: 2",
                unknown.headers().firstValue("x-pwtck-org-product-error").orElseThrow());
    }

    @Test
    void grpcCalloutReachesARealGrpcServer() throws Exception {
        startProxy();
        health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
        HttpResponse<String> r = proxy.get("/grpc");
        assertEquals(200, r.statusCode());
        JsonNode headers = ServerFixture.JSON.readTree(r.body()).get("headers");
        assertEquals("0", headers.get("x-pwtck-grpc-status").get(0).asText());
        // HealthCheckResponse{status: SERVING(1)} = field 1, varint 1
        assertEquals("0801", headers.get("x-pwtck-grpc-message").get(0).asText());
        grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        HttpResponse<String> down = proxy.get("/grpc");
        assertEquals(200, down.statusCode());
        JsonNode h2 = ServerFixture.JSON.readTree(down.body()).get("headers");
        assertEquals("14", h2.get("x-pwtck-grpc-status").get(0).asText(), "UNAVAILABLE");
    }

    // ---- the Upstreams implementation directly: each failure kind ----

    private ClusterUpstreams upstreams(
            EventLoopGroup group, Map<String, HostConfig.Cluster> clusters) {
        ClusterUpstreams u = new ClusterUpstreams(group, new TlsContexts());
        u.clusters(clusters);
        return u;
    }

    private static HostConfig.Cluster cluster(String name, int port) {
        return new HostConfig.Cluster(
                name,
                List.of(new HostConfig.Endpoint("127.0.0.1", port)),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Optional.empty());
    }

    private static Upstreams.HttpCallRequest get(String path) {
        return new Upstreams.HttpCallRequest(
                List.of(
                        Header.of(":method", "GET"),
                        Header.of(":path", path),
                        Header.of(":authority", "test")),
                new byte[0],
                List.of());
    }

    @Test
    void httpCallOutcomesMapToFailureKinds() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (ServerSocket resetter = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t =
                    new Thread(
                            () -> {
                                while (!resetter.isClosed()) {
                                    try (Socket s = resetter.accept()) {
                                        s.getInputStream().read(); // read a byte, then close
                                    } catch (Exception e) {
                                        return;
                                    }
                                }
                            });
            t.setDaemon(true);
            t.start();
            ClusterUpstreams u =
                    upstreams(
                            group,
                            Map.of(
                                    "echo", cluster("echo", upstream.port()),
                                    "dead", cluster("dead", ServerFixture.closedPort()),
                                    "reset", cluster("reset", resetter.getLocalPort())));
            assertTrue(u.hasCluster("echo"));
            assertFalse(u.hasCluster("elsewhere"));

            Upstreams.HttpCallResult ok = call(u, "echo", get("/headers"), Duration.ofSeconds(5));
            assertFalse(ok.isFailure());
            assertEquals(":status", ok.headers().get(0).nameString());
            assertEquals("200", ok.headers().get(0).valueString());
            assertTrue(new String(ok.body(), StandardCharsets.UTF_8).contains("\"headers\""));

            assertEquals(
                    Upstreams.FailureKind.CONNECT_FAILURE,
                    call(u, "dead", get("/"), Duration.ofSeconds(5)).failure());
            assertEquals(
                    Upstreams.FailureKind.RESET,
                    call(u, "reset", get("/"), Duration.ofSeconds(5)).failure());
            assertEquals(
                    Upstreams.FailureKind.TIMEOUT,
                    call(u, "echo", get("/slow?ms=3000"), Duration.ofMillis(200)).failure());
            u.close();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static Upstreams.HttpCallResult call(
            ClusterUpstreams u, String cluster, Upstreams.HttpCallRequest req, Duration timeout)
            throws Exception {
        CompletableFuture<Upstreams.HttpCallResult> result = new CompletableFuture<>();
        u.httpCall(cluster, req, timeout, result::complete);
        return result.get(10, TimeUnit.SECONDS);
    }

    @Test
    void grpcStreamDeliversMetadataMessagesAndCloses() throws Exception {
        health.setStatus("svc", HealthCheckResponse.ServingStatus.SERVING);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            ClusterUpstreams u = upstreams(group, Map.of("grpc", cluster("grpc", grpc.getPort())));
            List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            CompletableFuture<byte[]> first = new CompletableFuture<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            Upstreams.GrpcStream stream =
                    u.grpcStream(
                            "grpc",
                            "grpc.health.v1.Health",
                            "Watch",
                            List.of(Header.of("x-from", "test")),
                            new Upstreams.GrpcListener() {
                                @Override
                                public void onInitialMetadata(List<Header> metadata) {
                                    events.add("initial");
                                }

                                @Override
                                public void onMessage(byte[] message) {
                                    events.add("message");
                                    first.complete(message);
                                }

                                @Override
                                public void onTrailingMetadata(List<Header> metadata) {
                                    events.add("trailers");
                                }

                                @Override
                                public void onClose(int status, String message) {
                                    events.add("close " + status);
                                    closed.complete(status);
                                }
                            });
            // HealthCheckRequest{service: "svc"}
            stream.send(new byte[] {0x0a, 3, 's', 'v', 'c'}, true);
            assertArrayEquals(new byte[] {0x08, 0x01}, first.get(10, TimeUnit.SECONDS));
            health.setStatus("svc", HealthCheckResponse.ServingStatus.NOT_SERVING);
            stream.cancel();
            assertEquals(1, closed.get(10, TimeUnit.SECONDS), "CANCELLED");
            List<String> seen = new ArrayList<>(events);
            assertEquals("initial", seen.get(0));
            assertEquals("close 1", seen.get(seen.size() - 1));
            assertEquals("trailers", seen.get(seen.size() - 2));
            u.close();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
