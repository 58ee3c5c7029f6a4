package org.pwtck.tck.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** The probe's results JSON (docs/filters/PROBE.md, "Results JSON"), read for assertions. */
public final class ProbeReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode root;

    private ProbeReport(JsonNode root) {
        this.root = root;
    }

    public static ProbeReport parse(String json) {
        try {
            return new ProbeReport(JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("the probe's report is not JSON: " + json, e);
        }
    }

    public String language() {
        return root.path("probe").asText();
    }

    /** Every record of a callback, in order. */
    public List<Record> records(String callback) {
        List<Record> out = new ArrayList<>();
        for (JsonNode r : root.path("records")) {
            if (r.path("callback").asText().equals(callback)) {
                out.add(new Record(r));
            }
        }
        return out;
    }

    /** The first record of a callback; fails with the whole report when there is none. */
    public Record record(String callback) {
        List<Record> records = records(callback);
        if (records.isEmpty()) {
            throw new AssertionError("the probe recorded no " + callback + ": " + root);
        }
        return records.get(0);
    }

    /** Step {@code index} of the first record of a callback. */
    public Step step(String callback, int index) {
        return record(callback).step(index);
    }

    @Override
    public String toString() {
        return root.toString();
    }

    /** One callback invocation. */
    public static final class Record {
        private final JsonNode node;

        Record(JsonNode node) {
            this.node = node;
        }

        public long contextId() {
            return node.path("context_id").asLong();
        }

        public List<Long> args() {
            List<Long> args = new ArrayList<>();
            node.path("args").forEach(a -> args.add(a.asLong()));
            return args;
        }

        public Step step(int index) {
            for (JsonNode r : node.path("results")) {
                if (r.path("step").asInt() == index) {
                    return new Step(r);
                }
            }
            throw new AssertionError("no step " + index + " in " + node);
        }
    }

    /** The result of one call step. */
    public static final class Step {
        private final JsonNode node;

        Step(JsonNode node) {
            this.node = node;
        }

        /** The raw status; an AssertionError when the step was not made. */
        public int status() {
            if (node.has("error")) {
                throw new AssertionError("the probe did not make the call: " + node);
            }
            return node.path("status").asInt();
        }

        public Optional<String> error() {
            return node.has("error") ? Optional.of(node.get("error").asText()) : Optional.empty();
        }

        public Out out(int index) {
            return new Out(node.path("outs").path(index));
        }

        @Override
        public String toString() {
            return node.toString();
        }
    }

    /** One out value of a step. */
    public static final class Out {
        private final JsonNode node;

        Out(JsonNode node) {
            this.node = node;
        }

        /** u32 values as numbers, u64 values (sent as strings) parsed unsigned. */
        public long value() {
            JsonNode v = node.path("value");
            return v.isTextual() ? Long.parseUnsignedLong(v.asText()) : v.asLong();
        }

        public long code() {
            return node.path("code").asLong();
        }

        public long flags() {
            return node.path("flags").asLong();
        }

        public long size() {
            return node.path("size").asLong();
        }

        public long ptr() {
            return node.path("ptr").asLong();
        }

        /** The data a (ptr, size) out pointed to; empty bytes when none. */
        public byte[] data() {
            return node.has("hex")
                    ? HexFormat.of().parseHex(node.get("hex").asText())
                    : new byte[0];
        }

        public String text() {
            return new String(data(), java.nio.charset.StandardCharsets.UTF_8);
        }

        /** The 16 sentinel-filled bytes of the (first) slot after the call. */
        public byte[] slot() {
            return HexFormat.of().parseHex(node.path("slot").asText());
        }

        @Override
        public String toString() {
            return node.toString();
        }
    }
}
