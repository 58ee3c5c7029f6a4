package org.pwtck.host.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.protobuf.services.HealthStatusManager;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pwtck.host.abi.Header;
import org.pwtck.host.config.ConfigLoader;
import org.pwtck.host.context.Upstreams;
import org.pwtck.host.upstream.ClusterUpstreams;
import org.pwtck.host.upstream.TlsContexts;

/**
 * Clusters with {@code tls}: HTTPS for filters' {@code proxy_http_call} and for the route's
 * upstream, against a real HTTPS upstream whose certificate is issued at test time by a test CA;
 * SNI as the upstream saw it; and what an untrusted or misnamed certificate does.
 */
@Timeout(60)
class ServerTlsTest {
    private static final String NAME = "echo.pwtck.test";
    private static final String UNDOTTED_NAME = "pwtck-upstream";

    static X509Bundle ca;
    static X509Bundle otherCa;
    static X509Bundle server;
    static SSLContext serverTls;

    @TempDir Path dir;
    EchoUpstream secure;
    EchoUpstream plain;
    ServerFixture proxy;

    @BeforeAll
    static void certificates() throws Exception {
        ca = authority("CN=pwtck test CA");
        otherCa = authority("CN=some other CA");
        server =
                new CertificateBuilder()
                        .subject("CN=" + NAME)
                        .addSanDnsName(NAME)
                        .addSanDnsName(UNDOTTED_NAME)
                        .addSanIpAddress("127.0.0.1")
                        .ecp256()
                        .buildIssuedBy(ca);
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(server.toKeyManagerFactory().getKeyManagers(), null, null);
    }

    private static X509Bundle authority(String subject) throws Exception {
        return new CertificateBuilder()
                .subject(subject)
                .setIsCertificateAuthority(true)
                .ecp256()
                .buildSelfSigned();
    }

    @AfterAll
    static void forget() {
        serverTls = null;
        server = null;
    }

    @BeforeEach
    void start() throws Exception {
        secure = new EchoUpstream(serverTls);
        plain = new EchoUpstream();
        Files.writeString(dir.resolve("ca.pem"), ca.getRootCertificatePEM());
        Files.writeString(dir.resolve("other-ca.pem"), otherCa.getRootCertificatePEM());
        String yaml =
                """
                listeners: [{name: main, port: 0}]
                workers: 1
                clusters:
                  plain: {endpoints: ["%1$s"]}
                  secure: {endpoints: ["%2$s"], tls: {caFile: ca.pem, sni: %3$s}}
                  undotted: {endpoints: ["%2$s"], tls: {caFile: ca.pem, sni: %4$s}}
                  nosni: {endpoints: ["%2$s"], tls: {caFile: ca.pem}}
                  wrongca: {endpoints: ["%2$s"], tls: {caFile: other-ca.pem, sni: %3$s}}
                  wrongname: {endpoints: ["%2$s"], tls: {caFile: ca.pem, sni: elsewhere.test}}
                filters:
                  org-product: {path: %5$s, config: {cluster: secure}}
                routes:
                  - {name: call, prefix: /call, cluster: plain, filters: [org-product]}
                  - name: badcall
                    prefix: /badcall
                    cluster: plain
                    filters: [{name: org-product, config: {cluster: wrongca}}]
                  - {name: secure, prefix: /secure, cluster: secure}
                  - {name: undotted, prefix: /undotted, cluster: undotted}
                  - {name: nosni, prefix: /nosni, cluster: nosni}
                  - {name: wrongca, prefix: /wrongca, cluster: wrongca}
                  - {name: wrongname, prefix: /wrongname, cluster: wrongname}
                """
                        .formatted(
                                plain.endpoint(),
                                secure.endpoint(),
                                NAME,
                                UNDOTTED_NAME,
                                ServerFixture.rust("org-product"));
        proxy = ServerFixture.start(dir, yaml);
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        secure.close();
        plain.close();
    }

