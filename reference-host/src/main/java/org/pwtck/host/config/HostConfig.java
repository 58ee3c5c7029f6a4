package org.pwtck.host.config;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.vm.EngineMode;

/**
 * The proxy's configuration, as loaded and checked by {@link ConfigLoader}: listeners, the admin
 * endpoint, limits, upstream clusters, filters and routes with ordered filter chains. Every value
 * here has passed validation; paths are absolute.
 */
public record HostConfig(
        Path source,
        List<Listener> listeners,
        Admin admin,
        int workers,
        Limits limits,
        Map<String, Cluster> clusters,
        Map<String, Filter> filters,
        List<Route> routes) {

    /**
     * A port the proxy serves HTTP on; port 0 picks a free one. With {@code h2c} it also speaks
     * HTTP/2 in cleartext on the same port (prior knowledge or an HTTP/1.1 {@code Upgrade: h2c}).
     */
    public record Listener(String name, String address, int port, boolean h2c) {}

    /** The admin endpoint (a separate port); port 0 picks a free one. */
    public record Admin(String address, int port) {}

    /** Limits that turn into 400/413/431/504 answers and VM failures. */
    public record Limits(
            int maxInitialLineBytes,
            int maxHeaderBytes,
            int bufferLimitBytes,
            Duration callbackDeadline,
            Duration pausedStreamTimeout) {
        public static Limits defaults() {
            return new Limits(4096, 8192, 1 << 20, Duration.ofSeconds(1), Duration.ofSeconds(30));
        }
    }

    /** One host:port of a cluster. */
    public record Endpoint(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /**
     * TLS towards a cluster: a CA bundle (PEM), read and parsed when the config is loaded ({@code
     * caFile} null and {@code caCertificates} empty = the JDK's trust store), and the server name
     * sent as SNI and checked against the certificate (null = the endpoint's host).
     */
    public record Tls(Path caFile, List<X509Certificate> caCertificates, String sni) {
        public Tls {
            caCertificates = List.copyOf(caCertificates);
        }
    }

    /** An upstream cluster by name: the only addresses the proxy and its filters may reach. */
    public record Cluster(
            String name,
            List<Endpoint> endpoints,
            Duration connectTimeout,
            Duration requestTimeout,
            Optional<Tls> tls) {}

    /** What a filter does when its VM fails: CLOSED answers 503, OPEN skips the filter. */
    public enum FailPolicy {
        CLOSED,
        OPEN
    }

    /** A filter by name: its module and how to run it. */
    public record Filter(
            String name,
            Path path,
            String sha256,
            String vmId,
            String rootId,
            String vmConfig,
            String pluginConfig,
            EngineMode engine,
            FailPolicy failPolicy,
            LogLevel logLevel,
            int maxMemoryPages,
            Map<String, String> environment) {}

    /** One step of a route's chain: a filter, with its own plugin configuration if given. */
    public record ChainEntry(String filter, Optional<String> pluginConfig) {}

    /** A path prefix → an upstream cluster, through an ordered filter chain. */
    public record Route(String name, String prefix, String cluster, List<ChainEntry> filters) {}

    /** The first route whose prefix the path starts with, in the order listed. */
    public Optional<Route> route(String path) {
        for (Route r : routes) {
            if (path.startsWith(r.prefix())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The effective configuration as a plain tree (for {@code /config}). */
    public Map<String, Object> toTree() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", source.toString());
        out.put(
                "listeners",
                listeners.stream()
                        .map(
                                l ->
                                        Map.of(
                                                "name",
                                                l.name(),
                                                "address",
                                                l.address(),
                                                "port",
                                                l.port(),
                                                "h2c",
                                                l.h2c()))
                        .toList());
        out.put("admin", Map.of("address", admin.address(), "port", admin.port()));
        out.put("workers", workers);
        out.put(
                "limits",
                Map.of(
                        "maxInitialLineBytes", limits.maxInitialLineBytes(),
                        "maxHeaderBytes", limits.maxHeaderBytes(),
                        "bufferLimitBytes", limits.bufferLimitBytes(),
                        "callbackDeadline", limits.callbackDeadline().toMillis() + "ms",
                        "pausedStreamTimeout", limits.pausedStreamTimeout().toMillis() + "ms"));
        Map<String, Object> cl = new LinkedHashMap<>();
        clusters.forEach(
                (name, c) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("endpoints", c.endpoints().stream().map(Endpoint::toString).toList());
                    m.put("connectTimeout", c.connectTimeout().toMillis() + "ms");
                    m.put("requestTimeout", c.requestTimeout().toMillis() + "ms");
                    c.tls()
                            .ifPresent(
                                    t -> {
                                        Map<String, Object> tls = new LinkedHashMap<>();
                                        tls.put(
                                                "caFile",
                                                t.caFile() == null ? null : t.caFile().toString());
                                        tls.put("sni", t.sni());
                                        m.put("tls", tls);
                                    });
                    cl.put(name, m);
                });
        out.put("clusters", cl);
        Map<String, Object> fl = new LinkedHashMap<>();
        filters.forEach(
                (name, f) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("path", f.path().toString());
                    m.put("sha256", f.sha256());
                    m.put("vmId", f.vmId());
                    m.put("rootId", f.rootId());
                    m.put("vmConfig", f.vmConfig());
                    m.put("config", f.pluginConfig());
                    m.put("engine", f.engine().name().toLowerCase());
                    m.put("failPolicy", f.failPolicy().name().toLowerCase());
                    m.put("logLevel", f.logLevel().name().toLowerCase());
                    m.put("maxMemoryPages", f.maxMemoryPages());
                    m.put("env", f.environment());
                    fl.put(name, m);
                });
        out.put("filters", fl);
        out.put(
                "routes",
                routes.stream()
                        .map(
                                r -> {
                                    Map<String, Object> m = new LinkedHashMap<>();
                                    m.put("name", r.name());
                                    m.put("prefix", r.prefix());
                                    m.put("cluster", r.cluster());
                                    m.put(
                                            "filters",
                                            r.filters().stream()
                                                    .map(
                                                            e -> {
                                                                Map<String, Object> x =
                                                                        new LinkedHashMap<>();
                                                                x.put("name", e.filter());
                                                                e.pluginConfig()
                                                                        .ifPresent(
                                                                                c ->
                                                                                        x.put(
                                                                                                "config",
                                                                                                c));
                                                                return x;
                                                            })
                                                    .toList());
                                    return m;
                                })
                        .toList());
        return out;
    }
}
