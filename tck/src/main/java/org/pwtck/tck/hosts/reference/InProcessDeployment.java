package org.pwtck.tck.hosts.reference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.pwtck.host.abi.Action;
import org.pwtck.host.abi.Header;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.abi.MapType;
import org.pwtck.host.abi.StreamType;
import org.pwtck.host.context.FilterLog;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.HttpContext;
import org.pwtck.host.context.LocalResponse;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.context.StreamListener;
import org.pwtck.host.plugin.FilterFailedException;
import org.pwtck.host.plugin.HttpStream;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.plugin.PluginVm;
import org.pwtck.tck.api.Deployment;
import org.pwtck.tck.http.CapturedRequest;
import org.pwtck.tck.http.EchoBackend;
import org.pwtck.tck.http.HttpHeader;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;

/**
 * One filter on the in-process reference host. An exchange follows a proxy's steps: request
 * headers, request body, (if the filter let it through) the echo upstream, response headers,
 * response body, then the stream's teardown. A pause waits for the filter to resume; a local
 * response ends the exchange; a trap is a 503 (fail closed, as the proxy and Envoy answer) and the
 * VM is replaced.
 */
final class InProcessDeployment implements Deployment {
    private final Plugin plugin;
    private final EchoBackend echo;
    private final LogBuffer logs;
    private final Duration timeout;
    private PluginVm vm;

    InProcessDeployment(
            Plugin plugin, PluginVm vm, EchoBackend echo, LogBuffer logs, Duration timeout) {
        this.plugin = plugin;
        this.vm = vm;
        this.echo = echo;
        this.logs = logs;
        this.timeout = timeout;
    }

    @Override
    public synchronized TckResponse exchange(TckRequest request) throws Exception {
        if (vm.isFailed()) {
            vm.close();
            vm = plugin.startVm();
        }
        Events events = new Events();
        HttpStream stream = vm.newHttpStream(events, StreamInfo.local());
        try {
            return run(stream, events, request);
        } catch (FilterFailedException e) {
            return new TckResponse(
                    503,
                    List.of(new HttpHeader("x-pwtck-filter-failed", "1")),
                    ("filter failed: " + e.getMessage()).getBytes(),
                    Optional.empty());
        } finally {
            if (!vm.isFailed()) {
                stream.complete();
            }
        }
    }

    private TckResponse run(HttpStream stream, Events events, TckRequest request) throws Exception {
        String exchangeId = UUID.randomUUID().toString();
        HeaderMap headers =
                HeaderMap.of(
                        ":method",
                        request.method(),
                        ":path",
                        request.path(),
                        ":authority",
                        "pwtck.test",
                        ":scheme",
                        "http");
        request.headers().forEach(h -> headers.add(h.name(), h.value()));
        headers.add(EchoBackend.EXCHANGE_HEADER, exchangeId);
        boolean hasBody = request.body().length > 0;
        boolean hasTrailers = !request.trailers().isEmpty();

        Action action = stream.requestHeaders(headers, !hasBody && !hasTrailers);
        Optional<TckResponse> early = settle(events, action, StreamType.HTTP_REQUEST);
        if (early.isPresent()) {
            return early.get();
        }
        if (hasBody) {
            action = stream.requestBody(request.body(), !hasTrailers);
            early = settle(events, action, StreamType.HTTP_REQUEST);
            if (early.isPresent()) {
                return early.get();
            }
        }
        if (hasTrailers) {
            HeaderMap trailers = HeaderMap.of();
            request.trailers().forEach(h -> trailers.add(h.name(), h.value()));
            action = stream.requestTrailers(trailers);
            early = settle(events, action, StreamType.HTTP_REQUEST);
            if (early.isPresent()) {
                return early.get();
            }
        }

        HttpContext ctx = stream.context();
        List<Header> upstreamHeaders =
                vm.executor()
                        .call(() -> ctx.map(MapType.HTTP_REQUEST_HEADERS).orElseThrow().entries());
        List<Header> upstreamTrailers =
                hasTrailers
                        ? vm.executor()
                                .call(
                                        () ->
                                                ctx.map(MapType.HTTP_REQUEST_TRAILERS)
                                                        .map(HeaderMap::entries)
                                                        .orElse(List.of()))
                        : List.of();
        byte[] upstreamBody = stream.takeForwardedRequestBody();
        CapturedRequest captured = captured(upstreamHeaders, upstreamBody, upstreamTrailers);
        EchoBackend.EchoResponse upstream = echo.handle(captured);
        Optional<CapturedRequest> seen = echo.seen(exchangeId).or(() -> Optional.of(captured));

        HeaderMap responseHeaders = HeaderMap.of(":status", Integer.toString(upstream.status()));
        upstream.headers().forEach(h -> responseHeaders.add(h.name(), h.value()));
        responseHeaders.add("content-length", Integer.toString(upstream.body().length));
        boolean responseBody = upstream.body().length > 0;
        boolean responseTrailers = !upstream.trailers().isEmpty();
        action = stream.responseHeaders(responseHeaders, !responseBody && !responseTrailers);
        early = settle(events, action, StreamType.HTTP_RESPONSE);
        if (early.isPresent()) {
            return withUpstream(early.get(), seen);
        }
        if (responseBody) {
            action = stream.responseBody(upstream.body(), !responseTrailers);
            early = settle(events, action, StreamType.HTTP_RESPONSE);
            if (early.isPresent()) {
                return withUpstream(early.get(), seen);
            }
        }
        if (responseTrailers) {
            HeaderMap trailers = HeaderMap.of();
            upstream.trailers().forEach(h -> trailers.add(h.name(), h.value()));
            action = stream.responseTrailers(trailers);
            early = settle(events, action, StreamType.HTTP_RESPONSE);
            if (early.isPresent()) {
                return withUpstream(early.get(), seen);
            }
        }
        List<Header> finalHeaders =
                vm.executor()
                        .call(() -> ctx.map(MapType.HTTP_RESPONSE_HEADERS).orElseThrow().entries());
        byte[] body = stream.takeForwardedResponseBody();
        return response(finalHeaders, body, seen);
    }

