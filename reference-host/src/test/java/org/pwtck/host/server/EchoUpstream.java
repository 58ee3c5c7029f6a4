package org.pwtck.host.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;

/**
 * An httpbin-like upstream on 127.0.0.1 for tests: {@code /headers} answers {@code {"headers":
 * {...}}} (first value of each, canonical names), {@code /slow?ms=N} answers after N ms, {@code
 * /bytes?n=N} answers N bytes, anything else echoes {@code {"method", "path", "headers" (all
 * values), "body"}}. Response header {@code x-echo: 1} on every answer.
 *
 * <p>Given an {@link SSLContext} it speaks HTTPS only and records the SNI name each request's
 * connection asked for ("" when none), so tests can see what a TLS client sent.
 */
final class EchoUpstream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private final List<String> serverNames = new CopyOnWriteArrayList<>();

    EchoUpstream() throws IOException {
        this(null);
    }

    /** An HTTPS echo upstream when {@code tls} is given, plain HTTP when it is null. */
    EchoUpstream(SSLContext tls) throws IOException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
        if (tls == null) {
            server = HttpServer.create(address, 64);
        } else {
            HttpsServer https = HttpsServer.create(address, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String endpoint() {
        return "127.0.0.1:" + port();
    }

    /** The SNI name of each request's connection, in order ("" = none sent). */
    List<String> serverNames() {
        return List.copyOf(serverNames);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (ex instanceof HttpsExchange https) {
                List<SNIServerName> names =
                        ((ExtendedSSLSession) https.getSSLSession()).getRequestedServerNames();
                serverNames.add(names.isEmpty() ? "" : ((SNIHostName) names.get(0)).getAsciiName());
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getRawQuery();
            byte[] out;
            if (path.equals("/headers")) {
                Map<String, String> h = new LinkedHashMap<>();
                ex.getRequestHeaders().forEach((k, v) -> h.put(k, v.get(0)));
                out = JSON.writeValueAsBytes(Map.of("headers", h));
            } else if (path.equals("/slow")) {
                long ms = Long.parseLong(query.replaceFirst("ms=", ""));
                try {
                    Thread.sleep(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out = "slow\n".getBytes(StandardCharsets.UTF_8);
            } else if (path.equals("/bytes")) {
                int n = Integer.parseInt(query.replaceFirst("n=", ""));
                out = "x".repeat(n).getBytes(StandardCharsets.UTF_8);
            } else {
                Map<String, List<String>> h = new LinkedHashMap<>();
                ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), v));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("method", ex.getRequestMethod());
                m.put("path", ex.getRequestURI().toString());
                m.put("headers", h);
                m.put("body", new String(body, StandardCharsets.UTF_8));
                out = JSON.writeValueAsBytes(m);
            }
            ex.getResponseHeaders().add("x-echo", "1");
            ex.getResponseHeaders().add("content-type", "application/json");
            ex.sendResponseHeaders(200, out.length == 0 ? -1 : out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
