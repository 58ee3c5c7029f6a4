package org.pwtck.tck.junit;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.pwtck.reports.model.CompatibilityReport;
import org.pwtck.reports.model.HostInfo;
import org.pwtck.reports.model.Provenance;
import org.pwtck.tck.api.Backends;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.api.HostUnderTest;
import org.pwtck.tck.api.HostUnderTestProvider;
import org.pwtck.tck.api.TckConfig;
import org.pwtck.tck.filters.FilterCatalog;
import org.pwtck.tck.http.EchoBackend;
import org.pwtck.tck.http.GrpcBackend;
import org.pwtck.tck.http.RealHttpbin;
import org.pwtck.tck.http.TcpEchoBackend;
import org.pwtck.tck.report.ReportWriter;
import org.pwtck.tck.report.ResultCollector;
import org.pwtck.tck.report.RunProvenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one TCK run shares, kept in the root extension store so it lives exactly as long as
 * the run: the configuration, the host (started once), the echo backend, the filter catalog, the
 * expectations and the results. When the run ends it closes the host and writes the report.
 *
 * <p>If the host cannot be created or started, or the expectation file is malformed, the session
 * still exists with {@link #setupError()} set: every case is then SKIPPED with that one message
 * instead of the run dying with a stack trace.
 */
public final class TckSession implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TckSession.class);
    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(TckSession.class);

    private final TckConfig config;
    private final FilterCatalog catalog = FilterCatalog.fromClasspath();
    private final ResultCollector results = new ResultCollector();
    private final EchoBackend echo = new EchoBackend();
    private final GrpcBackend grpc = new GrpcBackend();
    private final TcpEchoBackend tcpEcho = new TcpEchoBackend();
    private RealHttpbin httpbin;
    private String httpbinUnavailable = "the session did not start";
    private final long startedNanos = System.nanoTime();
    private final Instant startedAt = Instant.now();
    private HostUnderTest host;
    private HostInfo hostInfo;
    private Expectations expectations = Expectations.none();
    private String setupError;

    private TckSession(TckConfig config) {
        this.config = config;
        try {
            host = createHost(config);
            hostInfo = host.info();
            echo.start(
                    config.get("pwtck.echo.host").orElse("127.0.0.1"),
                    Integer.parseInt(
                            config.get("pwtck.echo.port")
                                    .orElse(Integer.toString(host.echoPort()))));
            expectations = Expectations.load(config.host(), config.expectations());
            String address = config.get("pwtck.echo.host").orElse("127.0.0.1");
            grpc.start(address, Integer.parseInt(config.get("pwtck.grpc.port").orElse("0")));
            tcpEcho.start(address, Integer.parseInt(config.get("pwtck.tcp.port").orElse("0")));
            startHttpbin(address);
            host.start(
                    new Backends(
                            address,
                            echo,
                            Optional.of(grpc),
                            Optional.ofNullable(httpbin),
                            Optional.of(tcpEcho)));
            LOG.info(
                    "pwtck: host {} ({} {}, {}); filters: {}; expectations: {}",
                    hostInfo.id(),
                    hostInfo.name(),
                    hostInfo.version(),
                    hostInfo.engine(),
                    catalog.languages(),
                    expectations.source());
        } catch (Exception e) {
            setupError = "host " + config.host() + " is not available: " + e.getMessage();
            LOG.error("pwtck: {}", setupError);
            if (hostInfo == null) {
                hostInfo =
                        new HostInfo(
                                config.host(),
                                config.host(),
                                "unknown",
                                "unknown",
                                java.util.Map.of());
            }
        }
    }

    /**
     * The real httpbin, unless {@code pwtck.httpbin=off}; {@code pwtck.httpbin.python} names the
     * Python (default {@code python3}). Missing, it is only noted: its cases are SKIPPED.
     */
    private void startHttpbin(String address) {
        if (config.get("pwtck.httpbin").orElse("auto").equals("off")) {
            httpbinUnavailable = "real httpbin disabled by pwtck.httpbin=off";
            return;
        }
        RealHttpbin.Start started =
                RealHttpbin.start(
                        config.get("pwtck.httpbin.python").orElse("python3"),
                        address,
                        Integer.parseInt(config.get("pwtck.httpbin.port").orElse("0")),
                        java.time.Duration.ofSeconds(30));
        httpbin = started.httpbin().orElse(null);
        httpbinUnavailable = started.reason();
        if (httpbin == null) {
            LOG.warn("pwtck: {}", httpbinUnavailable);
        }
    }

    /** The real httpbin, or why the cases that need it are SKIPPED. */
    public Optional<RealHttpbin> httpbin() {
        return Optional.ofNullable(httpbin);
    }

    public String httpbinUnavailable() {
        return httpbinUnavailable;
    }

    static TckSession get(ExtensionContext context) {
        ExtensionContext root = context.getRoot();
        return root.getStore(NS)
                .getOrComputeIfAbsent(
                        TckSession.class,
                        k -> new TckSession(new TckConfig(root::getConfigurationParameter)),
                        TckSession.class);
    }

    private static HostUnderTest createHost(TckConfig config) throws Exception {
        List<String> known = new ArrayList<>();
        for (HostUnderTestProvider p : ServiceLoader.load(HostUnderTestProvider.class)) {
            known.add(p.id());
            if (p.id().equals(config.host())) {
                return p.create(config);
            }
        }
        throw new IllegalArgumentException(
                "pwtck.host="
                        + config.host()
                        + " matches no HostUnderTestProvider; known: "
                        + known);
    }

    public TckConfig config() {
        return config;
    }

    public FilterCatalog catalog() {
        return catalog;
    }

    public ResultCollector results() {
        return results;
    }

    public EchoBackend echo() {
        return echo;
    }

    public Optional<HostUnderTest> host() {
        return Optional.ofNullable(host);
    }

    public HostInfo hostInfo() {
        return hostInfo;
    }

    public Expectations expectations() {
        return expectations;
    }

    public Optional<String> setupError() {
        return Optional.ofNullable(setupError);
    }

    /**
     * Whether {@code pwtck.cases} (a regular expression on case ids; default all) selects a case.
     */
    public boolean selects(String caseId) {
        return config.get("pwtck.cases").map(p -> caseId.matches(p)).orElse(true);
    }

    /** The languages this run covers: {@code pwtck.languages}, else every known language. */
    public List<String> languages() {
        return config.languages()
                .map(s -> List.of(s.split("\\s*,\\s*")))
                .orElse(FilterCatalog.LANGUAGES);
    }

    @Override
    public void close() throws Exception {
        try {
            if (host != null) {
                host.close();
            }
        } finally {
            echo.close();
            grpc.close();
            tcpEcho.close();
            if (httpbin != null) {
                httpbin.close();
            }
            Path dir = config.reportDir().resolve(hostInfo.id());
            CompatibilityReport report =
                    new CompatibilityReport(
                            CompatibilityReport.SCHEMA_VERSION,
                            hostInfo,
                            provenance(),
                            catalog.all(),
                            results.results());
            ReportWriter.write(report, dir);
            LOG.info(
                    "pwtck: {} results {} -> {}",
                    report.results().size(),
                    report.counts(),
                    dir.toAbsolutePath().resolve("report.html"));
        }
        // A run that could not reach its host tested nothing: say so loudly instead of passing.
        if (setupError != null
                && !config.get("pwtck.failIfHostUnavailable").orElse("true").equals("false")) {
            throw new IllegalStateException(
                    "pwtck: "
                            + setupError
                            + ". Every case was reported SKIPPED in "
                            + config.reportDir().resolve(hostInfo.id())
                            + " (set -Dpwtck.failIfHostUnavailable=false to let such a run pass)");
        }
    }

    private Provenance provenance() {
        return RunProvenance.of(
                "mvn test -Ptck -Dpwtck.host="
                        + config.host()
                        + " (JVM "
                        + ManagementFactory.getRuntimeMXBean().getName()
                        + ")",
                startedAt,
                (System.nanoTime() - startedNanos) / 1_000_000,
                upstreams());
    }

    private java.util.Map<String, String> upstreams() {
        java.util.Map<String, String> u = new java.util.LinkedHashMap<>();
        u.put(FilterSpec.HTTPBIN_CLUSTER, "pwtck EchoBackend (httpbin-compatible, embedded)");
        u.put(
                FilterSpec.GRPC_CLUSTER,
                "pwtck GrpcBackend (grpc-java "
                        + io.grpc.internal.GrpcUtil.IMPLEMENTATION_VERSION
                        + ")");
        u.put(
                FilterSpec.REAL_HTTPBIN_CLUSTER,
                httpbin != null ? httpbin.version() + " (Python)" : "none: " + httpbinUnavailable);
        return u;
    }
}
