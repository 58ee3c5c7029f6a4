package org.pwtck.host.context;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.pwtck.host.abi.Status;

/**
 * A byte buffer the guest can read and, when writable, splice (ABI.md §2.3). Bodies accumulate
 * while a filter buffers; configuration and call responses are read-only.
 */
public final class Buffer {
    private byte[] bytes;
    private final boolean writable;

    private Buffer(byte[] bytes, boolean writable) {
        this.bytes = bytes;
        this.writable = writable;
    }

    public static Buffer readOnly(byte[] bytes) {
        return new Buffer(bytes.clone(), false);
    }

    public static Buffer writable(byte[] bytes) {
        return new Buffer(bytes.clone(), true);
    }

    public int length() {
        return bytes.length;
    }

    public boolean isWritable() {
        return writable;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Bytes {@code [start, start+max)} clipped to the end; empty when start is past the end. */
    public byte[] read(long start, long max) {
        if (start >= bytes.length) {
            return new byte[0];
        }
        long end = Math.min(bytes.length, start + max);
        return Arrays.copyOfRange(bytes, (int) start, (int) end);
    }

    /**
     * Replaces {@code size} bytes at {@code start} with {@code data} (the spec's generic splice):
     * {@code (0, 0)} prepends, {@code (length, 0)} appends, {@code (0, length)} replaces all.
     *
     * @return {@link Status#BAD_ARGUMENT} for a read-only buffer or a start past the end
     */
    public Status splice(long start, long size, byte[] data) {
        if (!writable || start > bytes.length) {
            return Status.BAD_ARGUMENT;
        }
        int from = (int) start;
        int to = (int) Math.min(bytes.length, start + size);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + data.length);
        out.write(bytes, 0, from);
        out.writeBytes(data);
        out.write(bytes, to, bytes.length - to);
        bytes = out.toByteArray();
        return Status.OK;
    }

    /** Adds a newly arrived chunk (host side, while a filter buffers). */
    public void append(byte[] chunk) {
        byte[] grown = Arrays.copyOf(bytes, bytes.length + chunk.length);
        System.arraycopy(chunk, 0, grown, bytes.length, chunk.length);
        bytes = grown;
    }

    /** Empties the buffer after its content has been passed on (host side). */
    public void clear() {
        bytes = new byte[0];
    }
}
