package org.pwtck.tck.hosts.envoy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Envoy's --log-format-escaped records read back as the filter wrote them. */
class EnvoyLogUnescapeTest {

    @Test
    void undoesCEscapes() {
        assertEquals(
                "probe: results {\"a\":[1]}", EnvoyLog.unescape("probe: results {\\\"a\\\":[1]}"));
        assertEquals("a\nb\tc\\d", EnvoyLog.unescape("a\\nb\\tc\\\\d"));
        assertEquals("AB", EnvoyLog.unescape("\\x41\\102"));
        assertEquals("ü", EnvoyLog.unescape("\\303\\274"));
        assertEquals("plain", EnvoyLog.unescape("plain"));
    }

    @Test
    void filterViewOfAWasmLogRecordIsUnescaped() {
        EnvoyLog.Line line =
                EnvoyLog.Line.parse(
                        "2026-11-22T00:00:00.000|info|wasm|wasm log probe: probe: results {\\\"x\\\":1}");
        assertEquals("INFO probe: probe: results {\"x\":1}", line.filterView());
    }
}
