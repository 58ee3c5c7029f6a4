package org.pwtck.host.abi;

import java.util.List;
import java.util.Optional;

/**
 * The callbacks a host calls on a module (ABI.md §3.1), with their wasm signatures. The header
 * callbacks have one parameter less in 0.1.0 (no {@code end_of_stream}).
 */
public enum Callback {
    PROXY_ON_MEMORY_ALLOCATE("i", "i"),
    MALLOC("i", "i"),
    PROXY_ON_CONTEXT_CREATE("ii", ""),
    PROXY_ON_VM_START("ii", "i"),
    PROXY_ON_CONFIGURE("ii", "i"),
    PROXY_ON_TICK("i", ""),
    PROXY_ON_NEW_CONNECTION("i", "i"),
    PROXY_ON_DOWNSTREAM_DATA("iii", "i"),
    PROXY_ON_DOWNSTREAM_CONNECTION_CLOSE("ii", ""),
    PROXY_ON_UPSTREAM_DATA("iii", "i"),
    PROXY_ON_UPSTREAM_CONNECTION_CLOSE("ii", ""),
    PROXY_ON_REQUEST_HEADERS("iii", "i"),
    PROXY_ON_REQUEST_BODY("iii", "i"),
    PROXY_ON_REQUEST_TRAILERS("ii", "i"),
    PROXY_ON_RESPONSE_HEADERS("iii", "i"),
    PROXY_ON_RESPONSE_BODY("iii", "i"),
    PROXY_ON_RESPONSE_TRAILERS("ii", "i"),
    PROXY_ON_HTTP_CALL_RESPONSE("iiiii", ""),
    PROXY_ON_GRPC_RECEIVE_INITIAL_METADATA("iii", ""),
    PROXY_ON_GRPC_RECEIVE("iii", ""),
    PROXY_ON_GRPC_RECEIVE_TRAILING_METADATA("iii", ""),
    PROXY_ON_GRPC_CLOSE("iii", ""),
    PROXY_ON_QUEUE_READY("ii", ""),
    PROXY_ON_FOREIGN_FUNCTION("iii", ""),
    PROXY_ON_DONE("i", "i"),
    PROXY_ON_LOG("i", ""),
    PROXY_ON_DELETE("i", "");

    private final List<WasmType> params;
    private final List<WasmType> results;
    // computed once: every callback of every request looks it up
    private final String exportName;

    Callback(String params, String results) {
        this.params = WasmType.parse(params);
        this.results = WasmType.parse(results);
        this.exportName = name().toLowerCase(java.util.Locale.ROOT);
    }

    public String exportName() {
        return exportName;
    }

    /** Parameters for a module of the given ABI version. */
    public List<WasmType> params(AbiVersion version) {
        boolean headers = this == PROXY_ON_REQUEST_HEADERS || this == PROXY_ON_RESPONSE_HEADERS;
        return headers && version == AbiVersion.V0_1_0 ? params.subList(0, 2) : params;
    }

    public List<WasmType> results() {
        return results;
    }

    public String signature(AbiVersion version) {
        return WasmType.signature(params(version), results);
    }

    /** {@code proxy_on_foreign_function} exists from 0.2.0 on; everything else in every version. */
    public boolean availableIn(AbiVersion version) {
        return this != PROXY_ON_FOREIGN_FUNCTION || version.isAtLeast020();
    }

    public static Optional<Callback> byExportName(String name) {
        for (Callback c : values()) {
            if (c.exportName().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
