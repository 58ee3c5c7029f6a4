package org.pwtck.tck.hosts.envoy;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.pwtck.tck.api.Deployment;
import org.pwtck.tck.http.EchoBackend;
import org.pwtck.tck.http.ProxyExchange;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;

/** One filter on its own local Envoy process; closing it stops Envoy and deletes its files. */
final class EnvoyDeployment implements Deployment {
    private final EnvoyProcess envoy;
    private final RunDir runDir;
    private final HttpClient http;
    private final EchoBackend echo;
    private final Duration timeout;
    private final URI listener;
    private final boolean abiTrace;

    EnvoyDeployment(
            EnvoyProcess envoy,
            RunDir runDir,
            HttpClient http,
            EchoBackend echo,
            Duration timeout,
            boolean abiTrace) {
        this.abiTrace = abiTrace;
        this.envoy = envoy;
        this.runDir = runDir;
        this.http = http;
        this.echo = echo;
        this.timeout = timeout;
        this.listener = URI.create("http://127.0.0.1:" + envoy.listenerPort());
    }

    @Override
    public TckResponse exchange(TckRequest request) throws Exception {
        return ProxyExchange.exchange(http, listener, request, echo, timeout, envoy::deathReason);
    }

    @Override
    public Optional<URI> listener() {
        return Optional.of(listener);
    }

    /**
     * The wasm filter's log lines (proxy_log, WASI output, trap reports), as {@code LEVEL <prefix>:
     * message}; Envoy's prefix is {@code <name> <root_id> <vm_id>} for stream contexts and {@code
     * <root_id> <vm_id>} for root contexts (empty parts left out).
     */
    @Override
    public List<String> logs() {
        return envoy.log().filterLines(abiTrace);
    }

    /** Envoy's admin interface, e.g. for {@code /stats?filter=^wasmcustom\.}. */
    URI admin() {
        return envoy.admin();
    }

    long readyMillis() {
        return envoy.readyMillis();
    }

    @Override
    public void close() {
        try {
            envoy.close();
        } finally {
            runDir.close();
        }
    }
}
