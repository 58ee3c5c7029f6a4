package org.pwtck.host.abi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeaderPairsCodecTest {

    /** Builds a serialized map by hand: count, then explicit sizes, then the raw tail. */
    private static byte[] raw(int count, int[] sizes, byte[] tail) {
        ByteBuffer out =
                ByteBuffer.allocate(4 + sizes.length * 4 + tail.length)
                        .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(count);
        for (int s : sizes) {
            out.putInt(s);
        }
        out.put(tail);
        return out.array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String malformed(byte[] data) {
        return assertThrows(
                        HeaderPairsCodec.MalformedPairsException.class,
                        () -> HeaderPairsCodec.decode(data))
                .getMessage();
    }

    @Test
    void encodesTheExactWireLayout() {
        byte[] encoded =
                HeaderPairsCodec.encode(List.of(Header.of("a", "1"), Header.of("bb", "22")));
        byte[] expected =
                raw(
                        2,
                        new int[] {1, 1, 2, 2},
                        new byte[] {'a', 0, '1', 0, 'b', 'b', 0, '2', '2', 0});
        assertArrayEquals(expected, encoded);
        assertEquals(
                expected.length,
                HeaderPairsCodec.serializedSize(
                        List.of(Header.of("a", "1"), Header.of("bb", "22"))));
    }

    @Test
    void roundTripKeepsOrderAndRepeatedKeys() {
        List<Header> headers =
                List.of(
                        Header.of("set-cookie", "a=1"),
                        Header.of("x-other", "v"),
                        Header.of("set-cookie", "b=2"),
                        Header.of("set-cookie", ""));
        assertEquals(headers, HeaderPairsCodec.decode(HeaderPairsCodec.encode(headers)));
    }

    @Test
    void emptyMapEncodesAsCountZero() {
        assertArrayEquals(new byte[] {0, 0, 0, 0}, HeaderPairsCodec.encode(List.of()));
        assertEquals(4, HeaderPairsCodec.serializedSize(List.of()));
    }

    @Test
    void emptyMapDecodesFromZeroBytes() {
        assertEquals(List.of(), HeaderPairsCodec.decode(new byte[0]));
    }

    @Test
    void emptyMapDecodesFromASingleNulByte() {
        assertEquals(List.of(), HeaderPairsCodec.decode(new byte[] {0}));
    }

    @Test
    void emptyMapDecodesFromCountZero() {
        assertEquals(List.of(), HeaderPairsCodec.decode(new byte[] {0, 0, 0, 0}));
    }

    @Test
    void sizesAreUtf8BytesNotUtf16Chars() {
        // "é" is 1 UTF-16 char but 2 UTF-8 bytes; "😀" is 2 UTF-16 chars but 4 bytes.
        List<Header> headers = List.of(Header.of("x-name", "café 😀"));
        byte[] encoded = HeaderPairsCodec.encode(headers);
        ByteBuffer in = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, in.getInt());
        assertEquals(6, in.getInt());
        assertEquals(10, in.getInt()); // "café 😀" is 7 chars as Java counts them, 10 bytes
        assertEquals(4 + 8 + 6 + 1 + 10 + 1, encoded.length);
        assertEquals(encoded.length, HeaderPairsCodec.serializedSize(headers));
        assertEquals(headers, HeaderPairsCodec.decode(encoded));
    }

    @Test
    void nonUtf8ValueBytesSurviveUnchanged() {
        Header h = new Header(ascii("x-bin"), new byte[] {(byte) 0xFF, (byte) 0xC3, 0x28});
        List<Header> decoded = HeaderPairsCodec.decode(HeaderPairsCodec.encode(List.of(h)));
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xC3, 0x28}, decoded.get(0).value());
    }

    @Test
    void nulInsideAValueIsDataBecauseSizesDelimit() {
        byte[] value = {'a', 0, 'b'};
        List<Header> headers = List.of(new Header(ascii("k"), value), Header.of("z", "y"));
        byte[] encoded = HeaderPairsCodec.encode(headers);
        List<Header> decoded = HeaderPairsCodec.decode(encoded);
        assertEquals(2, decoded.size());
        assertArrayEquals(value, decoded.get(0).value());
        assertEquals("y", decoded.get(1).valueString());
    }

    @Test
    void countLargerThanTheDataIsRejected() {
        // Claims 3 pairs but has room for one pair's sizes only.
        String message = malformed(raw(3, new int[] {1, 1}, new byte[] {'a', 0, 'b', 0}));
        assertTrue(message.contains("3 pairs") && message.contains("no room"), message);
    }

    @Test
    void missingNulAfterKeyIsRejected() {
        String message = malformed(raw(1, new int[] {1, 1}, new byte[] {'a', 'x', 'b', 0}));
        assertTrue(message.contains("key of pair 0") && message.contains("NUL"), message);
    }

    @Test
    void missingNulAfterValueIsRejected() {
        String message = malformed(raw(1, new int[] {1, 1}, new byte[] {'a', 0, 'b', 'x'}));
        assertTrue(message.contains("value of pair 0") && message.contains("NUL"), message);
    }

    @Test
    void trailingBytesAreRejected() {
        String message = malformed(raw(1, new int[] {1, 1}, new byte[] {'a', 0, 'b', 0, 7, 7}));
        assertTrue(message.contains("2 trailing bytes"), message);
    }

    @Test
    void trailingBytesAfterCountZeroAreRejected() {
        String message = malformed(new byte[] {0, 0, 0, 0, 1});
        assertTrue(message.contains("1 trailing bytes"), message);
    }

    @Test
    void lengthOverrunningTheDataIsRejected() {
        String message = malformed(raw(1, new int[] {1, 50}, new byte[] {'a', 0, 'b', 0}));
        assertTrue(message.contains("value of pair 0") && message.contains("runs past"), message);
    }

    @Test
    void hugeLengthDoesNotOverflowTheBoundsCheck() {
        // 0xFFFFFFFF as an unsigned length: an int overflow would make it look small.
        String message = malformed(raw(1, new int[] {-1, 1}, new byte[] {'a', 0, 'b', 0}));
        assertTrue(message.contains("key of pair 0") && message.contains("runs past"), message);
    }

    @Test
    void moreThan1024PairsIsRejected() {
        List<Header> many = new ArrayList<>();
        for (int i = 0; i < HeaderPairsCodec.MAX_PAIRS + 1; i++) {
            many.add(Header.of("k", "v"));
        }
        String message = malformed(HeaderPairsCodec.encode(many));
        assertTrue(message.contains("1025 pairs") && message.contains("1024"), message);
    }

    @Test
    void exactly1024PairsIsAccepted() {
        List<Header> many = new ArrayList<>();
        for (int i = 0; i < HeaderPairsCodec.MAX_PAIRS; i++) {
            many.add(Header.of("k" + i, "v"));
        }
        assertEquals(1024, HeaderPairsCodec.decode(HeaderPairsCodec.encode(many)).size());
    }

    @Test
    void moreThanOneMebibyteIsRejected() {
        byte[] value = new byte[HeaderPairsCodec.MAX_BYTES];
        java.util.Arrays.fill(value, (byte) 'v');
        byte[] encoded = HeaderPairsCodec.encode(List.of(new Header(ascii("k"), value)));
        assertTrue(encoded.length > HeaderPairsCodec.MAX_BYTES);
        String message = malformed(encoded);
        assertTrue(message.contains(encoded.length + " bytes"), message);
    }

    @Test
    void countShorterThanFourBytesIsRejected() {
        String message = malformed(new byte[] {1, 0});
        assertTrue(message.contains("shorter than its 4-byte count"), message);
    }

    @Test
    void randomizedRoundTrip() {
        Random random = new Random(0x5EED);
        for (int round = 0; round < 200; round++) {
            List<Header> headers = new ArrayList<>();
            int n = random.nextInt(12);
            for (int i = 0; i < n; i++) {
                byte[] name = new byte[1 + random.nextInt(16)];
                byte[] value = new byte[random.nextInt(40)];
                random.nextBytes(name);
                random.nextBytes(value); // any bytes, NUL included
                headers.add(new Header(name, value));
            }
            byte[] encoded = HeaderPairsCodec.encode(headers);
            assertEquals(HeaderPairsCodec.serializedSize(headers), encoded.length);
            assertEquals(headers, HeaderPairsCodec.decode(encoded), "round " + round);
        }
    }
}
