package org.pwtck.host.context;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.pwtck.host.abi.BufferType;
import org.pwtck.host.abi.MapType;

/**
 * What exists only while one callback runs: the configuration buffers in {@code on_vm_start} and
 * {@code on_configure}, an HTTP call's response in {@code on_http_call_response}, a gRPC message or
 * metadata, the foreign function's arguments. Looked up before the stream's own maps.
 */
public final class CallbackScope {
    private final String callback;
    private final int contextId;
    // made on first use: most callbacks (every request's headers callbacks) carry neither
    private Map<BufferType, Buffer> buffers;
    private Map<MapType, HeaderMap> maps;
    private boolean localResponseSent;

    public CallbackScope(String callback, int contextId) {
        this.callback = callback;
        this.contextId = contextId;
    }

    /** The export being called, e.g. {@code proxy_on_request_headers}. */
    public String callback() {
        return callback;
    }

    /** The context id the callback was called with (its first argument). */
    public int contextId() {
        return contextId;
    }

    public CallbackScope withBuffer(BufferType type, byte[] bytes) {
        if (buffers == null) {
            buffers = new EnumMap<>(BufferType.class);
        }
        buffers.put(type, Buffer.readOnly(bytes));
        return this;
    }

    public CallbackScope withMap(MapType type, HeaderMap map) {
        if (maps == null) {
            maps = new EnumMap<>(MapType.class);
        }
        maps.put(type, map);
        return this;
    }

    public Optional<Buffer> buffer(BufferType type) {
        return buffers == null ? Optional.empty() : Optional.ofNullable(buffers.get(type));
    }

    public Optional<HeaderMap> map(MapType type) {
        return maps == null ? Optional.empty() : Optional.ofNullable(maps.get(type));
    }

    /** Set by {@code proxy_send_local_response}: the callback's action becomes a pause. */
    public void markLocalResponseSent() {
        localResponseSent = true;
    }

    public boolean localResponseSent() {
        return localResponseSent;
    }
}
