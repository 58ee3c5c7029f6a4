package org.pwtck.tck.hosts.external;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.hosts.envoy.EnvoyBootstrap;

/**
 * Every deployment a TCK run asks for, as files an operator deploys on their own proxy: the {@code
 * .wasm} modules and their configurations, one listener port per deployment, and ready
 * configuration for Envoy (one bootstrap, a listener per deployment), Istio ({@code WasmPlugin}
 * manifests) and Kong / ngx_wasm_module ({@code nginx.conf}). A deployment is known by the digest
 * of its module and configuration, so the traffic run finds the port the bundle gave it.
 */
final class Bundle {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One deployment in the bundle. */
    record Entry(String key, FilterSpec spec, int port) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final int basePort;

    Bundle(int basePort) {
        this.basePort = basePort;
    }

    /** The deployment's port, adding it to the bundle if new. */
    synchronized Entry add(FilterSpec spec) {
        return entries.computeIfAbsent(
                key(spec), k -> new Entry(k, spec, basePort + entries.size()));
    }

    synchronized int size() {
        return entries.size();
    }

    /** The content key: sha256 of module, configurations, root id and vm id. */
    static String key(FilterSpec spec) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] part :
                    List.of(
                            spec.wasm(),
                            spec.pluginConfiguration(),
                            spec.vmConfiguration(),
                            spec.rootId().getBytes(StandardCharsets.UTF_8),
                            spec.vmId().getBytes(StandardCharsets.UTF_8))) {
                d.update(Integer.toString(part.length).getBytes(StandardCharsets.US_ASCII));
                d.update((byte) ':');
                d.update(part);
            }
            return HexFormat.of().formatHex(d.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the key → port table of a bundle written earlier. */
    static Map<String, Integer> ports(Path dir) throws IOException {
        Path index = dir.resolve("bundle.json");
        if (!Files.exists(index)) {
            throw new IOException(
                    index
                            + " does not exist: write the bundle first (run without pwtck.external.url)");
        }
        JsonNode root = JSON.readTree(index.toFile());
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (JsonNode d : root.path("deployments")) {
            ports.put(d.path("key").asText(), d.path("port").asInt());
        }
        return ports;
    }

    /** Writes the bundle: modules, configurations, bundle.json, and the three proxies' configs. */
    synchronized void write(
            Path dir,
            String echoHost,
            int echoPort,
            int grpcPort,
            int httpbinPort,
            Duration streamTimeout)
            throws IOException {
        Path filters = Files.createDirectories(dir.resolve("filters"));
        ObjectNode root = JSON.createObjectNode();
        root.put("echo", echoHost + ":" + echoPort);
        ArrayNode list = root.putArray("deployments");
        List<EnvoyBootstrap.Listener> listeners = new ArrayList<>();
        StringBuilder istio = new StringBuilder();
        StringBuilder nginxModules = new StringBuilder();
        StringBuilder nginxServers = new StringBuilder();
        for (Entry e : entries.values()) {
            Path wasm = filters.resolve(e.key() + ".wasm");
            Files.write(wasm, e.spec().wasm());
            Files.write(
                    filters.resolve(e.key() + ".plugin-config"), e.spec().pluginConfiguration());
            Files.write(filters.resolve(e.key() + ".vm-config"), e.spec().vmConfiguration());
            list.addObject()
                    .put("key", e.key())
                    .put("port", e.port())
                    .put("filter", e.spec().name())
                    .put("language", e.spec().language())
                    .put("wasm", "filters/" + e.key() + ".wasm")
                    .put("rootId", e.spec().rootId())
                    .put("vmId", e.spec().vmId());
            String abs = wasm.toAbsolutePath().toString();
            listeners.add(new EnvoyBootstrap.Listener("pwtck_" + e.key(), e.spec(), abs, e.port()));
            istio.append(istioPlugin(e, abs));
            nginxModules
                    .append("    module pwtck_")
                    .append(e.key())
                    .append(' ')
                    .append(abs)
                    .append(";\n");
            nginxServers.append(nginxServer(e, echoHost, echoPort));
        }
        Files.writeString(
                dir.resolve("bundle.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        EnvoyBootstrap.Network net =
                new EnvoyBootstrap.Network(
                                "0.0.0.0", 0, "127.0.0.1", 0, echoHost, echoPort, streamTimeout)
                        .withUpstreams(grpcPort, httpbinPort, 0);
        Files.writeString(dir.resolve("envoy.yaml"), EnvoyBootstrap.multi(listeners, net));
        Files.writeString(dir.resolve("istio-wasmplugins.yaml"), istio.toString());
        Files.writeString(
                dir.resolve("nginx.conf"),
                "# ngx_wasm_module (Kong's WasmX): one server per deployment (ENVOY.md §6)\n"
                        + "wasm {\n"
                        + nginxModules
                        + "    shm_kv pwtck_kv 16m;\n    shm_queue pwtck_q 16m;\n}\n"
                        + "http {\n"
                        + nginxServers
                        + "}\n");
        Files.writeString(
                dir.resolve("README.md"), readme(echoHost, echoPort, grpcPort, httpbinPort));
    }

    private static String istioPlugin(Entry e, String absWasm) {
        String config = new String(e.spec().pluginConfiguration(), StandardCharsets.UTF_8);
        return "---\n"
                + "apiVersion: extensions.istio.io/v1alpha1\n"
                + "kind: WasmPlugin\n"
                + "metadata:\n"
                + "  name: pwtck-"
                + e.key()
                + "\n"
                + "spec:\n"
                + "  url: file://"
                + absWasm
                + "\n"
                + "  pluginName: "
                + jsonString(e.spec().rootId())
                + "\n"
                + "  failStrategy: FAIL_CLOSE\n"
                + "  match:\n"
                + "  - mode: SERVER\n"
                + "    ports:\n"
                + "    - number: "
                + e.port()
                + "\n"
                + (config.isEmpty()
                        ? ""
                        : "  # pluginConfig is a Struct; Istio hands the filter its JSON text\n"
                                + "  pluginConfig: "
                                + config
                                + "\n")
                + (e.spec().vmConfiguration().length == 0
                        ? ""
                        : "  # this deployment also needs a VM configuration, which WasmPlugin cannot express\n");
    }

    private static String nginxServer(Entry e, String echoHost, int echoPort) {
        String config = new String(e.spec().pluginConfiguration(), StandardCharsets.UTF_8);
        return "    server {\n"
                + "        listen "
                + e.port()
                + ";\n"
                + "        location / {\n"
                + "            proxy_wasm pwtck_"
                + e.key()
                + " "
                + jsonString(config)
                + ";\n"
                + "            proxy_pass http://"
                + echoHost
                + ":"
                + echoPort
                + ";\n"
                + "        }\n"
                + "    }\n";
    }

    private static String jsonString(String s) {
        return JSON.getNodeFactory().textNode(s).toString();
    }

    private static String readme(String echoHost, int echoPort, int grpcPort, int httpbinPort) {
        return "# pwtck bundle for an external proxy\n\n"
                + "Every deployment the TCK needs, one listener port each (`bundle.json`: key, port,"
                + " filter, language, module). The TCK's echo upstream will listen on `"
                + echoHost
                + ":"
                + echoPort
                + "`; the proxy must route every request, and the `httpbin` cluster used by"
                + " `proxy_http_call`, there. The cluster `grpc` (HTTP/2) goes to the TCK's gRPC server on"
                + " port "
                + grpcPort
                + (httpbinPort > 0
                        ? " and `httpbin_real` to the real httpbin on port " + httpbinPort
                        : "")
                + " of the same address.\n\n"
                + "1. Deploy one of:\n"
                + "   - Envoy: `envoy -c envoy.yaml --disable-hot-restart` (one bootstrap, a listener per"
                + " deployment, clusters `pwtck_upstream` and `httpbin` → the echo).\n"
                + "   - Istio: `kubectl apply -f istio-wasmplugins.yaml` (one `WasmPlugin` per port; the"
                + " workload must expose these ports and route them to the echo).\n"
                + "   - Kong / ngx_wasm_module: include `nginx.conf` (one `server` per port).\n"
                + "2. Run the traffic phase: `mvn test -Ptck -Dtck.host=external"
                + " -Dpwtck.external.url=http://<proxy-host> -Dpwtck.external.bundle=<this directory>"
                + " -Dpwtck.echo.host="
                + echoHost
                + " -Dpwtck.echo.port="
                + echoPort
                + " -Dpwtck.grpc.port="
                + grpcPort
                + (httpbinPort > 0 ? " -Dpwtck.httpbin.port=" + httpbinPort : "")
                + "`.\n";
    }
}
