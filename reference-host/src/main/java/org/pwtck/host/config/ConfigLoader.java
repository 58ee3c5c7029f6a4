package org.pwtck.host.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.vm.EngineMode;
import org.pwtck.host.vm.LoadedModule;

/**
 * Reads a YAML (or JSON) config file and checks it as a whole: every problem is collected, each
 * naming the file, the field path and the reason, and nothing is returned unless there is none.
 * Relative paths are resolved against the config file's directory; a filter's {@code sha256} is
 * checked against the file here, so a mismatch refuses to start.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private final String file;
    private final Path dir;
    private final List<String> problems = new ArrayList<>();

    private ConfigLoader(Path source) {
        this.file = source.toString();
        Path parent = source.toAbsolutePath().getParent();
        this.dir = parent == null ? Path.of(".").toAbsolutePath() : parent;
    }

    /** Loads and checks a config file. */
    public static HostConfig load(Path source) throws ConfigException {
        String text;
        try {
            text = Files.readString(source);
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot be read: " + e.getMessage());
        }
        return parse(source, text);
    }

    /** Checks config text as if it had been read from {@code source}. */
    public static HostConfig parse(Path source, String text) throws ConfigException {
        ConfigLoader loader = new ConfigLoader(source);
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String where =
                    e.getLocation() == null
                            ? ""
                            : " (line "
                                    + e.getLocation().getLineNr()
                                    + ", column "
                                    + e.getLocation().getColumnNr()
                                    + ")";
            throw new ConfigException(
                    source
                            + ": (document): not valid YAML"
                            + where
                            + ": "
                            + e.getOriginalMessage());
        }
        HostConfig config = loader.config(root);
        if (!loader.problems.isEmpty()) {
            throw new ConfigException(loader.problems);
        }
        return config;
    }

    private void problem(String path, String reason) {
        problems.add(file + ": " + path + ": " + reason);
    }

    private HostConfig config(JsonNode root) {
        if (root == null || !root.isObject()) {
            problem("(document)", "must be a mapping with listeners, clusters, filters, routes");
            return null;
        }
        known(root, "", "listeners", "admin", "workers", "limits", "clusters", "filters", "routes");
        List<HostConfig.Listener> listeners = listeners(root.get("listeners"));
        HostConfig.Admin admin = admin(root.get("admin"));
        int workers =
                intField(root, "", "workers", Runtime.getRuntime().availableProcessors(), 1, 256);
        HostConfig.Limits limits = limits(root.get("limits"));
        Map<String, HostConfig.Cluster> clusters = clusters(root.get("clusters"));
        Map<String, HostConfig.Filter> filters = filters(root.get("filters"));
        List<HostConfig.Route> routes = routes(root.get("routes"), clusters, filters);
        Set<Integer> ports = new LinkedHashSet<>();
        for (int i = 0; i < listeners.size(); i++) {
            int port = listeners.get(i).port();
            if (port != 0 && !ports.add(port)) {
                problem("listeners[" + i + "].port", "port " + port + " is used twice");
            }
        }
        if (admin.port() != 0 && ports.contains(admin.port())) {
            problem("admin.port", "port " + admin.port() + " is also a listener's port");
        }
        return new HostConfig(
                Path.of(file).toAbsolutePath(),
                listeners,
                admin,
                workers,
                limits,
                clusters,
                filters,
                routes);
    }

    private List<HostConfig.Listener> listeners(JsonNode node) {
        List<HostConfig.Listener> out = new ArrayList<>();
        if (node == null) {
            problem("listeners", "missing (at least one listener: {address, port})");
            return out;
        }
        if (!node.isArray() || node.isEmpty()) {
            problem("listeners", "must be a non-empty list of {name, address, port}");
            return out;
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "listeners[" + i + "]";
            JsonNode l = node.get(i);
            if (!l.isObject()) {
                problem(path, "must be a mapping {name, address, port}");
                continue;
            }
            known(l, path, "name", "address", "port", "h2c");
            String name = string(l, path, "name", "listener-" + i);
            if (!names.add(name)) {
                problem(path + ".name", "listener name \"" + name + "\" is used twice");
            }
            out.add(
                    new HostConfig.Listener(
                            name,
                            string(l, path, "address", "127.0.0.1"),
                            intField(l, path, "port", null, 0, 65535),
                            bool(l, path, "h2c", true)));
        }
        return out;
    }

    private HostConfig.Admin admin(JsonNode node) {
        if (node == null) {
            return new HostConfig.Admin("127.0.0.1", 0);
        }
        if (!node.isObject()) {
            problem("admin", "must be a mapping {address, port}");
            return new HostConfig.Admin("127.0.0.1", 0);
        }
        known(node, "admin", "address", "port");
        return new HostConfig.Admin(
                string(node, "admin", "address", "127.0.0.1"),
                intField(node, "admin", "port", 0, 0, 65535));
    }

    private HostConfig.Limits limits(JsonNode node) {
        HostConfig.Limits d = HostConfig.Limits.defaults();
        if (node == null) {
            return d;
        }
        if (!node.isObject()) {
            problem("limits", "must be a mapping");
            return d;
        }
        known(
                node,
                "limits",
                "maxInitialLineBytes",
                "maxHeaderBytes",
                "bufferLimitBytes",
                "callbackDeadline",
                "pausedStreamTimeout");
        return new HostConfig.Limits(
                intField(
                        node,
                        "limits",
                        "maxInitialLineBytes",
                        d.maxInitialLineBytes(),
                        64,
                        1 << 20),
                intField(node, "limits", "maxHeaderBytes", d.maxHeaderBytes(), 64, 1 << 24),
                intField(
                        node,
                        "limits",
                        "bufferLimitBytes",
                        d.bufferLimitBytes(),
                        0,
                        Integer.MAX_VALUE),
                duration(node, "limits", "callbackDeadline", d.callbackDeadline(), false),
                duration(node, "limits", "pausedStreamTimeout", d.pausedStreamTimeout(), false));
    }

    private Map<String, HostConfig.Cluster> clusters(JsonNode node) {
        Map<String, HostConfig.Cluster> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!node.isObject()) {
            problem("clusters", "must be a mapping of cluster name → {endpoints, …}");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String path = "clusters." + name;
            JsonNode c = e.getValue();
            if (!NAME.matcher(name).matches()) {
                problem(path, "a cluster name is letters, digits, '_', '.', '-'");
            }
            if (!c.isObject()) {
                problem(path, "must be a mapping {endpoints, connectTimeout, requestTimeout, tls}");
                continue;
            }
            known(c, path, "endpoints", "connectTimeout", "requestTimeout", "tls");
            List<HostConfig.Endpoint> endpoints = new ArrayList<>();
            JsonNode eps = c.get("endpoints");
            if (eps == null || !eps.isArray() || eps.isEmpty()) {
                problem(path + ".endpoints", "must be a non-empty list of \"host:port\"");
            } else {
                for (int i = 0; i < eps.size(); i++) {
                    String epPath = path + ".endpoints[" + i + "]";
                    JsonNode ep = eps.get(i);
                    if (!ep.isTextual()) {
                        problem(epPath, "must be a string \"host:port\"");
                        continue;
                    }
                    String s = ep.asText();
                    int colon = s.lastIndexOf(':');
                    int port = -1;
                    if (colon > 0) {
                        try {
                            port = Integer.parseInt(s.substring(colon + 1));
                        } catch (NumberFormatException ignored) {
                            port = -1;
                        }
                    }
                    if (colon <= 0 || port < 1 || port > 65535) {
                        problem(epPath, "\"" + s + "\" is not host:port with a port 1..65535");
                        continue;
                    }
                    String host = s.substring(0, colon);
                    if (host.startsWith("[") && host.endsWith("]")) {
                        host = host.substring(1, host.length() - 1);
                    }
                    endpoints.add(new HostConfig.Endpoint(host, port));
                }
            }
            Optional<HostConfig.Tls> tls = tls(c.get("tls"), path + ".tls");
            out.put(
                    name,
                    new HostConfig.Cluster(
                            name,
                            endpoints,
                            duration(c, path, "connectTimeout", Duration.ofSeconds(2), false),
                            duration(c, path, "requestTimeout", Duration.ofSeconds(15), false),
                            tls));
        }
        return out;
    }

    /** A cluster's {@code tls}: absent or null = plain TCP; a CA bundle is read and parsed here. */
    private Optional<HostConfig.Tls> tls(JsonNode t, String path) {
        if (t == null || t.isNull()) {
            return Optional.empty();
        }
        if (!t.isObject()) {
            problem(path, "must be a mapping {caFile, sni}");
            return Optional.empty();
        }
        known(t, path, "caFile", "sni");
        Path ca = null;
        List<X509Certificate> trusted = List.of();
        if (t.hasNonNull("caFile")) {
            ca = dir.resolve(string(t, path, "caFile", "")).normalize();
            try {
                trusted = CaBundle.read(ca);
            } catch (CaBundle.InvalidCaBundleException e) {
                problem(path + ".caFile", e.getMessage());
            }
        }
        String sni = string(t, path, "sni", null);
        if (sni != null && !CaBundle.isValidServerName(sni)) {
            problem(path + ".sni", "\"" + sni + "\" is not a DNS host name (no IP addresses)");
        }
        return Optional.of(new HostConfig.Tls(ca, trusted, sni));
    }

    private Map<String, HostConfig.Filter> filters(JsonNode node) {
        Map<String, HostConfig.Filter> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!node.isObject()) {
            problem("filters", "must be a mapping of filter name → {path, sha256, config, …}");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String path = "filters." + name;
            JsonNode f = e.getValue();
            if (!NAME.matcher(name).matches()) {
                problem(path, "a filter name is letters, digits, '_', '.', '-'");
            }
            if (!f.isObject()) {
                problem(path, "must be a mapping {path, sha256, config, …}");
                continue;
            }
            known(
                    f,
                    path,
                    "path",
                    "url",
                    "sha256",
                    "vmId",
                    "rootId",
                    "vmConfig",
                    "config",
                    "engine",
                    "failPolicy",
                    "logLevel",
                    "maxMemoryPages",
                    "env");
            Path wasm = wasmPath(f, path);
            String sha = null;
            if (wasm != null) {
                try {
                    sha = LoadedModule.sha256(Files.readAllBytes(wasm));
                } catch (IOException ex) {
                    problem(path + ".path", "cannot read " + wasm + ": " + ex.getMessage());
                }
            }
            String expected = string(f, path, "sha256", null);
            if (expected != null) {
                String want = expected.toLowerCase(Locale.ROOT).replaceFirst("^sha256:", "");
                if (!want.matches("[0-9a-f]{64}")) {
                    problem(path + ".sha256", "must be 64 hex digits, got \"" + expected + "\"");
                } else if (sha != null && !sha.equals(want)) {
                    problem(
                            path + ".sha256",
                            "mismatch: " + wasm + " has sha256 " + sha + ", config says " + want);
                }
            }
            Map<String, String> env = new LinkedHashMap<>();
            JsonNode envNode = f.get("env");
            if (envNode != null) {
                if (!envNode.isObject()) {
                    problem(path + ".env", "must be a mapping NAME → value");
                } else {
                    envNode.fields()
                            .forEachRemaining(x -> env.put(x.getKey(), x.getValue().asText()));
                }
            }
            out.put(
                    name,
                    new HostConfig.Filter(
                            name,
                            wasm,
                            sha,
                            string(f, path, "vmId", ""),
                            string(f, path, "rootId", ""),
                            configText(f.get("vmConfig"), path + ".vmConfig"),
                            configText(f.get("config"), path + ".config"),
                            choice(f, path, "engine", EngineMode.class, EngineMode.INTERPRETER),
                            choice(
                                    f,
                                    path,
                                    "failPolicy",
                                    HostConfig.FailPolicy.class,
                                    HostConfig.FailPolicy.CLOSED),
                            choice(f, path, "logLevel", LogLevel.class, LogLevel.INFO),
                            intField(f, path, "maxMemoryPages", 4096, 1, 65536),
                            env));
        }
        return out;
    }

    private Path wasmPath(JsonNode f, String path) {
        String p = string(f, path, "path", null);
        String url = string(f, path, "url", null);
        if (p != null && url != null) {
            problem(path, "give either path or url, not both");
            return null;
        }
        if (p == null && url == null) {
            problem(path + ".path", "missing (the .wasm file of the filter)");
            return null;
        }
        Path resolved;
        String field = p != null ? ".path" : ".url";
        if (url != null) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException ex) {
                problem(path + ".url", "not a URL: " + ex.getMessage());
                return null;
            }
            if (!"file".equals(uri.getScheme())) {
                problem(
                        path + ".url",
                        "only file:// URLs are loaded (\""
                                + uri.getScheme()
                                + "://\" modules must be downloaded first; give the local file)");
                return null;
            }
            resolved = Path.of(uri.getPath());
        } else {
            resolved = dir.resolve(p).normalize();
        }
        if (!Files.isRegularFile(resolved)) {
            problem(path + field, "no such file: " + resolved);
            return null;
        }
        return resolved;
    }

    private List<HostConfig.Route> routes(
            JsonNode node,
            Map<String, HostConfig.Cluster> clusters,
            Map<String, HostConfig.Filter> filters) {
        List<HostConfig.Route> out = new ArrayList<>();
        if (node == null) {
            problem("routes", "missing (at least one route: {prefix, cluster, filters})");
            return out;
        }
        if (!node.isArray() || node.isEmpty()) {
            problem("routes", "must be a non-empty list of {name, prefix, cluster, filters}");
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            String path = "routes[" + i + "]";
            JsonNode r = node.get(i);
            if (!r.isObject()) {
                problem(path, "must be a mapping {name, prefix, cluster, filters}");
                continue;
            }
            known(r, path, "name", "prefix", "cluster", "filters");
            String prefix = string(r, path, "prefix", "/");
            if (!prefix.startsWith("/")) {
                problem(path + ".prefix", "must start with '/', got \"" + prefix + "\"");
            }
            String cluster = string(r, path, "cluster", null);
            if (cluster == null) {
                problem(path + ".cluster", "missing (the upstream cluster of this route)");
            } else if (!clusters.containsKey(cluster)) {
                problem(
                        path + ".cluster",
                        "unknown cluster \"" + cluster + "\" (known: " + known(clusters) + ")");
            }
            List<HostConfig.ChainEntry> chain = new ArrayList<>();
            JsonNode fs = r.get("filters");
            if (fs != null && !fs.isArray()) {
                problem(path + ".filters", "must be a list of filter names or {name, config}");
            } else if (fs != null) {
                for (int j = 0; j < fs.size(); j++) {
                    String fpath = path + ".filters[" + j + "]";
                    JsonNode f = fs.get(j);
                    String name;
                    Optional<String> config = Optional.empty();
                    if (f.isTextual()) {
                        name = f.asText();
                    } else if (f.isObject()) {
                        known(f, fpath, "name", "config");
                        name = string(f, fpath, "name", null);
                        if (f.has("config")) {
                            config = Optional.of(configText(f.get("config"), fpath + ".config"));
                        }
                        if (name == null) {
                            problem(fpath + ".name", "missing");
                            continue;
                        }
                    } else {
                        problem(fpath, "must be a filter name or {name, config}");
                        continue;
                    }
                    if (!filters.containsKey(name)) {
                        problem(
                                fpath,
                                "unknown filter \"" + name + "\" (known: " + known(filters) + ")");
                    }
                    chain.add(new HostConfig.ChainEntry(name, config));
                }
            }
            out.add(
                    new HostConfig.Route(
                            string(r, path, "name", "route-" + i), prefix, cluster, chain));
        }
        return out;
    }

    // ---- field helpers: each records a problem and returns a default on a bad value ----

    private static String known(Map<String, ?> map) {
        return map.isEmpty() ? "none" : String.join(", ", map.keySet());
    }

    private void known(JsonNode node, String path, String... fields) {
        Set<String> allowed = Set.of(fields);
        node.fieldNames()
                .forEachRemaining(
                        f -> {
                            if (!allowed.contains(f)) {
                                problem(
                                        (path.isEmpty() ? "" : path + ".") + f,
                                        "unknown field (known: " + String.join(", ", fields) + ")");
                            }
                        });
    }

    private String string(JsonNode node, String path, String field, String dflt) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isValueNode() || v.isBinary()) {
            problem(at(path, field), "must be a string");
            return dflt;
        }
        return v.asText();
    }

    private int intField(JsonNode node, String path, String field, Integer dflt, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (dflt == null) {
                problem(at(path, field), "missing");
                return 0;
            }
            return dflt;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            problem(at(path, field), "must be an integer " + min + ".." + max + ", got " + v);
            return dflt == null ? 0 : dflt;
        }
        int i = v.asInt();
        if (i < min || i > max) {
            problem(at(path, field), "must be " + min + ".." + max + ", got " + i);
            return dflt == null ? 0 : dflt;
        }
        return i;
    }

    private boolean bool(JsonNode node, String path, String field, boolean dflt) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            problem(at(path, field), "must be true or false, got " + v);
            return dflt;
        }
        return v.booleanValue();
    }

    private Duration duration(
            JsonNode node, String path, String field, Duration dflt, boolean zeroAllowed) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        Duration d = null;
        if (v.isIntegralNumber()) {
            d = Duration.ofMillis(v.asLong());
        } else if (v.isTextual()) {
            Matcher m = DURATION.matcher(v.asText().trim());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "ms" : m.group(2);
                d =
                        switch (unit) {
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            default -> Duration.ofMillis(n);
                        };
            }
        }
        if (d == null || d.isNegative() || (!zeroAllowed && d.isZero())) {
            problem(
                    at(path, field),
                    "must be a positive duration like 500ms, 2s or 1m (a number is milliseconds),"
                            + " got "
                            + v);
            return dflt;
        }
        return d;
    }

    private <E extends Enum<E>> E choice(
            JsonNode node, String path, String field, Class<E> type, E dflt) {
        String s = string(node, path, field, null);
        if (s == null) {
            return dflt;
        }
        String norm = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        // Istio's spellings: FAIL_CLOSE / FAIL_OPEN.
        if (type == HostConfig.FailPolicy.class) {
            norm = norm.replaceFirst("^FAIL_", "");
            if (norm.equals("CLOSE")) {
                norm = "CLOSED";
            }
        }
        if (type == LogLevel.class && norm.equals("WARNING")) {
            norm = "WARN";
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(norm)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        problem(at(path, field), "\"" + s + "\" is not one of " + String.join(", ", names));
        return dflt;
    }

    /** A plugin or VM configuration: a string as is; a mapping or list as its JSON text. */
    private String configText(JsonNode v, String path) {
        if (v == null || v.isNull()) {
            return "";
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isContainerNode() || v.isNumber() || v.isBoolean()) {
            try {
                return JSON.writeValueAsString(v);
            } catch (JsonProcessingException e) {
                problem(path, "cannot be written as JSON: " + e.getOriginalMessage());
                return "";
            }
        }
        problem(path, "must be a string, a mapping or a list");
        return "";
    }

    private static String at(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
