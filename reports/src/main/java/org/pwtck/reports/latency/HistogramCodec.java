package org.pwtck.reports.latency;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * A histogram as text, the HdrHistogram way: {@link Histogram#encodeIntoCompressedByteBuffer}, then
 * base64 — the form HdrHistogram's own log files use, so any HdrHistogram port can read it back.
 */
public final class HistogramCodec {
    private HistogramCodec() {}

    public static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The histogram back; a string that is not one is an error naming the reason. */
    public static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "not a base64 compressed HdrHistogram: " + e.getMessage(), e);
        }
    }
}
