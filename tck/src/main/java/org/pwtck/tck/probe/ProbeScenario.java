package org.pwtck.tck.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;

/**
 * A probe configuration (docs/filters/PROBE.md) built in Java:
 *
 * <pre>{@code
 * ProbeScenario.create()
 *     .on("on_request_headers", cb -> cb
 *         .call("proxy_get_header_map_value", num(0), str(":path"), outData())
 *         .report("local_response"))
 * }</pre>
 */
public final class ProbeScenario {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectNode root = JSON.createObjectNode();
    private final ObjectNode callbacks = root.putObject("callbacks");

    private ProbeScenario() {}

    public static ProbeScenario create() {
        return new ProbeScenario();
    }

    public ProbeScenario on(String callback, Consumer<CallbackSteps> steps) {
        ObjectNode entry =
                callbacks.has(callback)
                        ? (ObjectNode) callbacks.get(callback)
                        : callbacks.putObject(callback);
        if (!entry.has("steps")) {
            entry.putArray("steps");
        }
        steps.accept(new CallbackSteps(entry));
        return this;
    }

    public ProbeScenario trace() {
        root.put("trace", true);
        return this;
    }

    public String json() {
        return root.toString();
    }

    @Override
    public String toString() {
        return json();
    }

    /** The steps and return value of one callback. */
    public static final class CallbackSteps {
        private final ObjectNode entry;
        private final ArrayNode steps;

        CallbackSteps(ObjectNode entry) {
            this.entry = entry;
            this.steps = (ArrayNode) entry.get("steps");
        }

        public CallbackSteps call(String function, JsonNode... args) {
            ObjectNode step = steps.addObject().put("call", function);
            ArrayNode a = step.putArray("args");
            for (JsonNode arg : args) {
                a.add(arg);
            }
            return this;
        }

        /** Like {@link #call}, saving the first out value under a name for later steps. */
        public CallbackSteps callAndSave(String save, String function, JsonNode... args) {
            call(function, args);
            ((ObjectNode) steps.get(steps.size() - 1)).put("save", save);
            return this;
        }

        public CallbackSteps report(String kind) {
            steps.addObject().put("report", kind);
            return this;
        }

        public CallbackSteps reportLocalResponse(int status) {
            steps.addObject().put("report", "local_response").put("status", status);
            return this;
        }

        public CallbackSteps reportHeader(String name) {
            steps.addObject().put("report", "header").put("name", name);
            return this;
        }

        public CallbackSteps trap() {
            steps.addObject().put("trap", "unreachable");
            return this;
        }

        public CallbackSteps action(int action) {
            entry.put("action", action);
            return this;
        }

        public CallbackSteps result(int result) {
            entry.put("result", result);
            return this;
        }

        public CallbackSteps once() {
            entry.put("once", true);
            return this;
        }
    }
}
