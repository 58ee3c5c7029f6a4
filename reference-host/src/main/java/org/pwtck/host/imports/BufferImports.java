package org.pwtck.host.imports;

import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.BufferType;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.Buffer;

/**
 * {@code proxy_get_buffer_bytes}, {@code proxy_set_buffer_bytes}, {@code proxy_get_buffer_status}.
 */
final class BufferImports {
    private BufferImports() {}

    static void register(HostFunctionTable t) {
        t.put(AbiFunction.PROXY_GET_BUFFER_BYTES, BufferImports::getBytes);
        t.put(AbiFunction.PROXY_SET_BUFFER_BYTES, BufferImports::setBytes);
        t.put(AbiFunction.PROXY_GET_BUFFER_STATUS, BufferImports::getStatus);
    }

    /**
     * Copies out up to {@code max_size} bytes from {@code start}, clipped to the buffer; a start
     * past the end gives no bytes. {@code start + max_size} beyond 2^32 is BAD_ARGUMENT.
     */
    static int getBytes(HostEnvironment env, long[] args) {
        BufferType type = Args.bufferType(args[0]);
        long start = Args.u32(args[1]);
        long max = Args.u32(args[2]);
        if (start + max > 0xFFFFFFFFL) {
            return Status.BAD_ARGUMENT.code();
        }
        Buffer buffer = find(env, type);
        env.memory().copyOut(Args.u32(args[3]), Args.u32(args[4]), buffer.read(start, max));
        return Status.OK.code();
    }

    /** Replaces {@code size} bytes at {@code start}; read-only buffers are BAD_ARGUMENT. */
    static int setBytes(HostEnvironment env, long[] args) {
        BufferType type = Args.bufferType(args[0]);
        Buffer buffer = find(env, type);
        byte[] data = Args.bytes(env, args[3], args[4]);
        return buffer.splice(Args.u32(args[1]), Args.u32(args[2]), data).code();
    }

    /** Writes the length and a flags word, always 0 (as cpp-host does). */
    static int getStatus(HostEnvironment env, long[] args) {
        BufferType type = Args.bufferType(args[0]);
        Buffer buffer = find(env, type);
        env.memory().checkRange(Args.u32(args[1]), 4);
        env.memory().checkRange(Args.u32(args[2]), 4);
        env.memory().writeU32(Args.u32(args[1]), buffer.length());
        env.memory().writeU32(Args.u32(args[2]), 0);
        return Status.OK.code();
    }

    private static Buffer find(HostEnvironment env, BufferType type) {
        return StreamData.buffer(env, type)
                .orElseThrow(
                        () ->
                                Args.status(
                                        Status.NOT_FOUND,
                                        type + " is not available in " + env.scope().callback()));
    }
}
