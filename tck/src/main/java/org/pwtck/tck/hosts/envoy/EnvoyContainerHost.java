package org.pwtck.tck.hosts.envoy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.testcontainers.DockerClientFactory;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * Envoy in a container, one per deployment (see {@link EnvoyDockerHostProvider}). The bootstrap is
 * the local host's with the listener on {@code 0.0.0.0:}{@value #LISTEN_PORT}, the admin on {@code
 * 0.0.0.0:}{@value #ADMIN_PORT} (both mapped to host ports by Testcontainers) and the echo at
 * {@code host.testcontainers.internal} (ENVOY.md §0). Readiness is the admin's {@code /ready}.
 */
final class EnvoyContainerHost implements HostUnderTest {
    static final int LISTEN_PORT = 10000;
    static final int ADMIN_PORT = 9901;
    static final String HOST_ALIAS = "host.testcontainers.internal";
    private static final String DIR = "/etc/pwtck/";

    private final String image;
    private final Duration exchangeTimeout;
    private final Duration readyTimeout;
    private final String wasmLogLevel;
    private final boolean abiTrace;
    private final HttpClient http = ProxyExchange.newClient();
    private EchoBackend echo;
    private int grpcPort;
    private int httpbinPort;

    EnvoyContainerHost(
            String image,
            Duration exchangeTimeout,
            Duration readyTimeout,
            String wasmLogLevel,
            boolean abiTrace) {
        this.image = image;
        this.exchangeTimeout = exchangeTimeout;
        this.readyTimeout = readyTimeout;
        this.wasmLogLevel = wasmLogLevel;
        this.abiTrace = abiTrace;
    }

    /** Why Testcontainers cannot use a Docker engine here, or empty if it can. */
    static Optional<String> dockerProblem() {
        try {
            DockerClientFactory.instance().client();
            return Optional.empty();
        } catch (Throwable e) {
            String m = e.getMessage();
            m = m == null || m.isBlank() ? e.getClass().getName() : m.strip();
            return Optional.of(m + " [" + environment() + "]");
        }
    }

    /** What Testcontainers had to go on, since its own message only says "see logs". */
    private static String environment() {
        String dockerHost = System.getenv("DOCKER_HOST");
        return "DOCKER_HOST="
                + (dockerHost == null ? "unset" : dockerHost)
                + ", /var/run/docker.sock "
                + (java.nio.file.Files.exists(Path.of("/var/run/docker.sock"))
                        ? "exists"
                        : "absent");
    }

    @Override
    public HostInfo info() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("image", image);
        details.put(
                "transport",
                "one Envoy container per deployment (Testcontainers), HTTP/1.1 to a mapped port,"
                        + " --concurrency 1");
        String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "latest";
        return new HostInfo(
                "envoy-docker",
                "Envoy (container)",
                tag.startsWith("v") ? tag.substring(1) : tag,
                EnvoyHostUnderTest.ENGINE,
                details);
    }

    @Override
    public Set<Feature> supportedFeatures() {
        Set<Feature> all = EnumSet.allOf(Feature.class);
        all.remove(Feature.NETWORK_FILTER); // this adapter deploys HTTP filters only (for now)
        return all;
    }

    @Override
    public void start(EchoBackend echo) throws IOException {
        start(Backends.echoOnly(echo));
    }

    @Override
    public void start(Backends backends) throws IOException {
        echo = backends.echo();
        echo.start();
        Testcontainers.exposeHostPorts(echo.port());
        grpcPort = backends.grpc().map(g -> g.port()).orElse(0);
        httpbinPort = backends.httpbin().map(h -> h.port()).orElse(0);
        for (int port : new int[] {grpcPort, httpbinPort}) {
            if (port > 0) {
                Testcontainers.exposeHostPorts(port);
            }
        }
    }

    @Override
    public Deployment deploy(FilterSpec spec) throws DeploymentException {
        RunDir dir;
        Path wasm;
        Path config;
        try {
            dir = RunDir.create(spec.name(), false);
            wasm = dir.write("plugin.wasm", spec.wasm());
            EnvoyBootstrap.Network net =
                    new EnvoyBootstrap.Network(
                                    "0.0.0.0",
                                    LISTEN_PORT,
                                    "0.0.0.0",
                                    ADMIN_PORT,
                                    HOST_ALIAS,
                                    echo.port(),
                                    exchangeTimeout.plusSeconds(5))
                            .withUpstreams(grpcPort, httpbinPort, 0);
            config =
                    dir.write(
                            "envoy.yaml",
                            EnvoyBootstrap.yaml(spec, DIR + "plugin.wasm", net)
                                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DeploymentException("could not write the Envoy bootstrap: " + e, e);
        }
        EnvoyLog log = new EnvoyLog();
        List<String> command = EnvoyProcess.arguments(DIR + "envoy.yaml", wasmLogLevel);
        GenericContainer<?> container =
                new GenericContainer<>(DockerImageName.parse(image))
                        .withCopyFileToContainer(
                                MountableFile.forHostPath(wasm, 0644), DIR + "plugin.wasm")
                        .withCopyFileToContainer(
                                MountableFile.forHostPath(config, 0644), DIR + "envoy.yaml")
                        .withEnv("ENVOY_UID", "0")
                        .withCommand(command.toArray(String[]::new))
                        .withExposedPorts(LISTEN_PORT, ADMIN_PORT)
                        .withLogConsumer(
                                frame ->
                                        frame.getUtf8StringWithoutLineEnding()
                                                .lines()
                                                .forEach(l -> log.add(EnvoyLog.Line.parse(l))))
                        .waitingFor(
                                Wait.forHttp("/ready")
                                        .forPort(ADMIN_PORT)
                                        .forStatusCode(200)
                                        .withStartupTimeout(readyTimeout));
        try {
            container.start();
        } catch (RuntimeException e) {
            try {
                container.stop();
            } finally {
                dir.close();
            }
            throw new DeploymentException(
                    "Envoy (container "
                            + image
                            + ") refused filter "
                            + spec.name()
                            + ": "
                            + log.reason(6),
                    e);
        }
        URI listener =
                URI.create(
                        "http://"
                                + container.getHost()
                                + ":"
                                + container.getMappedPort(LISTEN_PORT));
        return new ContainerDeployment(container, dir, log, listener);
    }

    @Override
    public void close() {}

    /** One filter in its own container. */
    private final class ContainerDeployment implements Deployment {
        private final GenericContainer<?> container;
        private final RunDir dir;
        private final EnvoyLog log;
        private final URI listener;

        ContainerDeployment(GenericContainer<?> container, RunDir dir, EnvoyLog log, URI listener) {
            this.container = container;
            this.dir = dir;
            this.log = log;
            this.listener = listener;
        }

        @Override
        public TckResponse exchange(TckRequest request) throws Exception {
            return ProxyExchange.exchange(
                    http,
                    listener,
                    request,
                    echo,
                    exchangeTimeout,
                    () ->
                            container.isRunning()
                                    ? Optional.empty()
                                    : Optional.of("the container stopped: " + log.reason(6)));
        }

        @Override
        public Optional<URI> listener() {
            return Optional.of(listener);
        }

        @Override
        public List<String> logs() {
            return new ArrayList<>(log.filterLines(abiTrace));
        }

        @Override
        public void close() {
            try {
                container.stop();
            } finally {
                dir.close();
            }
        }
    }
}
