package org.pwtck.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pwtck.cli.smoke.SmokeRun;
import org.pwtck.tck.author.HostPool;
import org.pwtck.tck.http.TckRequest;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code test} and {@code gate} share: the filter, its config, the hosts, the request. */
final class RunOptions {
    /** Hosts when {@code --hosts} is not given; a host not available here is skipped. */
    static final List<String> DEFAULT_HOSTS = List.of("reference", "envoy");

    @Parameters(index = "0", paramLabel = "FILTER.wasm", description = "The filter module.")
    Path wasm;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "The plugin configuration file (default: empty configuration).")
    Path config;

    @Option(
            names = "--hosts",
            split = ",",
            paramLabel = "HOST",
            description =
                    "Hosts to run on (default reference,envoy): reference, reference-proxy,"
                            + " envoy, envoy-docker, external. One not available here is SKIPPED.")
    List<String> hosts = DEFAULT_HOSTS;

    @Option(
            names = "--expect-status",
            paramLabel = "CODE",
            description =
                    "The status the client must get (default 200, passed through to the"
                            + " upstream); another code means the filter answers locally.")
    Integer expectStatus;

    @Option(
            names = "--path",
            paramLabel = "PATH",
            description = "The request path (default /headers).")
    String path = "/headers";

    @Option(
            names = "--header",
            paramLabel = "NAME:VALUE",
            description = "A request header; repeatable.")
    List<String> headers = new ArrayList<>();

    @Option(
            names = "--report-dir",
            paramLabel = "DIR",
            description =
                    "Where reports go: DIR/<host>/report.json, report.html, junit.xml (default"
                            + " pwtck-report).")
    Path reportDir = Path.of("pwtck-report");

    @Option(
            names = "--require-all-hosts",
            description = "Fail when a host is not available instead of skipping it.")
    boolean requireAllHosts;

    FilterInput filter() throws BadInputException {
        return FilterInput.read(wasm, Optional.ofNullable(config));
    }

    Map<String, String> headerMap() throws BadInputException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new BadInputException(
                        "--header \"" + h + "\": expected NAME:VALUE, e.g. x-token:secret");
            }
            out.put(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
        }
        return out;
    }

    SmokeRun smoke(FilterInput filter) throws BadInputException {
        if (!path.startsWith("/")) {
            throw new BadInputException("--path \"" + path + "\": must start with /");
        }
        if (expectStatus != null && (expectStatus < 100 || expectStatus > 599)) {
            throw new BadInputException(
                    "--expect-status " + expectStatus + ": not an HTTP status (100-599)");
        }
        TckRequest request = TckRequest.get(path);
        for (Map.Entry<String, String> h : headerMap().entrySet()) {
            request = request.withHeader(h.getKey(), h.getValue());
        }
        return new SmokeRun(filter, request, Optional.ofNullable(expectStatus));
    }

    /** The host ids, checked against the providers on the class path. */
    List<String> hostIds() throws BadInputException {
        List<String> known = HostPool.knownIds();
        List<String> out = new ArrayList<>();
        for (String h : hosts) {
            String id = h.strip();
            if (!known.contains(id)) {
                throw new BadInputException(
                        "--hosts: unknown host \"" + id + "\"; known: " + String.join(", ", known));
            }
            if (!out.contains(id)) {
                out.add(id);
            }
        }
        if (out.isEmpty()) {
            throw new BadInputException("--hosts: name at least one host");
        }
        return out;
    }
}
