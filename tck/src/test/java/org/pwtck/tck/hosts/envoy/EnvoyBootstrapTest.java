package org.pwtck.tck.hosts.envoy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.pwtck.tck.api.FilterSpec;

class EnvoyBootstrapTest {
    private static final EnvoyBootstrap.Network LOOPBACK =
            EnvoyBootstrap.Network.loopback(18081, Duration.ofSeconds(15));

    private static FilterSpec spec() {
        return new FilterSpec(
                "probe",
                "rust",
                new byte[] {0, 'a', 's', 'm'},
                "{\"case\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                "vm-conf".getBytes(StandardCharsets.UTF_8),
                "my_root",
                "my_vm");
    }

    private static String yaml() {
        return EnvoyBootstrap.yaml(spec(), "/tmp/run/probe.wasm", LOOPBACK);
    }

    @Test
    void listenerAndAdminOnLoopbackWithEphemeralPorts() {
        String y = yaml();
        assertTrue(
                y.contains(
                        "admin:\n  address: {socket_address: {address: \"127.0.0.1\", port_value: 0}}\n"),
                y);
        assertTrue(y.contains("  - name: \"pwtck_http\"\n"), y);
        assertTrue(
                y.contains(
                        "    address: {socket_address: {address: \"127.0.0.1\", port_value: 0}}\n"),
                y);
        assertTrue(y.contains("stream_idle_timeout: 15s\n"), y);
        assertTrue(y.contains("route: {cluster: \"pwtck_upstream\", timeout: 15s}"), y);
    }

    @Test
    void wasmFilterCarriesTheSpecsConfiguration() {
        String y = yaml();
        assertTrue(y.contains("- name: envoy.filters.http.wasm\n"), y);
        assertTrue(y.contains("type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm"), y);
        assertTrue(y.contains("                name: \"probe\"\n"), y);
        assertTrue(y.contains("                root_id: \"my_root\"\n"), y);
        assertTrue(
                y.contains(
                        "                configuration: {\"@type\": \"type.googleapis.com/google.protobuf.StringValue\", value: \"{\\\"case\\\":\\\"x\\\"}\"}\n"),
                y);
        assertTrue(y.contains("                failure_policy: FAIL_CLOSED\n"), y);
        assertTrue(y.contains("                  vm_id: \"my_vm\"\n"), y);
        assertTrue(y.contains("                  runtime: envoy.wasm.runtime.v8\n"), y);
        assertTrue(
                y.contains(
                        "                  code: {local: {filename: \"/tmp/run/probe.wasm\"}}\n"),
                y);
        assertTrue(
                y.contains(
                        "                  configuration: {\"@type\": \"type.googleapis.com/google.protobuf.StringValue\", value: \"vm-conf\"}\n"),
                y);
        // the wasm filter comes before the router
        assertTrue(y.indexOf("envoy.filters.http.wasm") < y.indexOf("envoy.filters.http.router"));
    }

    @Test
    void upstreamAndHttpbinClustersPointAtTheEcho() {
        String y = yaml();
        for (String cluster : new String[] {"pwtck_upstream", FilterSpec.HTTPBIN_CLUSTER}) {
            String block = y.substring(y.indexOf("  - name: \"" + cluster + "\"\n"));
            assertTrue(
                    block.startsWith("  - name: \"" + cluster + "\"\n    type: STATIC\n"), block);
            assertTrue(
                    block.contains("socket_address: {address: \"127.0.0.1\", port_value: 18081}"),
                    block);
        }
    }

    @Test
    void emptyConfigurationsAndIdsStayEmpty() {
        String y =
                EnvoyBootstrap.yaml(
                        FilterSpec.of("f", "wat", new byte[0], ""), "/w.wasm", LOOPBACK);
        assertFalse(y.contains("configuration:"), y);
        assertTrue(y.contains("root_id: \"\"\n"), y);
        assertTrue(y.contains("vm_id: \"\"\n"), y);
    }

    @Test
    void binaryConfigurationGoesAsBase64BytesValue() {
        byte[] bytes = {(byte) 0xff, 0, 1, (byte) 0xc3};
        String any = EnvoyBootstrap.any(bytes);
        assertEquals(
                "{\"@type\": \"type.googleapis.com/google.protobuf.BytesValue\", value: \""
                        + Base64.getEncoder().encodeToString(bytes)
                        + "\"}",
                any);
    }

    @Test
    void hostileNamesAreQuoted() {
        assertEquals("\"a\\\"b\\\\c\\nd: e # f\"", EnvoyBootstrap.q("a\"b\\c\nd: e # f"));
        assertEquals("\"\\u0000\\u0007\"", EnvoyBootstrap.q("\0\7"));
        assertEquals("\"héllo ✓\"", EnvoyBootstrap.q("héllo ✓"));
    }

    @Test
    void containerNetworkUsesDnsForTheEchoHost() {
        String y =
                EnvoyBootstrap.yaml(
                        spec(),
                        "/etc/pwtck/plugin.wasm",
                        new EnvoyBootstrap.Network(
                                "0.0.0.0",
                                10000,
                                "0.0.0.0",
                                9901,
                                "host.testcontainers.internal",
                                4242,
                                Duration.ofMillis(2500)));
        assertTrue(y.contains("port_value: 10000"), y);
        assertTrue(y.contains("type: STRICT_DNS\n    dns_lookup_family: V4_ONLY\n"), y);
        assertTrue(y.contains("address: \"host.testcontainers.internal\", port_value: 4242"), y);
        assertTrue(y.contains("stream_idle_timeout: 2.500s"), y);
    }
}
