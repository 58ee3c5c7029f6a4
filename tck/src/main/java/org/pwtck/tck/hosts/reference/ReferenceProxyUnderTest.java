package org.pwtck.tck.hosts.reference;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.config.ConfigException;
import org.pwtck.host.config.ConfigLoader;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.server.ProxyServer;
import org.pwtck.host.vm.EngineMode;
import org.pwtck.reports.model.HostInfo;
import org.pwtck.tck.api.Backends;
import org.pwtck.tck.api.Deployment;
import org.pwtck.tck.api.DeploymentException;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.api.HostUnderTest;
import org.pwtck.tck.http.EchoBackend;
import org.pwtck.tck.http.ProxyExchange;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;

/**
 * The reference host as a real proxy ({@code pwtck.host=reference-proxy}): each deployment starts
 * the Netty {@link ProxyServer} in this JVM from a generated config (one listener, the filter alone
 * in the chain, the echo backend as upstream and as the {@code httpbin} cluster) and the TCK talks
 * to it over sockets, as it talks to Envoy.
 */
public final class ReferenceProxyUnderTest implements HostUnderTest {
    private final EngineMode engine;
    private final Duration timeout;
    private EchoBackend echo;
    private Backends backends;
    private final java.net.http.HttpClient http = ProxyExchange.newClient();

    public ReferenceProxyUnderTest(EngineMode engine, Duration timeout) {
        this.engine = engine;
        this.timeout = timeout;
    }

    @Override
    public HostInfo info() {
        return new HostInfo(
                "reference-proxy",
                "pwtck reference host (proxy)",
                ProxyServer.class.getPackage().getImplementationVersion() != null
                        ? ProxyServer.class.getPackage().getImplementationVersion()
                        : "0.1.0-SNAPSHOT",
                "chicory 1.7.5 " + engine.name().toLowerCase(java.util.Locale.ROOT),
                Map.of("transport", "HTTP/1.1 over loopback (Netty)", "workers", "1"));
    }

    @Override
    public Set<Feature> supportedFeatures() {
        Set<Feature> all = EnumSet.allOf(Feature.class);
        all.remove(Feature.NETWORK_FILTER); // the proxy serves HTTP listeners only
        return all;
    }

    @Override
    public void start(EchoBackend echo) {
        start(Backends.echoOnly(echo));
    }

    @Override
    public void start(Backends backends) {
        this.backends = backends;
        this.echo = backends.echo();
    }

    @Override
    public Deployment deploy(FilterSpec spec) throws DeploymentException {
        Path dir;
        try {
            dir = Files.createTempDirectory("pwtck-proxy-");
            Files.write(dir.resolve("filter.wasm"), spec.wasm());
            Path config = dir.resolve("host.yaml");
            Files.writeString(config, yaml(spec));
            HostConfig parsed = ConfigLoader.load(config);
            ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
            HostServices services =
                    HostServices.inMemory()
                            .withLog(
                                    (plugin, level, message) ->
                                            log.add(level + " " + plugin + ": " + message));
            ProxyServer server = ProxyServer.start(parsed, services);
            URI base = URI.create("http://127.0.0.1:" + server.port("main"));
            return new Deployment() {
                @Override
                public TckResponse exchange(TckRequest request) throws Exception {
                    return ProxyExchange.exchange(
                            http, base, request, echo, timeout, ProxyExchange.ALWAYS_ALIVE);
                }

                @Override
                public Optional<URI> listener() {
                    return Optional.of(base);
                }

                @Override
                public List<String> logs() {
                    return List.copyOf(log);
                }

                @Override
                public void close() throws IOException {
                    server.close();
                    deleteTree(dir);
                }
            };
        } catch (ConfigException e) {
            throw new DeploymentException(
                    "reference proxy refused the filter: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DeploymentException(
                    "cannot write the deployment's files: " + e.getMessage(), e);
        }
    }

    /**
     * One listener, the filter alone in the chain, the echo as upstream and httpbin cluster, and
     * the session's network clusters (gRPC, real httpbin).
     */
    private String yaml(FilterSpec spec) {
        HostConfig.Endpoint echoAt = new HostConfig.Endpoint("127.0.0.1", echo.port());
        ProxyConfigBuilder config =
                new ProxyConfigBuilder()
                        .listener("main", "127.0.0.1", 0)
                        .admin("127.0.0.1", 0)
                        .workers(1)
                        // Generous deadlines: a Go module's start in the interpreter on a busy
                        // machine takes seconds, and the TCK checks behaviour, not speed.
                        .pausedStreamTimeout(timeout)
                        .callbackDeadline(Duration.ofSeconds(60))
                        .cluster("upstream", List.of(echoAt))
                        .cluster(FilterSpec.HTTPBIN_CLUSTER, List.of(echoAt));
        NetworkClusters.endpoints(backends)
                .forEach((name, ep) -> config.cluster(name, List.of(ep)));
        config.filter(spec.name(), Path.of("filter.wasm"))
                .config(new String(spec.pluginConfiguration(), StandardCharsets.UTF_8))
                .vmConfig(new String(spec.vmConfiguration(), StandardCharsets.UTF_8))
                .rootId(spec.rootId())
                .vmId(spec.vmId())
                .engine(engine)
                .logLevel(LogLevel.TRACE)
                .failPolicy(HostConfig.FailPolicy.CLOSED);
        return config.route("all", "/", "upstream", List.of(spec.name())).toYaml();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() {}
}
