package org.pwtck.tck.hosts.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.vm.EngineMode;

/**
 * Writes a config file for the reference proxy ({@code pwtck-host run --config}, format in
 * reference-host's SERVER.md, read by {@code ConfigLoader}): the one place the TCK and the latency
 * bench spell out listeners, clusters, filters and routes. It only writes what it is told; the
 * loader checks the result (unknown filters in a route, missing files) when the proxy starts.
 * Jackson's YAML writer quotes every string, so a filter's configuration reaches it byte for byte.
 */
public final class ProxyConfigBuilder {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final ObjectNode root = YAML.createObjectNode();

    /** A listener the proxy serves HTTP on; port 0 picks a free one. */
    public ProxyConfigBuilder listener(String name, String address, int port) {
        array("listeners").addObject().put("name", name).put("address", address).put("port", port);
        return this;
    }

    /** The admin endpoint; port 0 picks a free one. */
    public ProxyConfigBuilder admin(String address, int port) {
        root.putObject("admin").put("address", address).put("port", port);
        return this;
    }

    /** How many event-loop threads serve the listeners. */
    public ProxyConfigBuilder workers(int workers) {
        root.put("workers", workers);
        return this;
    }

    /** How long one callback into a filter's VM may run before the VM counts as failed. */
    public ProxyConfigBuilder callbackDeadline(Duration deadline) {
        object("limits").put("callbackDeadline", millis(deadline));
        return this;
    }

    /** How long a stream a filter paused may wait before the proxy answers 504. */
    public ProxyConfigBuilder pausedStreamTimeout(Duration timeout) {
        object("limits").put("pausedStreamTimeout", millis(timeout));
        return this;
    }

    /** An upstream cluster by name with its endpoints. */
    public ProxyConfigBuilder cluster(String name, List<HostConfig.Endpoint> endpoints) {
        ArrayNode list = object("clusters").putObject(name).putArray("endpoints");
        endpoints.forEach(e -> list.add(e.toString()));
        return this;
    }

    /**
     * A filter by name, run from {@code wasm} (a relative path is resolved against the config
     * file's directory); the returned {@link Filter} sets its other fields.
     */
    public Filter filter(String name, Path wasm) {
        ObjectNode f = object("filters").putObject(name);
        f.put("path", wasm.toString());
        return new Filter(f);
    }

    /** A route: paths starting with {@code prefix} go to {@code cluster} through the chain. */
    public ProxyConfigBuilder route(
            String name, String prefix, String cluster, List<String> filterChain) {
        ObjectNode r = array("routes").addObject();
        r.put("name", name).put("prefix", prefix).put("cluster", cluster);
        ArrayNode chain = r.putArray("filters");
        filterChain.forEach(chain::add);
        return this;
    }

    /** The config as YAML text. */
    public String toYaml() {
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of strings and numbers always writes
        }
    }

    /** One entry of {@code filters}; fields left unset take the loader's defaults. */
    public static final class Filter {
        private final ObjectNode node;

        private Filter(ObjectNode node) {
            this.node = node;
        }

        /** The plugin configuration, passed to the filter as it is. */
        public Filter config(String config) {
            return set("config", config);
        }

        public Filter vmConfig(String vmConfig) {
            return set("vmConfig", vmConfig);
        }

        public Filter rootId(String rootId) {
            return set("rootId", rootId);
        }

        public Filter vmId(String vmId) {
            return set("vmId", vmId);
        }

        public Filter engine(EngineMode engine) {
            return set("engine", lower(engine));
        }

        public Filter logLevel(LogLevel level) {
            return set("logLevel", lower(level));
        }

        public Filter failPolicy(HostConfig.FailPolicy policy) {
            return set("failPolicy", lower(policy));
        }

        private Filter set(String field, String value) {
            node.put(field, value);
            return this;
        }
    }

    private ArrayNode array(String field) {
        return root.has(field) ? (ArrayNode) root.get(field) : root.putArray(field);
    }

    private ObjectNode object(String field) {
        return root.has(field) ? (ObjectNode) root.get(field) : root.putObject(field);
    }

    private static String millis(Duration d) {
        return d.toMillis() + "ms";
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
