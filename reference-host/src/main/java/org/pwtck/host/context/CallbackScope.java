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
    private final Map<BufferType, Buffer> buffers = new EnumMap<>(BufferType.class);
    private final Map<MapType, HeaderMap> maps = new EnumMap<>(MapType.class);
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
        buffers.put(type, Buffer.readOnly(bytes));
        return this;
    }

    public CallbackScope withMap(MapType type, HeaderMap map) {
        maps.put(type, map);
        return this;
    }

    public Optional<Buffer> buffer(BufferType type) {
        return Optional.ofNullable(buffers.get(type));
    }

    public Optional<HeaderMap> map(MapType type) {
        return Optional.ofNullable(maps.get(type));
    }

    /** Set by {@code proxy_send_local_response}: the callback's action becomes a pause. */
    public void markLocalResponseSent() {
        localResponseSent = true;
    }

    public boolean localResponseSent() {
        return localResponseSent;
    }
}
