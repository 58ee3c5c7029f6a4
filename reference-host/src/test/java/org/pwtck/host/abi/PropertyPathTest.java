package org.pwtck.host.abi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PropertyPathTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encodesSegmentsJoinedByOneNulWithoutTrailingNul() {
        assertArrayEquals(bytes("request\0path"), PropertyPath.encode(List.of("request", "path")));
    }

    @Test
    void decodesNulSeparatedSegments() {
        assertEquals(
                List.of("filter_state", "wasm.x", "y"),
                PropertyPath.decode(bytes("filter_state\0wasm.x\0y")));
    }

    @Test
    void toleratesOneTrailingNul() {
        assertEquals(List.of("request", "path"), PropertyPath.decode(bytes("request\0path\0")));
    }

    @Test
    void onlyOneTrailingNulIsDropped() {
        assertEquals(List.of("a", ""), PropertyPath.decode(bytes("a\0\0")));
    }

    @Test
    void singleSegmentAndUtf8RoundTrip() {
        List<String> path = List.of("node", "métadata", "ключ");
        byte[] encoded = PropertyPath.encode(path);
        assertEquals(
                "node".length() + 1 + "métadata".getBytes(StandardCharsets.UTF_8).length + 1 + 8,
                encoded.length);
        assertEquals(path, PropertyPath.decode(encoded));
        assertEquals(List.of("plugin_name"), PropertyPath.decode(bytes("plugin_name")));
    }

    @Test
    void dottedFormForMessages() {
        assertEquals("request.path", PropertyPath.dotted(List.of("request", "path")));
    }
}
