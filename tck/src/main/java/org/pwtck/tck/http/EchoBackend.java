package org.pwtck.tck.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The TCK's upstream: records every request and answers like httpbin ({@code /headers}, {@code
 * /get}, {@code /anything}, {@code /status/<code>}); any other path gets a JSON echo. Reachable in
 * process through {@link #handle} and, once {@link #start}ed, over HTTP on loopback.
 */
public final class EchoBackend implements AutoCloseable {
    /** The header the TCK adds to each request so the echo can tell exchanges apart. */
    public static final String EXCHANGE_HEADER = "x-pwtck-exchange";

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK's HttpServer without TCP_NODELAY stalls a kept-alive connection on delayed ACKs
        // (tens of ms per request, seconds under load); read once, when its config class loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /**
     * Asks the echo for response trailers: {@code x-pwtck-echo-trailer: name=value}, once per
     * trailer. Only the in-process answer ({@link #handle}) carries them: the JDK's HTTP server
     * behind {@link #start} cannot send trailers.
     */
    public static final String TRAILER_REQUEST_HEADER = "x-pwtck-echo-trailer";

    /** What the echo answers. */
    public record EchoResponse(
            int status, List<HttpHeader> headers, byte[] body, List<HttpHeader> trailers) {
        public EchoResponse(int status, List<HttpHeader> headers, byte[] body) {
            this(status, headers, body, List.of());
        }
    }

    private final Map<String, CapturedRequest> byExchange = new ConcurrentHashMap<>();
    private HttpServer server;

    /** Starts the HTTP listener on 127.0.0.1 with a free port. */
    public EchoBackend start() throws IOException {
        return start("127.0.0.1", 0);
    }

    /** Starts the HTTP listener on an address the proxy under test can reach (port 0 = any). */
    public synchronized EchoBackend start(String host, int port) throws IOException {
        if (server == null) {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
            server.setExecutor(Executors.newFixedThreadPool(4, daemon()));
            server.createContext("/", this::serve);
            server.start();
        }
        return this;
    }

    public URI uri() {
        if (server == null) {
            throw new IllegalStateException("the echo backend is not started");
        }
        return URI.create(
                "http://"
                        + server.getAddress().getHostString()
                        + ":"
                        + server.getAddress().getPort());
    }

    public int port() {
        return uri().getPort();
    }

    /** The request that carried this exchange id, if it reached the echo. */
    public Optional<CapturedRequest> seen(String exchangeId) {
        return Optional.ofNullable(byExchange.remove(exchangeId));
    }

    /** Answers one request (in process or from the listener). */
    public EchoResponse handle(CapturedRequest request) {
        request.header(EXCHANGE_HEADER).ifPresent(id -> byExchange.put(id, request));
        String path = request.path().split("\\?", 2)[0];
        if (path.startsWith("/status/")) {
            int code = parseStatus(path.substring("/status/".length()));
            return new EchoResponse(code, List.of(), new byte[0]);
        }
        ObjectNode body = JSON.createObjectNode();
        ObjectNode headers = body.putObject("headers");
        for (HttpHeader h : request.headers()) {
            if (!h.name().startsWith(":")) {
                headers.put(canonical(h.name()), h.value());
            }
        }
        if (path.equals("/get") || path.startsWith("/anything") || !path.equals("/headers")) {
            body.put("method", request.method());
            body.put("url", request.path());
            body.put("data", request.bodyString());
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        List<HttpHeader> trailers = new ArrayList<>();
        for (HttpHeader h : request.headers()) {
            if (h.name().equals(TRAILER_REQUEST_HEADER) && h.value().contains("=")) {
                String[] kv = h.value().split("=", 2);
                trailers.add(new HttpHeader(kv[0].strip().toLowerCase(Locale.ROOT), kv[1].strip()));
            }
        }
        return new EchoResponse(
                200,
                List.of(
                        new HttpHeader("content-type", "application/json"),
                        new HttpHeader("x-pwtck-echo", "1")),
                bytes,
                List.copyOf(trailers));
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            List<HttpHeader> headers = new ArrayList<>();
            exchange.getRequestHeaders()
                    .forEach(
                            (name, values) ->
                                    values.forEach(
                                            v ->
                                                    headers.add(
                                                            new HttpHeader(
                                                                    name.toLowerCase(Locale.ROOT),
                                                                    v))));
            byte[] body = exchange.getRequestBody().readAllBytes();
            EchoResponse response =
                    handle(
                            new CapturedRequest(
                                    exchange.getRequestMethod(),
                                    exchange.getRequestURI().toString(),
                                    List.copyOf(headers),
                                    body));
            response.headers().forEach(h -> exchange.getResponseHeaders().add(h.name(), h.value()));
            exchange.sendResponseHeaders(
                    response.status(), response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        }
    }

    /** httpbin's header name style: {@code x-org} → {@code X-Org}. */
    static String canonical(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }

    private static int parseStatus(String s) {
        try {
            int code = Integer.parseInt(s);
            return code >= 200 && code <= 599 ? code : 400;
        } catch (NumberFormatException e) {
            return 400;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "pwtck-echo");
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }
}
