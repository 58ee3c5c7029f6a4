package org.pwtck.host.imports;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.pwtck.host.abi.BufferType;
import org.pwtck.host.abi.Header;
import org.pwtck.host.abi.HeaderPairsCodec;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.abi.MapType;
import org.pwtck.host.abi.MetricType;
import org.pwtck.host.abi.Status;
import org.pwtck.host.abi.StreamType;
import org.pwtck.host.vm.AbiException;

/**
 * Reading host-call arguments. Enum arguments are checked first, before any memory is touched, so
 * an out-of-range value is always {@link Status#BAD_ARGUMENT} (ABI.md §2).
 */
final class Args {
    private Args() {}

    static MapType mapType(long raw) {
        return MapType.fromCode(raw).orElseThrow(() -> bad("map type " + u32(raw)));
    }

    static BufferType bufferType(long raw) {
        return BufferType.fromCode(raw).orElseThrow(() -> bad("buffer type " + u32(raw)));
    }

    static StreamType streamType(long raw) {
        return StreamType.fromCode(raw).orElseThrow(() -> bad("stream type " + u32(raw)));
    }

    static LogLevel logLevel(long raw) {
        return LogLevel.fromCode(raw).orElseThrow(() -> bad("log level " + u32(raw)));
    }

    static MetricType metricType(long raw) {
        return MetricType.fromCode(raw).orElseThrow(() -> bad("metric type " + u32(raw)));
    }

    /** An i32 argument as the unsigned value the ABI means. */
    static long u32(long raw) {
        return raw & 0xFFFFFFFFL;
    }

    static byte[] bytes(HostEnvironment env, long ptr, long len) {
        return env.memory().read(u32(ptr), u32(len));
    }

    static String string(HostEnvironment env, long ptr, long len) {
        return new String(bytes(env, ptr, len), StandardCharsets.UTF_8);
    }

    static List<Header> pairs(HostEnvironment env, long ptr, long len) {
        byte[] raw = bytes(env, ptr, len);
        try {
            return HeaderPairsCodec.decode(raw);
        } catch (HeaderPairsCodec.MalformedPairsException e) {
            throw new AbiException(Status.BAD_ARGUMENT, "malformed map: " + e.getMessage());
        }
    }

    static AbiException bad(String what) {
        return new AbiException(Status.BAD_ARGUMENT, "unknown " + what);
    }

    static AbiException status(Status status, String reason) {
        return new AbiException(status, reason);
    }
}
