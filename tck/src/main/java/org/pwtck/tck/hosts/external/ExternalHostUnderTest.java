package org.pwtck.tck.hosts.external;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pwtck.reports.model.HostInfo;
import org.pwtck.tck.api.Backends;
import org.pwtck.tck.api.Deployment;
import org.pwtck.tck.api.DeploymentDeferredException;
import org.pwtck.tck.api.DeploymentException;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.api.HostUnderTest;
import org.pwtck.tck.http.EchoBackend;
import org.pwtck.tck.http.ProxyExchange;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;

/**
 * A proxy the user runs ({@code pwtck.host=external}), in two phases. Without {@code
 * pwtck.external.url} the run writes a bundle (every module and configuration the cases need, one
 * port each, with Envoy, Istio and Kong configuration) and every case is SKIPPED as "bundled". With
 * the URL, each case's deployment is looked up in that bundle and its traffic goes to the proxy on
 * the deployment's port; the probe reports through responses, so no log access is needed.
 */
public final class ExternalHostUnderTest implements HostUnderTest {
    private final Path bundleDir;
    private final Optional<URI> url;
    private final int basePort;
    private final Duration timeout;
    private final String name;
    private final int echoPort;
    private final Bundle bundle;
    private final HttpClient http = ProxyExchange.newClient();
    private Map<String, Integer> ports = Map.of();
    private EchoBackend echo;
    private int grpcPort;
    private int httpbinPort;

    ExternalHostUnderTest(
            Path bundleDir,
            Optional<URI> url,
            int basePort,
            Duration timeout,
            String name,
            int echoPort) {
        this.echoPort = echoPort;
        this.bundleDir = bundleDir;
        this.url = url;
        this.basePort = basePort;
        this.timeout = timeout;
        this.name = name;
        this.bundle = new Bundle(basePort);
    }

    @Override
    public HostInfo info() {
        return new HostInfo(
                "external",
                name,
                "unknown",
                "unknown",
                Map.of(
                        "phase", url.isPresent() ? "traffic" : "bundle",
                        "url", url.map(URI::toString).orElse("(none)"),
                        "bundle", bundleDir.toAbsolutePath().toString()));
    }

    /** The bundle holds HTTP filters only: network filters are not bundled yet. */
    @Override
    public java.util.Set<Feature> supportedFeatures() {
        java.util.Set<Feature> all = java.util.EnumSet.allOf(Feature.class);
        all.remove(Feature.NETWORK_FILTER);
        return all;
    }

    /** The proxy is configured with the echo's address, so it must not change between phases. */
    @Override
    public int echoPort() {
        return echoPort;
    }

    @Override
    public void start(EchoBackend echo) throws IOException {
        start(Backends.echoOnly(echo));
    }

    @Override
    public void start(Backends backends) throws IOException {
        this.echo = backends.echo();
        this.grpcPort = backends.grpc().map(g -> g.port()).orElse(0);
        this.httpbinPort = backends.httpbin().map(h -> h.port()).orElse(0);
        if (url.isPresent()) {
            ports = Bundle.ports(bundleDir);
            if (ports.isEmpty()) {
                throw new IOException(bundleDir.resolve("bundle.json") + " lists no deployments");
            }
        }
    }

    @Override
    public Deployment deploy(FilterSpec spec) throws DeploymentException {
        if (url.isEmpty()) {
            Bundle.Entry e = bundle.add(spec);
            throw new DeploymentDeferredException(
                    "bundled as "
                            + e.key()
                            + " on port "
                            + e.port()
                            + " in "
                            + bundleDir
                            + "; deploy the bundle and run again with -Dpwtck.external.url=<proxy>");
        }
        String key = Bundle.key(spec);
        Integer port = ports.get(key);
        if (port == null) {
            throw new DeploymentException(
                    spec.name()
                            + " ["
                            + spec.language()
                            + "] ("
                            + key
                            + ") is not in "
                            + bundleDir
                            + ": the cases changed since the bundle was written; write it again");
        }
        URI base = URI.create(url.get().getScheme() + "://" + url.get().getHost() + ":" + port);
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
                return List.of("external proxy at " + base + " (deployment " + key + ")");
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public void close() throws IOException {
        if (url.isEmpty() && bundle.size() > 0) {
            bundle.write(
                    bundleDir, echo.uri().getHost(), echo.port(), grpcPort, httpbinPort, timeout);
        }
    }
}
