package org.pwtck.tck.author;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pwtck.tck.http.CapturedRequest;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;

/**
 * One HTTP exchange a filter author expects: the request the client sends, what the upstream should
 * receive (or that it receives nothing, for a local response) and what the client should get back.
 * Every expectation is checked and every mismatch reported, so one run shows all that is wrong.
 *
 * <pre>{@code
 * ExpectedExchange.of(TckRequest.get("/headers").withHeader("x-remove-me", "1"))
 *         .expectStatus(200)
 *         .expectUpstreamHeader("x-added", "1")
 *         .expectNoUpstreamHeader("x-remove-me")
 *         .expectResponseHeader("x-filtered", "yes");
 * }</pre>
 */
public final class ExpectedExchange {
    private final TckRequest request;
    private final List<Check> checks = new ArrayList<>();

    private interface Check {
        /** A mismatch, or empty when the exchange is as expected. */
        Optional<String> problem(TckResponse response);

        String describe();
    }

    private ExpectedExchange(TckRequest request) {
        this.request = request;
    }

    public static ExpectedExchange of(TckRequest request) {
        return new ExpectedExchange(request);
    }

    public TckRequest request() {
        return request;
    }

    public ExpectedExchange expectStatus(int status) {
        return add(
                "client gets status " + status,
                r -> r.status() == status ? null : "client got status " + describeStatus(r));
    }

    public ExpectedExchange expectResponseHeader(String name, String value) {
        return add(
                "client gets " + name + ": " + value,
                r ->
                        r.header(name).filter(value::equals).isPresent()
                                ? null
                                : "client got " + name + ": " + r.header(name).orElse("(absent)"));
    }

    public ExpectedExchange expectResponseBodyContains(String text) {
        return add(
                "client body contains \"" + text + "\"",
                r ->
                        r.bodyString().contains(text)
                                ? null
                                : "client body was \"" + abbreviate(r.bodyString()) + "\"");
    }

    /** The request reaches the upstream (the filter let it through). */
    public ExpectedExchange expectForwarded() {
        return add(
                "the request reaches the upstream",
                r -> r.upstream().isPresent() ? null : "the upstream never saw the request");
    }

    /** The request never reaches the upstream (the filter answered locally or closed). */
    public ExpectedExchange expectNotForwarded() {
        return add(
                "the request does not reach the upstream",
                r -> r.upstream().isEmpty() ? null : "the upstream saw the request");
    }

    public ExpectedExchange expectUpstreamHeader(String name, String value) {
        return addUpstream(
                "upstream gets " + name + ": " + value,
                u ->
                        u.header(name).filter(value::equals).isPresent()
                                ? null
                                : "upstream got "
                                        + name
                                        + ": "
                                        + u.header(name).orElse("(absent)"));
    }

    public ExpectedExchange expectNoUpstreamHeader(String name) {
        return addUpstream(
                "upstream gets no " + name,
                u ->
                        u.header(name).isEmpty()
                                ? null
                                : "upstream got " + name + ": " + u.header(name).get());
    }

    public ExpectedExchange expectUpstreamPath(String path) {
        return addUpstream(
                "upstream gets path " + path,
                u -> u.path().equals(path) ? null : "upstream got path " + u.path());
    }

    public ExpectedExchange expectUpstreamBody(String body) {
        return addUpstream(
                "upstream gets body \"" + abbreviate(body) + "\"",
                u ->
                        u.bodyString().equals(body)
                                ? null
                                : "upstream got body \"" + abbreviate(u.bodyString()) + "\"");
    }

    /** Every mismatch between this expectation and what happened; empty when all hold. */
    public List<String> problems(TckResponse response) {
        List<String> out = new ArrayList<>();
        for (Check c : checks) {
            c.problem(response).ifPresent(out::add);
        }
        return out;
    }

    /** What this exchange expects, one line per expectation (for reports). */
    public String describe() {
        List<String> lines = new ArrayList<>();
        lines.add(request.method() + " " + request.path());
        checks.forEach(c -> lines.add(c.describe()));
        return String.join("; ", lines);
    }

    private ExpectedExchange add(
            String description, java.util.function.Function<TckResponse, String> check) {
        checks.add(
                new Check() {
                    @Override
                    public Optional<String> problem(TckResponse response) {
                        return Optional.ofNullable(check.apply(response));
                    }

                    @Override
                    public String describe() {
                        return description;
                    }
                });
        return this;
    }

    private ExpectedExchange addUpstream(
            String description, java.util.function.Function<CapturedRequest, String> check) {
        return add(
                description,
                r ->
                        r.upstream().isEmpty()
                                ? "the upstream never saw the request (client got "
                                        + describeStatus(r)
                                        + ")"
                                : check.apply(r.upstream().get()));
    }

    private static String describeStatus(TckResponse r) {
        if (r.isReset()) {
            return "no response: " + abbreviate(r.bodyString());
        }
        String body = r.bodyString().isBlank() ? "" : " \"" + abbreviate(r.bodyString()) + "\"";
        return r.status() + body;
    }

    private static String abbreviate(String s) {
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "…";
    }
}
