package org.pwtck.host.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An httpbin-like upstream on 127.0.0.1 for tests: {@code /headers} answers {@code {"headers":
 * {...}}} (first value of each, canonical names), {@code /slow?ms=N} answers after N ms, {@code
 * /bytes?n=N} answers N bytes, anything else echoes {@code {"method", "path", "headers" (all
 * values), "body"}}. Response header {@code x-echo: 1} on every answer.
 */
final class EchoUpstream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    EchoUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
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

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
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
