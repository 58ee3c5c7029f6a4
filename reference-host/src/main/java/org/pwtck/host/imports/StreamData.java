package org.pwtck.host.imports;

import java.util.Optional;
import org.pwtck.host.abi.BufferType;
import org.pwtck.host.abi.MapType;
import org.pwtck.host.context.Buffer;
import org.pwtck.host.context.FilterContext;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.HttpContext;
import org.pwtck.host.context.TcpContext;

/**
 * Finds the buffer or map a host call names: first what the running callback carries
 * (configuration, call responses, gRPC data, foreign-function arguments), then the effective
 * context's own stream data.
 */
final class StreamData {
    private StreamData() {}

    static Optional<Buffer> buffer(HostEnvironment env, BufferType type) {
        Optional<Buffer> scoped = env.scope().buffer(type);
        if (scoped.isPresent()) {
            return scoped;
        }
        FilterContext ctx = env.effectiveContext();
        if (ctx instanceof HttpContext http) {
            return http.body(type);
        }
        if (ctx instanceof TcpContext tcp) {
            return tcp.body(type);
        }
        return Optional.empty();
    }

    static Optional<HeaderMap> map(HostEnvironment env, MapType type) {
        Optional<HeaderMap> scoped = env.scope().map(type);
        if (scoped.isPresent()) {
            return scoped;
        }
        return env.effectiveContext() instanceof HttpContext http
                ? http.map(type)
                : Optional.empty();
    }

    /** Only a stream's own maps are writable, and only until the host has passed them on. */
    static Optional<HeaderMap> writableMap(HostEnvironment env, MapType type) {
        return env.effectiveContext() instanceof HttpContext http && http.isWritable(type)
                ? http.map(type)
                : Optional.empty();
    }
}
