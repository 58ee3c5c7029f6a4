package org.pwtck.host.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.pwtck.host.config.ConfigException;
import org.pwtck.host.config.ConfigLoader;
import org.pwtck.host.testing.Wat;

/** A proxy started from YAML text in a temp dir, and ways to talk to it over real sockets. */
final class ServerFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path RUST = Path.of("../filters-rust/src/main/resources/pwtck/filters/rust");
    static final HttpClient CLIENT =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    final Path dir;
    final Path config;
    final ProxyServer server;

    private ServerFixture(Path dir, Path config, ProxyServer server) {
        this.dir = dir;
        this.config = config;
        this.server = server;
    }

    /** A Rust corpus filter's path, as YAML text; the test is skipped when it is not built. */
    static String rust(String name) {
        Path p = RUST.resolve(name + ".wasm").toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(p), "filter not built: " + p);
        return p.toString();
    }

    /** Writes a WAT module compiled to a .wasm file in dir; returns its path. */
    static String wat(Path dir, String name, String wat) throws IOException {
        Path p = dir.resolve(name + ".wasm");
        Files.write(p, Wat.compile(wat));
        return p.toString();
    }

    static ServerFixture start(Path dir, String yaml) throws IOException, ConfigException {
        Path config = dir.resolve("host.yaml");
        Files.writeString(config, yaml);
        return new ServerFixture(dir, config, ProxyServer.start(ConfigLoader.load(config)));
    }

    int port() {
        return server.port("main");
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(
                b.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> admin(String method, String path) throws Exception {
        HttpRequest req =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path))
                        .timeout(Duration.ofSeconds(30))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build();
        return CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
    }

    JsonNode adminJson(String path) throws Exception {
        return JSON.readTree(admin("GET", path).body());
    }

    long counter(String name) {
        return server.stats().get(name);
    }

    /** Sends raw bytes and returns what came back until the server closed or 5 s passed. */
    String raw(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port()), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** The texts of a JSON array (an echo's header values); empty when absent. */
    static List<String> strings(JsonNode array) {
        return array == null
                ? List.of()
                : java.util.stream.StreamSupport.stream(array.spliterator(), false)
                        .map(JsonNode::asText)
                        .toList();
    }

    /** A port nothing listens on (bound then closed). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Polls a condition for up to 10 s. */
    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        server.close();
    }
}
