package org.pwtck.host.abi;

import static org.pwtck.host.abi.AbiVersion.V0_1_0;
import static org.pwtck.host.abi.AbiVersion.V0_2_0;
import static org.pwtck.host.abi.AbiVersion.V0_2_1;
import static org.pwtck.host.abi.AbiVersion.VNEXT;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The single list of host functions (module {@code env}) the reference host provides, with their
 * exact wasm signatures and the ABI versions that define them (ABI.md §0.1 and §2). It drives
 * registration, the import check at load time and the coverage table; nothing else lists host
 * functions.
 */
public enum AbiFunction {
    PROXY_DONE(AbiArea.CONTEXT, "", all()),
    PROXY_SET_EFFECTIVE_CONTEXT(AbiArea.CONTEXT, "i", all()),
    PROXY_LOG(AbiArea.LOGGING, "iii", all()),
    PROXY_GET_LOG_LEVEL(AbiArea.LOGGING, "i", EnumSet.of(V0_2_1, VNEXT)),
    PROXY_GET_CURRENT_TIME_NANOSECONDS(AbiArea.TIME, "i", all()),
    PROXY_SET_TICK_PERIOD_MILLISECONDS(AbiArea.TIME, "i", all()),
    PROXY_GET_BUFFER_BYTES(AbiArea.BUFFERS, "iiiii", all()),
    PROXY_SET_BUFFER_BYTES(AbiArea.BUFFERS, "iiiii", all()),
    PROXY_GET_BUFFER_STATUS(AbiArea.BUFFERS, "iii", all()),
    PROXY_GET_HEADER_MAP_SIZE(AbiArea.HEADER_MAPS, "ii", all()),
    PROXY_GET_HEADER_MAP_PAIRS(AbiArea.HEADER_MAPS, "iii", all()),
    PROXY_SET_HEADER_MAP_PAIRS(AbiArea.HEADER_MAPS, "iii", all()),
    PROXY_GET_HEADER_MAP_VALUE(AbiArea.HEADER_MAPS, "iiiii", all()),
    PROXY_ADD_HEADER_MAP_VALUE(AbiArea.HEADER_MAPS, "iiiii", all()),
    PROXY_REPLACE_HEADER_MAP_VALUE(AbiArea.HEADER_MAPS, "iiiii", all()),
    PROXY_REMOVE_HEADER_MAP_VALUE(AbiArea.HEADER_MAPS, "iii", all()),
    PROXY_CONTINUE_STREAM(AbiArea.STREAM_CONTROL, "i", since020()),
    PROXY_CLOSE_STREAM(AbiArea.STREAM_CONTROL, "i", since020()),
    PROXY_GET_STATUS(AbiArea.STREAM_CONTROL, "iii", all()),
    PROXY_SEND_LOCAL_RESPONSE(AbiArea.STREAM_CONTROL, "iiiiiiii", all()),
    PROXY_HTTP_CALL(AbiArea.HTTP_CALL, "iiiiiiiiii", all()),
    PROXY_GRPC_CALL(AbiArea.GRPC, "iiiiiiiiiiii", all()),
    PROXY_GRPC_STREAM(AbiArea.GRPC, "iiiiiiiii", all()),
    PROXY_GRPC_SEND(AbiArea.GRPC, "iiii", all()),
    PROXY_GRPC_CANCEL(AbiArea.GRPC, "i", all()),
    PROXY_GRPC_CLOSE(AbiArea.GRPC, "i", all()),
    PROXY_GET_SHARED_DATA(AbiArea.SHARED_DATA, "iiiii", all()),
    PROXY_SET_SHARED_DATA(AbiArea.SHARED_DATA, "iiiii", all()),
    PROXY_REGISTER_SHARED_QUEUE(AbiArea.SHARED_QUEUE, "iii", all()),
    PROXY_RESOLVE_SHARED_QUEUE(AbiArea.SHARED_QUEUE, "iiiii", all()),
    PROXY_ENQUEUE_SHARED_QUEUE(AbiArea.SHARED_QUEUE, "iii", all()),
    PROXY_DEQUEUE_SHARED_QUEUE(AbiArea.SHARED_QUEUE, "iii", all()),
    PROXY_DEFINE_METRIC(AbiArea.METRICS, "iiii", all()),
    PROXY_RECORD_METRIC(AbiArea.METRICS, "iI", all()),
    PROXY_INCREMENT_METRIC(AbiArea.METRICS, "iI", all()),
    PROXY_GET_METRIC(AbiArea.METRICS, "ii", all()),
    PROXY_GET_PROPERTY(AbiArea.PROPERTIES, "iiii", all()),
    PROXY_SET_PROPERTY(AbiArea.PROPERTIES, "iiii", all()),
    PROXY_CALL_FOREIGN_FUNCTION(AbiArea.FOREIGN_FUNCTION, "iiiiii", all()),
    PROXY_GET_CONFIGURATION(AbiArea.LEGACY, "ii", EnumSet.of(V0_1_0)),
    PROXY_CONTINUE_REQUEST(AbiArea.LEGACY, "", EnumSet.of(V0_1_0)),
    PROXY_CONTINUE_RESPONSE(AbiArea.LEGACY, "", EnumSet.of(V0_1_0)),
    PROXY_CLEAR_ROUTE_CACHE(AbiArea.LEGACY, "", EnumSet.of(V0_1_0)),
    /** Imported by Emscripten-built C++ SDK modules; not part of any spec version. */
    EMSCRIPTEN_NOTIFY_MEMORY_GROWTH(AbiArea.COMPAT, "i", all(), false);

    /** The module name every proxy-wasm host function is imported from. */
    public static final String MODULE = "env";

    private final AbiArea area;
    private final List<WasmType> params;
    private final List<WasmType> results;
    private final Set<AbiVersion> versions;
    private final boolean inSpec;
    // computed once: it names the function in every error and debug line of every host call
    private final String wasmName = name().toLowerCase(java.util.Locale.ROOT);

    AbiFunction(AbiArea area, String params, Set<AbiVersion> versions) {
        this(area, params, versions, true);
    }

    AbiFunction(AbiArea area, String params, Set<AbiVersion> versions, boolean inSpec) {
        this.area = area;
        this.params = WasmType.parse(params);
        this.results = inSpec ? List.of(WasmType.I32) : List.of();
        this.versions = versions;
        this.inSpec = inSpec;
    }

    private static Set<AbiVersion> all() {
        return EnumSet.allOf(AbiVersion.class);
    }

    private static Set<AbiVersion> since020() {
        return EnumSet.of(V0_2_0, V0_2_1, VNEXT);
    }

    /** The import name, e.g. {@code proxy_get_header_map_value}. */
    public String wasmName() {
        return wasmName;
    }

    public AbiArea area() {
        return area;
    }

    public List<WasmType> params() {
        return params;
    }

    public List<WasmType> results() {
        return results;
    }

    public Set<AbiVersion> versions() {
        return EnumSet.copyOf(versions);
    }

    public boolean availableIn(AbiVersion version) {
        return versions.contains(version);
    }

    /** False for host-specific extras such as {@code emscripten_notify_memory_growth}. */
    public boolean inSpec() {
        return inSpec;
    }

    /** The signature in wasm text style, e.g. {@code (i32 i64) -> (i32)}. */
    public String signature() {
        return WasmType.signature(params, results);
    }

    public static Optional<AbiFunction> byWasmName(String name) {
        for (AbiFunction f : values()) {
            if (f.wasmName().equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