    /**
     * After a callback: a local response ends the exchange; a pause waits (bounded) until the
     * filter resumes this direction or answers locally.
     */
    private Optional<TckResponse> settle(Events events, Action action, StreamType direction)
            throws Exception {
        if (events.closed.isDone()) {
            return Optional.of(TckResponse.reset("the filter closed " + events.closed.get()));
        }
        if (events.local.isDone()) {
            return Optional.of(local(events.local.get()));
        }
        if (action.isContinue()) {
            return Optional.empty();
        }
        CompletableFuture<Object> resumed =
                CompletableFuture.anyOf(
                        events.resumed(direction), events.local, events.failed, events.closed);
        try {
            resumed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Optional.of(
                    new TckResponse(
                            504,
                            List.of(new HttpHeader("x-pwtck-timeout", direction.name())),
                            ("the filter paused "
                                            + direction
                                            + " and did not resume within "
                                            + timeout)
                                    .getBytes(),
                            Optional.empty()));
        }
        if (events.failed.isDone()) {
            throw new FilterFailedException(events.failed.get(), null);
        }
        if (events.closed.isDone()) {
            return Optional.of(TckResponse.reset("the filter closed " + events.closed.get()));
        }
        if (events.local.isDone()) {
            return Optional.of(local(events.local.get()));
        }
        return Optional.empty();
    }

    private static TckResponse local(LocalResponse r) {
        List<HttpHeader> headers = new ArrayList<>();
        r.headers().forEach(h -> headers.add(new HttpHeader(h.nameString(), h.valueString())));
        return new TckResponse(r.statusCode(), headers, r.body(), Optional.empty());
    }

    private static TckResponse withUpstream(TckResponse r, Optional<CapturedRequest> seen) {
        return new TckResponse(r.status(), r.headers(), r.body(), seen);
    }

    private static TckResponse response(
            List<Header> headers, byte[] body, Optional<CapturedRequest> seen) {
        int status = 200;
        List<HttpHeader> out = new ArrayList<>();
        for (Header h : headers) {
            if (h.nameString().equals(":status")) {
                status = Integer.parseInt(h.valueString());
            } else {
                out.add(new HttpHeader(h.nameString(), h.valueString()));
            }
        }
        return new TckResponse(status, out, body, seen);
    }

    /**
     * A request as the echo upstream sees it, from the host's header list: method and path from the
     * pseudo-headers, every other header as sent.
     */
    static CapturedRequest captured(List<Header> headers, byte[] body) {
        return captured(headers, body, List.of());
    }

    static CapturedRequest captured(List<Header> headers, byte[] body, List<Header> trailers) {
        HeaderMap map = HeaderMap.of(headers);
        List<HttpHeader> plain = new ArrayList<>();
        for (Header h : headers) {
            if (!h.nameString().startsWith(":")) {
                plain.add(new HttpHeader(h.nameString(), h.valueString()));
            }
        }
        return new CapturedRequest(
                map.get(":method").orElse("GET"),
                map.get(":path").orElse("/"),
                List.copyOf(plain),
                body,
                trailers.stream()
                        .map(h -> new HttpHeader(h.nameString(), h.valueString()))
                        .toList());
    }

    @Override
    public List<String> logs() {
        return logs.lines();
    }

    @Override
    public synchronized void close() {
        vm.close();
    }

    /** What the filter did to the stream besides returning actions. */
    static final class Events implements StreamListener {
        final CompletableFuture<Object> requestResumed = new CompletableFuture<>();
        final CompletableFuture<Object> responseResumed = new CompletableFuture<>();
        final CompletableFuture<LocalResponse> local = new CompletableFuture<>();
        final CompletableFuture<String> failed = new CompletableFuture<>();
        final CompletableFuture<StreamType> closed = new CompletableFuture<>();

        CompletableFuture<Object> resumed(StreamType direction) {
            return direction == StreamType.HTTP_REQUEST ? requestResumed : responseResumed;
        }

        @Override
        public void onContinue(StreamType stream) {
            resumed(stream).complete(Boolean.TRUE);
        }

        @Override
        public void onLocalResponse(LocalResponse response) {
            local.complete(response);
        }

        @Override
        public void onClose(StreamType stream) {
            closed.complete(stream);
        }

        @Override
        public void onFailure(String reason) {
            failed.complete(reason);
        }
    }

    /** The filter's log, kept as evidence. */
    static final class LogBuffer implements FilterLog {
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void log(String plugin, LogLevel level, String message) {
            lines.add(level + " " + plugin + ": " + message);
        }

        List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        String tail() {
            List<String> l = lines();
            return l.isEmpty()
                    ? ""
                    : "; filter log: "
                            + String.join(" | ", l.subList(Math.max(0, l.size() - 5), l.size()));
        }
    }
}
