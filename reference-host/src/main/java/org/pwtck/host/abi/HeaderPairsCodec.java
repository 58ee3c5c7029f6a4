package org.pwtck.host.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The serialized map ("pairs") format of ABI.md §1.4, little-endian:
 *
 * <pre>
 * u32 N
 * N × (u32 key_len, u32 value_len)
 * N × (key bytes, 0x00, value bytes, 0x00)
 * </pre>
 *
 * <p>Decoding is strict: anything that does not follow the format exactly is a {@link
 * MalformedPairsException} naming the offset and the reason. Whether a host then treats a malformed
 * map as empty (cpp-host) or as an error is the caller's decision, not the codec's.
 */
public final class HeaderPairsCodec {

    /** The largest serialized map accepted (cpp-host's PROXY_WASM_HOST_PAIRS_MAX_BYTES). */
    public static final int MAX_BYTES = 1 << 20;

    /** The most pairs accepted (cpp-host's PROXY_WASM_HOST_PAIRS_MAX_COUNT). */
    public static final int MAX_PAIRS = 1024;

    /** Bytes a pair takes besides its name and value: two u32 sizes and two NULs. */
    private static final int PAIR_OVERHEAD = 8 + 2;

    private HeaderPairsCodec() {}

    /** Size in bytes of the serialized form, computed from byte lengths (never char counts). */
    public static int serializedSize(List<Header> headers) {
        long bytes = 0;
        for (Header h : headers) {
            bytes += h.byteSize();
        }
        return serializedSize(headers.size(), bytes);
    }

    /**
     * Size in bytes of the serialized form of {@code pairs} pairs whose names and values take
     * {@code nameAndValueBytes} bytes in all.
     */
    public static int serializedSize(int pairs, long nameAndValueBytes) {
        return Math.toIntExact(4 + (long) pairs * PAIR_OVERHEAD + nameAndValueBytes);
    }

    public static byte[] encode(List<Header> headers) {
        // Header hands out copies: each name and value is taken once, not once per use.
        byte[][] names = new byte[headers.size()][];
        byte[][] values = new byte[headers.size()][];
        for (int i = 0; i < names.length; i++) {
            Header h = headers.get(i);
            names[i] = h.name();
            values[i] = h.value();
        }
        return encode(names, values);
    }

    /**
     * The serialized form of the pairs {@code names[i]}, {@code values[i]} (the arrays are only
     * read), for callers that hold their own name and value arrays.
     */
    public static byte[] encode(byte[][] names, byte[][] values) {
        if (names.length != values.length) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        long bytes = 0;
        for (int i = 0; i < names.length; i++) {
            bytes += names[i].length + values[i].length;
        }
        ByteBuffer out =
                ByteBuffer.allocate(serializedSize(names.length, bytes))
                        .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(names.length);
        for (int i = 0; i < names.length; i++) {
            out.putInt(names[i].length);
            out.putInt(values[i].length);
        }
        for (int i = 0; i < names.length; i++) {
            out.put(names[i]).put((byte) 0).put(values[i]).put((byte) 0);
        }
        return out.array();
    }

    /**
     * Decodes a serialized map. A zero-length input is the empty map (the spec allows it), as is a
     * single {@code 0x00} byte.
     */
    public static List<Header> decode(byte[] data) {
        if (data.length == 0 || (data.length == 1 && data[0] == 0)) {
            return List.of();
        }
        if (data.length > MAX_BYTES) {
            throw new MalformedPairsException(
                    "serialized map is " + data.length + " bytes, more than " + MAX_BYTES);
        }
        if (data.length < 4) {
            throw new MalformedPairsException("serialized map is shorter than its 4-byte count");
        }
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long count = Integer.toUnsignedLong(in.getInt());
        if (count > MAX_PAIRS) {
            throw new MalformedPairsException(
                    "serialized map has " + count + " pairs, more than " + MAX_PAIRS);
        }
        if (4 + count * 8 > data.length) {
            throw new MalformedPairsException(
                    "serialized map declares " + count + " pairs but has no room for their sizes");
        }
        long[] sizes = new long[(int) count * 2];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Integer.toUnsignedLong(in.getInt());
        }
        List<Header> result = new ArrayList<>((int) count);
        int pos = in.position();
        for (int i = 0; i < count; i++) {
            byte[] name = slice(data, pos, sizes[2 * i], "key", i);
            pos += name.length + 1;
            byte[] value = slice(data, pos, sizes[2 * i + 1], "value", i);
            pos += value.length + 1;
            result.add(new Header(name, value));
        }
        if (pos != data.length) {
            throw new MalformedPairsException(
                    (data.length - pos) + " trailing bytes after the last pair");
        }
        return result;
    }

    private static byte[] slice(byte[] data, int pos, long len, String what, int index) {
        if (pos + len + 1 > data.length) {
            throw new MalformedPairsException(
                    what
                            + " of pair "
                            + index
                            + " ("
                            + len
                            + " bytes at offset "
                            + pos
                            + ") runs past the end");
        }
        if (data[(int) (pos + len)] != 0) {
            throw new MalformedPairsException(
                    what
                            + " of pair "
                            + index
                            + " is not followed by a NUL byte at offset "
                            + (pos + len));
        }
        byte[] out = new byte[(int) len];
        System.arraycopy(data, pos, out, 0, (int) len);
        return out;
    }

    /** Thrown for a serialized map that does not follow the format. */
    public static final class MalformedPairsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public MalformedPairsException(String message) {
            super(message);
        }
    }
}
