package org.pwtck.tck.author;

import java.util.ArrayList;
import java.util.List;
import org.pwtck.reports.model.HostInfo;
import org.pwtck.tck.api.Deployment;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;

/**
 * The author's filter deployed on one host: send requests through it and check what the upstream
 * and the client saw. Keeps a transcript of the exchanges for the report's evidence.
 */
public final class FilterUnderTest {
    private final HostInfo host;
    private final Deployment deployment;
    private final List<String> transcript = new ArrayList<>();

    FilterUnderTest(HostInfo host, Deployment deployment) {
        this.host = host;
        this.deployment = deployment;
    }

    /** The host this invocation runs on ({@code reference}, {@code envoy}, …). */
    public HostInfo host() {
        return host;
    }

    /** Sends one request through the filter to the echo upstream. */
    public TckResponse exchange(TckRequest request) throws Exception {
        TckResponse response = deployment.exchange(request);
        transcript.add("> " + request.method() + " " + request.path() + " " + request.headers());
        transcript.add("< " + response);
        return response;
    }

    /**
     * Sends the exchange's request and fails, naming the host and every mismatch, unless the
     * upstream and the client saw what it expects.
     */
    public TckResponse check(ExpectedExchange expected) throws Exception {
        TckResponse response = exchange(expected.request());
        List<String> problems = expected.problems(response);
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    "on host "
                            + host.id()
                            + ": "
                            + String.join("; ", problems)
                            + " (expected: "
                            + expected.describe()
                            + ")");
        }
        return response;
    }

    /** The host's log lines for this filter so far. */
    public List<String> logs() {
        return deployment.logs();
    }

    List<String> transcript() {
        return List.copyOf(transcript);
    }
}
