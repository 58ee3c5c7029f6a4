package org.pwtck.tck.latency.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.pwtck.tck.api.DeploymentException;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.hosts.envoy.EnvoyBootstrap;
import org.pwtck.tck.hosts.envoy.EnvoyProcess;

/**
 * Envoy on the TCK's bootstrap (one worker, HTTP/1.1 on loopback, the upstream and {@code httpbin}
 * clusters on the bench upstream), with the filter in V8 or with no filter at all. The wasm logger
 * is at {@code warn}: the TCK's {@code trace} would log every host call and be measured.
 */
final class EnvoyTarget implements Target {
    private final EnvoyProcess envoy;
    private final String describe;

    private EnvoyTarget(EnvoyProcess envoy, String describe) {
        this.envoy = envoy;
        this.describe = describe;
    }

    static EnvoyTarget start(
            Path binary,
            Path dir,
            int upstreamPort,
            Optional<FilterUnderTest> filter,
            Duration ready)
            throws IOException, DeploymentException {
        EnvoyBootstrap.Network net =
                EnvoyBootstrap.Network.loopback(upstreamPort, Duration.ofSeconds(30));
        String yaml;
        if (filter.isPresent()) {
            FilterUnderTest f = filter.get();
            FilterSpec spec =
                    FilterSpec.of(f.name(), f.language(), Files.readAllBytes(f.wasm()), f.config());
            yaml = EnvoyBootstrap.yaml(spec, f.wasm().toAbsolutePath().toString(), net);
        } else {
            yaml = EnvoyBootstrap.withoutFilter(net);
        }
        Path config = dir.resolve("envoy.yaml");
        Files.writeString(config, yaml, StandardCharsets.UTF_8);
        EnvoyProcess envoy =
                EnvoyProcess.start(binary, dir, config, "warn", ready, HttpClient.newHttpClient());
        return new EnvoyTarget(
                envoy,
                "envoy -c envoy.yaml --concurrency 1 (ready in " + envoy.readyMillis() + " ms)");
    }

    @Override
    public URI uri() {
        return URI.create("http://127.0.0.1:" + envoy.listenerPort());
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(envoy.pid());
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public void close() {
        envoy.close();
    }
}
