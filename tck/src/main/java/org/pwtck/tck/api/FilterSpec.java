package org.pwtck.tck.api;

import java.nio.charset.StandardCharsets;

/**
 * A filter to deploy: the module, its display name and language, and its configuration. Calls the
 * filter makes to the cluster {@link #HTTPBIN_CLUSTER} reach the TCK's httpbin-compatible echo.
 */
public record FilterSpec(
        String name,
        String language,
        byte[] wasm,
        byte[] pluginConfiguration,
        byte[] vmConfiguration,
        String rootId,
        String vmId) {

    /** The cluster name under which every host must expose the TCK's echo backend. */
    public static final String HTTPBIN_CLUSTER = "httpbin";

    /** The cluster of the TCK's gRPC server (HTTP/2, see {@code GrpcBackend}). */
    public static final String GRPC_CLUSTER = "grpc";

    /** The cluster of the real httpbin (Python), when it is installed (see {@code RealHttpbin}). */
    public static final String REAL_HTTPBIN_CLUSTER = "httpbin_real";

    public static FilterSpec of(String name, String language, byte[] wasm, String config) {
        return new FilterSpec(
                name, language, wasm, config.getBytes(StandardCharsets.UTF_8), new byte[0], "", "");
    }

    public FilterSpec withVmConfiguration(String config) {
        return new FilterSpec(
                name,
                language,
                wasm,
                pluginConfiguration,
                config.getBytes(StandardCharsets.UTF_8),
                rootId,
                vmId);
    }

    public FilterSpec withVmId(String id) {
        return new FilterSpec(
                name, language, wasm, pluginConfiguration, vmConfiguration, rootId, id);
    }

    public String pluginConfigurationString() {
        return new String(pluginConfiguration, StandardCharsets.UTF_8);
    }
}
