package org.pwtck.tck.junit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.pwtck.tck.api.Deployment;
import org.pwtck.tck.api.DeploymentDeferredException;
import org.pwtck.tck.api.DeploymentException;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.api.HostUnderTest;
import org.pwtck.tck.api.NetworkDeployment;
import org.pwtck.tck.api.TcpResult;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/**
 * What a case works with, for one language: deploy filters on the host under test, send traffic,
 * read the probe's report. Deployments are closed when the case ends; requests and responses are
 * kept as evidence for the report.
 */
public final class TckCase implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private final TckSession session;
    private final String language;
    private final List<Deployment> deployments = new ArrayList<>();
    private final List<NetworkDeployment> networkDeployments = new ArrayList<>();
    private final List<String> transcript = Collections.synchronizedList(new ArrayList<>());
    private String expected;
    private String actual;

    TckCase(TckSession session, String language) {
        this.session = session;
        this.language = language;
    }

    /** {@code go}, {@code rust}, {@code tinygo}, or {@code wat}. */
    public String language() {
        return language;
    }

    public HostUnderTest host() {
        return session.host().orElseThrow();
    }

    public String hostId() {
        return session.hostInfo().id();
    }

    /**
     * The cluster of the real httpbin ({@link FilterSpec#REAL_HTTPBIN_CLUSTER}); when it is not
     * running (Python's httpbin missing), the case is SKIPPED with the install command as reason.
     */
    public String realHttpbinCluster() {
        if (session.httpbin().isEmpty()) {
            throw new org.opentest4j.TestAbortedException(session.httpbinUnavailable());
        }
        transcript.add("real httpbin: " + session.httpbin().get().version());
        return FilterSpec.REAL_HTTPBIN_CLUSTER;
    }

    /** Deploys a filter; a refusal fails the case with the host's reason. */
    public Deployment deploy(FilterSpec spec) {
        try {
            Deployment d = host().deploy(spec);
            deployments.add(d);
            return d;
        } catch (DeploymentDeferredException e) {
            throw new org.opentest4j.TestAbortedException(e.getMessage());
        } catch (DeploymentException e) {
            throw new AssertionError(
                    spec.name() + " [" + spec.language() + "] did not deploy: " + e.getMessage(),
                    e);
        }
    }

    /** Deploys a filter that the case expects the host to refuse; returns the refusal. */
    public DeploymentException deployRefused(FilterSpec spec) {
        try {
            Deployment d = host().deploy(spec);
            deployments.add(d);
        } catch (DeploymentDeferredException e) {
            throw new org.opentest4j.TestAbortedException(e.getMessage());
        } catch (DeploymentException e) {
            transcript.add("refused as expected: " + e.getMessage());
            return e;
        }
        throw new AssertionError(spec.name() + " was deployed, but the case expects a refusal");
    }

    /** Deploys the corpus filter of this case's language with a plugin configuration. */
    public Deployment deployFilter(String name, String pluginConfiguration) {
        byte[] wasm = session.catalog().wasm(language, name);
        return deploy(FilterSpec.of(name, language, wasm, pluginConfiguration));
    }

    /** Deploys the probe with a scenario. */
    public Deployment deployProbe(ProbeScenario scenario) {
        transcript.add("probe scenario: " + scenario.json());
        return deployFilter("probe", scenario.json());
    }

    /**
     * Deploys the probe with a scenario, letting the case adjust the spec first (a VM configuration
     * with {@link FilterSpec#withVmConfiguration}, a root id or a vm id).
     */
    public Deployment deployProbe(
            ProbeScenario scenario, java.util.function.UnaryOperator<FilterSpec> adjust) {
        transcript.add("probe scenario: " + scenario.json());
        byte[] wasm = session.catalog().wasm(language, "probe");
        FilterSpec spec = adjust.apply(FilterSpec.of("probe", language, wasm, scenario.json()));
        if (spec.vmConfiguration().length > 0) {
            transcript.add(
                    "vm configuration: "
                            + new String(
                                    spec.vmConfiguration(),
                                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return deploy(spec);
    }

    /**
     * Deploys the probe as a network (L4) filter with a scenario, in front of the TCK's TCP echo; a
     * refusal fails the case with the host's reason.
     */
    public NetworkDeployment deployNetworkProbe(ProbeScenario scenario) {
        transcript.add("network probe scenario: " + scenario.json());
        byte[] wasm = session.catalog().wasm(language, "probe");
        FilterSpec spec = FilterSpec.of("probe", language, wasm, scenario.json());
        try {
            NetworkDeployment d = host().deployNetwork(spec);
            networkDeployments.add(d);
            return d;
        } catch (DeploymentDeferredException e) {
            throw new org.opentest4j.TestAbortedException(e.getMessage());
        } catch (DeploymentException e) {
            throw new AssertionError(
                    "probe ["
                            + language
                            + "] did not deploy as a network filter: "
                            + e.getMessage(),
                    e);
        }
    }

    /** One TCP exchange through a network deployment, kept in the transcript. */
    public TcpResult exchange(NetworkDeployment deployment, String data) {
        transcript.add("> tcp \"" + data + "\"");
        try {
            TcpResult result =
                    deployment.exchange(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            transcript.add("< " + result);
            return result;
        } catch (Exception e) {
            throw new AssertionError("TCP exchange failed: " + e, e);
        }
    }

    /**
     * The last report a probe logged ({@code "report": "log"}: a log line {@code probe: results
     * <json>}) that has a record of every one of {@code callbacks}, asking the host's log again
     * every 100 ms until {@code maxWait} has passed: network filters have no response to carry it.
     */
    public ProbeReport awaitLoggedReport(
            NetworkDeployment d, java.time.Duration maxWait, String... callbacks) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            List<String> lines = d.logs();
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i);
                int at = line.indexOf("probe: results ");
                if (at < 0) {
                    continue;
                }
                ProbeReport report =
                        ProbeReport.parse(line.substring(at + "probe: results ".length()));
                if (java.util.Arrays.stream(callbacks)
                        .allMatch(c -> !report.records(c).isEmpty())) {
                    return report;
                }
                break; // only the latest report counts: it holds every record so far
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no logged probe report with "
                                + java.util.Arrays.toString(callbacks)
                                + " within "
                                + maxWait
                                + "; log: "
                                + lines.subList(Math.max(0, lines.size() - 6), lines.size()));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    public TckResponse exchange(Deployment deployment, TckRequest request) {
        transcript.add("> " + request.method() + " " + request.path() + " " + request.headers());
        try {
            TckResponse response = deployment.exchange(request);
            transcript.add("< " + response);
            return response;
        } catch (Exception e) {
            throw new AssertionError("exchange failed: " + e, e);
        }
    }

    /**
     * Runs a probe scenario on one request and reads the report the probe sends back as a local
     * response; anything else fails with the response as evidence.
     */
    public ProbeReport probe(ProbeScenario scenario, TckRequest request) {
        Deployment d = deployProbe(scenario);
        return probeReport(exchange(d, request));
    }

    /**
     * Reads what the probe's root-context callbacks stored in shared data (the {@code
     * x-pwtck-probe-dump} request of docs/filters/PROBE.md), asking again every 100 ms until a
     * record of {@code callback} is there or {@code maxWait} has passed.
     */
    public ProbeReport awaitRootRecord(Deployment d, String callback, java.time.Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        TckResponse last = null;
        while (true) {
            last = exchange(d, TckRequest.get("/").withHeader("x-pwtck-probe-dump", "1"));
            if (last.status() == 200 && last.bodyString().startsWith("[")) {
                ProbeReport report = ProbeReport.parse("{\"records\":" + last.bodyString() + "}");
                if (!report.records(callback).isEmpty()) {
                    return report;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no " + callback + " record within " + maxWait + "; last dump: " + last);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /**
     * Like {@link #awaitRootRecord}, waiting until every one of {@code callbacks} has at least one
     * record in {@code pwtck.probe.results} (stream callbacks that report to shared data too).
     */
    public ProbeReport awaitRecords(Deployment d, java.time.Duration maxWait, String... callbacks) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        TckResponse last = null;
        List<String> missing = List.of(callbacks);
        while (true) {
            last = exchange(d, TckRequest.get("/").withHeader("x-pwtck-probe-dump", "1"));
            if (last.status() == 200 && last.bodyString().startsWith("[")) {
                ProbeReport report = ProbeReport.parse("{\"records\":" + last.bodyString() + "}");
                missing =
                        java.util.Arrays.stream(callbacks)
                                .filter(c -> report.records(c).isEmpty())
                                .toList();
                if (missing.isEmpty()) {
                    return report;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no record of " + missing + " within " + maxWait + "; last dump: " + last);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    public static ProbeReport probeReport(TckResponse response) {
        String body = response.bodyString();
        if (!body.startsWith("{")) {
            throw new AssertionError("expected the probe's JSON report, got " + response);
        }
        return ProbeReport.parse(body);
    }

    /** What the case expected and saw, in words, for the report. */
    public void evidence(String expected, String actual) {
        this.expected = expected;
        this.actual = actual;
    }

    String expected() {
        return expected;
    }

    String actual() {
        return actual;
    }

    /** The last lines of the exchange transcript and the host's log, for the report. */
    List<String> log() {
        List<String> lines = new ArrayList<>();
        synchronized (transcript) {
            lines.addAll(transcript);
        }
        for (Deployment d : deployments) {
            lines.addAll(d.logs());
        }
        for (NetworkDeployment d : networkDeployments) {
            lines.addAll(d.logs());
        }
        return lines.size() <= 40 ? lines : lines.subList(lines.size() - 40, lines.size());
    }

    @Override
    public void close() {
        for (Deployment d : deployments) {
            try {
                d.close();
            } catch (Exception e) {
                transcript.add("closing a deployment failed: " + e);
            }
        }
        deployments.clear();
        for (NetworkDeployment d : networkDeployments) {
            try {
                d.close();
            } catch (Exception e) {
                transcript.add("closing a network deployment failed: " + e);
            }
        }
        networkDeployments.clear();
    }
}
