package org.pwtck.tck.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import java.util.List;

/** The logical arguments of a probe step (docs/filters/PROBE.md, "call"). */
public final class ProbeArg {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ProbeArg() {}

    public static JsonNode num(long value) {
        return F.numberNode(value);
    }

    public static JsonNode str(String text) {
        return F.objectNode().put("str", text);
    }

    public static JsonNode hex(byte[] bytes) {
        return F.objectNode().put("hex", HexFormat.of().formatHex(bytes));
    }

    /** A serialized map; each entry is {name, value}. */
    public static JsonNode pairs(String... namesAndValues) {
        ObjectNode node = F.objectNode();
        ArrayNode pairs = node.putArray("pairs");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            pairs.addArray().add(namesAndValues[i]).add(namesAndValues[i + 1]);
        }
        return node;
    }

    public static JsonNode path(String... segments) {
        ObjectNode node = F.objectNode();
        ArrayNode path = node.putArray("path");
        List.of(segments).forEach(path::add);
        return node;
    }

    public static JsonNode var(String name) {
        return F.objectNode().put("var", name);
    }

    public static JsonNode outU32() {
        return F.objectNode().put("out", "u32");
    }

    public static JsonNode outU64() {
        return F.objectNode().put("out", "u64");
    }

    public static JsonNode outData() {
        return F.objectNode().put("out", "data");
    }

    public static JsonNode outSizeFlags() {
        return F.objectNode().put("out", "u32+flags");
    }

    public static JsonNode outCodeData() {
        return F.objectNode().put("out", "code+data");
    }
}
