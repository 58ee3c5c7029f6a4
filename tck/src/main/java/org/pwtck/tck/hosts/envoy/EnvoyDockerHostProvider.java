package org.pwtck.tck.hosts.envoy;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.pwtck.tck.api.HostUnderTest;
import org.pwtck.tck.api.HostUnderTestProvider;
import org.pwtck.tck.api.TckConfig;

/**
 * {@code pwtck.host=envoy-docker}: Envoy in a container through Testcontainers (image {@value
 * #IMAGE}, or {@code pwtck.envoy.image}), with the same bootstrap as the local host; the container
 * reaches the echo backend at {@code host.testcontainers.internal}.
 *
 * <p>Without a Docker engine (or without Testcontainers on the classpath — it is an optional
 * dependency of the TCK jar), {@link #create} fails with a message naming the reason and the
 * alternative, and every case is SKIPPED with it. This class refers to no Testcontainers type, so
 * the {@link java.util.ServiceLoader} can load it either way.
 */
public final class EnvoyDockerHostProvider implements HostUnderTestProvider {
    /** The image the TCK pins (ENVOY.md §0). */
    public static final String IMAGE = "envoyproxy/envoy:v1.40.0";

    private final Supplier<Optional<String>> dockerProblem;

    public EnvoyDockerHostProvider() {
        this(EnvoyDockerHostProvider::testcontainersProblem);
    }

    /** For tests: decides whether Docker is usable ({@code Optional.empty()}) or why not. */
    EnvoyDockerHostProvider(Supplier<Optional<String>> dockerProblem) {
        this.dockerProblem = dockerProblem;
    }

    @Override
    public String id() {
        return "envoy-docker";
    }

    @Override
    public HostUnderTest create(TckConfig config) throws Exception {
        Optional<String> problem = dockerProblem.get();
        if (problem.isPresent()) {
            throw new IllegalStateException(noDockerMessage(problem.get()));
        }
        return new EnvoyContainerHost(
                config.get("pwtck.envoy.image").orElse(IMAGE),
                config.exchangeTimeout(),
                Duration.ofSeconds(
                        Long.parseLong(config.get("pwtck.envoy.ready.seconds").orElse("60"))),
                config.get("pwtck.envoy.wasm.log.level").orElse("trace"),
                Boolean.parseBoolean(config.get("pwtck.envoy.log.abi").orElse("false")));
    }

    /** The setup error when no engine is usable. */
    static String noDockerMessage(String reason) {
        return "no Docker engine found (Testcontainers: "
                + reason
                + "); use -Dtck.host=envoy with a local binary ("
                + EnvoyBinary.INSTALL
                + ")";
    }

    private static Optional<String> testcontainersProblem() {
        try {
            Class.forName(
                    "org.testcontainers.DockerClientFactory",
                    false,
                    EnvoyDockerHostProvider.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return Optional.of(
                    "Testcontainers is not on the classpath; add org.testcontainers:testcontainers:2.0.5");
        }
        return EnvoyContainerHost.dockerProblem();
    }
}
