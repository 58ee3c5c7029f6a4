package org.pwtck.tck.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Sends a {@link TckRequest} to a proxy over real HTTP/1.1 and reads back what the client got and
 * what the TCK's echo upstream saw. For every adapter whose host is a network proxy.
 */
public final class HttpExchanger {
    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED =
            Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final HttpClient client;
    private final EchoBackend echo;
    private final Duration timeout;

    public HttpExchanger(EchoBackend echo, Duration timeout) {
        this.client =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(timeout)
                        .build();
        this.echo = echo;
        this.timeout = timeout;
    }

    /** Sends to {@code base} (scheme, host, port) + the request's path. A reset is reported as such. */
    public TckResponse exchange(URI base, TckRequest request) throws InterruptedException {
        String exchangeId = UUID.randomUUID().toString();
        HttpRequest.Builder b =
                HttpRequest.newBuilder(base.resolve(request.path()))
                        .timeout(timeout)
                        .method(
                                request.method(),
                                request.body().length == 0
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(request.body()))
                        .header(EchoBackend.EXCHANGE_HEADER, exchangeId);
        for (HttpHeader h : request.headers()) {
            if (!RESTRICTED.contains(h.name().toLowerCase(java.util.Locale.ROOT))) {
                b.header(h.name(), h.value());
            }
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return TckResponse.reset("no HTTP response: " + e);
        }
        List<HttpHeader> headers = new ArrayList<>();
        response.headers()
                .map()
                .forEach((name, values) -> values.forEach(v -> headers.add(new HttpHeader(name, v))));
        return new TckResponse(
                response.statusCode(), List.copyOf(headers), response.body(), echo.seen(exchangeId));
    }
}
