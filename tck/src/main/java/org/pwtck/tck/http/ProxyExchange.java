package org.pwtck.tck.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Sends a {@link TckRequest} to a proxy's listener (Envoy, the reference proxy, an external proxy)
 * over HTTP/1.1 with {@link HttpClient} and turns the answer into a {@link TckResponse}. Each
 * request carries {@link EchoBackend#EXCHANGE_HEADER} so the echo can say what reached the
 * upstream. The {@code Host} header is {@code pwtck.test} (as the reference host's {@code
 * :authority}) unless the request sets its own.
 *
 * <p>If no answer arrives within the exchange timeout the result is a 504 with {@code
 * x-pwtck-timeout}, as the reference host reports a filter that paused and never resumed. A
 * connection closed or reset before any response (e.g. {@code proxy_close_stream}) is {@link
 * TckResponse#isReset() a reset}; if Envoy itself died (a crash), the exchange fails with Envoy's
 * last log lines instead.
 */
public final class ProxyExchange {
    /** The authority every request carries unless the case sets a Host header itself. */
    public static final String AUTHORITY = "pwtck.test";

    static {
        // HttpClient refuses to send a Host header unless allowed before its first use.
        if (System.getProperty("jdk.httpclient.allowRestrictedHeaders") == null) {
            System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        }
    }

    private ProxyExchange() {}

    public static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(java.net.ProxySelector.of(null))
                .build();
    }

    /** The listener URI (no path) plus the request's path and query, taken literally. */
    public static URI target(URI listener, String path) {
        String base = listener.toString().replaceAll("/+$", "");
        return URI.create(base + (path.startsWith("/") ? path : "/" + path));
    }

    /**
     * Why the Envoy behind the listener is gone (exited or crashed, with its last log lines), or
     * empty while it runs; asked when a connection fails, to tell a crash from a reset.
     */
    public interface Liveness {
        Optional<String> deathReason();
    }

    /** For a proxy the TCK does not watch: a failed connection is never a crash. */
    public static final Liveness ALWAYS_ALIVE = Optional::empty;

    public static TckResponse exchange(
            HttpClient http,
            URI listener,
            TckRequest request,
            EchoBackend echo,
            Duration timeout,
            Liveness envoy)
            throws Exception {
        String exchangeId = UUID.randomUUID().toString();
        if (!request.trailers().isEmpty()) {
            return withTrailers(listener, request, exchangeId, echo, timeout, envoy);
        }
        HttpRequest.Builder b =
                HttpRequest.newBuilder(target(listener, request.path()))
                        .timeout(timeout)
                        .method(
                                request.method(),
                                request.body().length == 0
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        boolean host = false;
        for (HttpHeader h : request.headers()) {
            b.header(h.name(), h.value());
            host |= h.name().equalsIgnoreCase("host");
        }
        if (!host) {
            try {
                b.header("host", AUTHORITY);
            } catch (IllegalArgumentException e) {
                // restricted in this JVM (HttpClient was used before this class): keep the default
            }
        }
        b.header(EchoBackend.EXCHANGE_HEADER, exchangeId);
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            return timedOut(timeout, echo, exchangeId);
        } catch (IOException e) {
            return reset(e, echo, exchangeId, envoy);
        }
        List<HttpHeader> headers = new ArrayList<>();
        r.headers()
                .map()
                .forEach(
                        (name, values) -> {
                            if (!name.startsWith(":")) {
                                String n = name.toLowerCase(Locale.ROOT);
                                values.forEach(v -> headers.add(new HttpHeader(n, v)));
                            }
                        });
        Optional<CapturedRequest> seen = echo.seen(exchangeId);
        return new TckResponse(r.statusCode(), List.copyOf(headers), r.body(), seen);
    }

    /** A request with trailers: over a socket of its own (HttpClient cannot send trailers). */
    private static TckResponse withTrailers(
            URI listener,
            TckRequest request,
            String exchangeId,
            EchoBackend echo,
            Duration timeout,
            Liveness envoy)
            throws IOException {
        ChunkedHttp1.Response r;
        try {
            r =
                    ChunkedHttp1.send(
                            listener,
                            request,
                            List.of(new HttpHeader(EchoBackend.EXCHANGE_HEADER, exchangeId)),
                            timeout);
        } catch (java.net.SocketTimeoutException e) {
            return timedOut(timeout, echo, exchangeId);
        } catch (IOException e) {
            return reset(e, echo, exchangeId, envoy);
        }
        return new TckResponse(r.status(), r.headers(), r.body(), echo.seen(exchangeId));
    }

    /**
     * No answer in time: a 504 with x-pwtck-timeout, as the reference host reports a stuck filter.
     */
    private static TckResponse timedOut(Duration timeout, EchoBackend echo, String exchangeId) {
        return new TckResponse(
                504,
                List.of(new HttpHeader("x-pwtck-timeout", "proxy")),
                ("no response from the proxy within " + timeout.toMillis() + " ms")
                        .getBytes(StandardCharsets.UTF_8),
                echo.seen(exchangeId));
    }

    /**
     * The connection closed or reset before a response: the proxy reset the stream, unless it died
     * (then the exchange fails with its reason) or could not be reached at all.
     */
    private static TckResponse reset(
            IOException e, EchoBackend echo, String exchangeId, Liveness envoy) throws IOException {
        Optional<String> dead = envoy.deathReason();
        if (dead.isPresent()) {
            throw new IOException("the proxy died during the exchange: " + dead.get(), e);
        }
        if (e instanceof ConnectException) {
            throw e;
        }
        return new TckResponse(
                0,
                List.of(new HttpHeader(TckResponse.RESET_HEADER, "1")),
                ("the proxy reset the stream: " + e).getBytes(StandardCharsets.UTF_8),
                echo.seen(exchangeId));
    }
}
