package org.pwtck.host.abi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Property paths (ABI.md §1.5): segments joined with a single {@code 0x00}, no trailing NUL. One
 * trailing NUL is tolerated when decoding because some SDKs emit it.
 */
public final class PropertyPath {
    private PropertyPath() {}

    public static List<String> decode(byte[] raw) {
        int end = raw.length;
        if (end > 0 && raw[end - 1] == 0) {
            end--;
        }
        List<String> segments = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= end; i++) {
            if (i == end || raw[i] == 0) {
                segments.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return segments;
    }

    public static byte[] encode(List<String> segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < segments.size(); i++) {
            if (i > 0) {
                out.write(0);
            }
            out.writeBytes(segments.get(i).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** The dotted form used in documentation and errors, e.g. {@code request.path}. */
    public static String dotted(List<String> segments) {
        return String.join(".", segments);
    }
}
