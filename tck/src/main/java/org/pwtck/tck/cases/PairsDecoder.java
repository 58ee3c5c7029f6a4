package org.pwtck.tck.cases;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCK's own reader of the pairs format (ABI.md §1.4), independent of the reference host's
 * codec, so that a host and the TCK cannot share a bug.
 */
final class PairsDecoder {
    private PairsDecoder() {}

    static List<List<String>> decode(byte[] data) {
        List<List<String>> out = new ArrayList<>();
        if (data.length == 0) {
            return out;
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int n = b.getInt();
        int[] sizes = new int[n * 2];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = b.getInt();
        }
        int pos = b.position();
        for (int i = 0; i < n; i++) {
            String k = new String(data, pos, sizes[2 * i], StandardCharsets.UTF_8);
            pos += sizes[2 * i] + 1;
            String v = new String(data, pos, sizes[2 * i + 1], StandardCharsets.UTF_8);
            pos += sizes[2 * i + 1] + 1;
            out.add(List.of(k, v));
        }
        if (pos != data.length) {
            throw new AssertionError("pairs: " + (data.length - pos) + " trailing bytes");
        }
        return out;
    }
}