    @Test
    void aFiltersHttpCallToAnHttpsClusterGetsTheResponse() throws Exception {
        // org-product calls the secure cluster's /headers and maps Org/Product from its body
        HttpResponse<String> r = proxy.get("/call", "Org", "acme", "Product", "rocket");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("x-pwtck-org-product-error").isEmpty(), r.body());
        JsonNode headers = ServerFixture.JSON.readTree(r.body()).get("headers");
        assertEquals("acme", headers.get("x-org").get(0).asText());
        assertEquals("rocket", headers.get("x-product").get(0).asText());
        assertEquals(List.of(NAME), secure.serverNames(), "the call went over TLS with SNI");
    }

    @Test
    void theRoutesUpstreamIsReachedOverTls() throws Exception {
        HttpResponse<String> r = proxy.post("/secure/x?y=1", "hello", "X-Mine", "1");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("1", r.headers().firstValue("x-echo").orElseThrow());
        JsonNode echo = ServerFixture.JSON.readTree(r.body());
        assertEquals("POST", echo.get("method").asText());
        assertEquals("/secure/x?y=1", echo.get("path").asText());
        assertEquals("hello", echo.get("body").asText());
        assertEquals("1", echo.get("headers").get("x-mine").get(0).asText());
        // a second request reuses the pooled TLS connection or makes a new one: both work
        assertEquals(200, proxy.get("/secure/again").statusCode());
        assertEquals(List.of(NAME, NAME), secure.serverNames());
    }

    @Test
    void theUpstreamSeesTheConfiguredServerName() throws Exception {
        // a name without a dot is sent too (the JDK alone would send none for it)
        assertEquals(200, proxy.get("/undotted").statusCode());
        // no sni: the endpoint is an IP address, so no SNI is sent and the certificate is
        // checked against the IP address (it has 127.0.0.1 among its names)
        assertEquals(200, proxy.get("/nosni").statusCode());
        assertEquals(List.of(UNDOTTED_NAME, ""), secure.serverNames());
    }

    @Test
    void anUntrustedOrMisnamedCertificateIsAConnectFailureAndTheProxyKeepsServing()
            throws Exception {
        HttpResponse<String> untrusted = proxy.get("/wrongca");
        assertEquals(503, untrusted.statusCode());
        assertTrue(
                untrusted
                        .body()
                        .startsWith("upstream connect error: wrongca (" + secure.endpoint()),
                untrusted.body());
        assertTrue(untrusted.body().contains("TLS handshake failed"), untrusted.body());
        assertEquals("upstream", untrusted.headers().firstValue("x-pwtck-error-source").get());
        assertEquals(1, proxy.counter("cluster.wrongca.connect_failures"));

        HttpResponse<String> misnamed = proxy.get("/wrongname");
        assertEquals(503, misnamed.statusCode());
        assertTrue(misnamed.body().contains("TLS handshake failed"), misnamed.body());
        assertEquals(1, proxy.counter("cluster.wrongname.connect_failures"));

        // a filter's call to the untrusted cluster fails (the filter resumes the request)
        HttpResponse<String> call = proxy.get("/badcall", "Org", "acme");
        assertEquals(200, call.statusCode());
        assertEquals("call failed", call.headers().firstValue("x-pwtck-org-product-error").get());

        assertTrue(secure.serverNames().isEmpty(), "no request got through a failed handshake");
        assertEquals(200, proxy.get("/secure").statusCode(), "the proxy keeps serving");
    }

    // ---- the Upstreams implementation directly: what a filter's call sees ----

    @Test
    void httpCallOverTlsReturnsHeadersBodyOrAConnectFailure() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ClusterUpstreams u = new ClusterUpstreams(group, new TlsContexts());
        try {
            u.clusters(ConfigLoader.load(proxy.config).clusters());
            Upstreams.HttpCallResult ok = call(u, "secure", "/anything/call", "payload");
            assertFalse(ok.isFailure());
            assertEquals(":status", ok.headers().get(0).nameString());
            assertEquals("200", ok.headers().get(0).valueString());
            assertTrue(
                    ok.headers().stream()
                            .anyMatch(
                                    h ->
                                            h.nameString().equals("x-echo")
                                                    && h.valueString().equals("1")),
                    ok.headers().toString());
            JsonNode echo = ServerFixture.JSON.readTree(ok.body());
            assertEquals("/anything/call", echo.get("path").asText());
            assertEquals("payload", echo.get("body").asText());
            assertEquals(List.of("secure"), jsonList(echo.get("headers").get("host")));

            for (String cluster : List.of("wrongca", "wrongname")) {
                Upstreams.HttpCallResult failed = call(u, cluster, "/", "");
                assertEquals(Upstreams.FailureKind.CONNECT_FAILURE, failed.failure(), cluster);
                assertTrue(failed.headers().isEmpty(), cluster);
            }
            assertEquals(List.of(NAME), secure.serverNames());
        } finally {
            u.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void grpcToATlsClusterTrustsTheCaBundle() throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
        Server grpc =
                Grpc.newServerBuilderForPort(
                                0,
                                TlsServerCredentials.create(
                                        server.toTempCertChainPem(), server.toTempPrivateKeyPem()))
                        .addService(health.getHealthService())
                        .build()
                        .start();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ClusterUpstreams u = new ClusterUpstreams(group, new TlsContexts());
        try {
            String ep = "127.0.0.1:" + grpc.getPort();
            Files.writeString(
                    dir.resolve("grpc.yaml"),
                    """
                    listeners: [{port: 0}]
                    clusters:
                      grpcs: {endpoints: ["%1$s"], tls: {caFile: ca.pem, sni: %2$s}}
                      grpcwrongca: {endpoints: ["%1$s"], tls: {caFile: other-ca.pem, sni: %2$s}}
                    routes: [{prefix: /, cluster: grpcs}]
                    """
                            .formatted(ep, NAME));
            u.clusters(ConfigLoader.load(dir.resolve("grpc.yaml")).clusters());
            // HealthCheckResponse{status: SERVING(1)} = field 1, varint 1
            assertEquals("0 0801", healthCheck(u, "grpcs"));
            assertEquals("14", healthCheck(u, "grpcwrongca").split(" ")[0], "UNAVAILABLE");
        } finally {
            u.close();
            grpc.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** grpc.health.v1.Health/Check(""): "<status> <response message as hex>". */
    private static String healthCheck(ClusterUpstreams u, String cluster) throws Exception {
        CompletableFuture<String> closed = new CompletableFuture<>();
        StringBuilder message = new StringBuilder();
        u.grpcCall(
                cluster,
                "grpc.health.v1.Health",
                "Check",
                List.of(),
                new byte[0],
                Duration.ofSeconds(10),
                new Upstreams.GrpcListener() {
                    @Override
                    public void onInitialMetadata(List<Header> metadata) {}

                    @Override
                    public void onMessage(byte[] bytes) {
                        message.append(HexFormat.of().formatHex(bytes));
                    }

                    @Override
                    public void onTrailingMetadata(List<Header> metadata) {}

                    @Override
                    public void onClose(int status, String text) {
                        closed.complete(status + " " + message);
                    }
                });
        return closed.get(15, TimeUnit.SECONDS).trim();
    }

    private static List<String> jsonList(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }

    private static Upstreams.HttpCallResult call(
            ClusterUpstreams u, String cluster, String path, String body) throws Exception {
        CompletableFuture<Upstreams.HttpCallResult> result = new CompletableFuture<>();
        u.httpCall(
                cluster,
                new Upstreams.HttpCallRequest(
                        List.of(
                                Header.of(":method", "POST"),
                                Header.of(":path", path),
                                Header.of(":authority", cluster)),
                        body.getBytes(StandardCharsets.UTF_8),
                        List.of()),
                Duration.ofSeconds(5),
                result::complete);
        return result.get(15, TimeUnit.SECONDS);
    }
}
