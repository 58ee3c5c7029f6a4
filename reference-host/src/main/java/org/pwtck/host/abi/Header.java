package org.pwtck.host.abi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One header (or metadata) entry as bytes, the way the ABI carries it. Header values are not
 * guaranteed to be UTF-8 on the wire, so the bytes are the truth and the strings are views.
 */
public record Header(byte[] name, byte[] value) {

    public Header {
        name = name.clone();
        value = value.clone();
    }

    public static Header of(String name, String value) {
        return new Header(
                name.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    public String nameString() {
        return new String(name, StandardCharsets.UTF_8);
    }

    public String valueString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] name() {
        return name.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** Bytes of name plus value, without copying. */
    public int byteSize() {
        return name.length + value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h
                && Arrays.equals(name, h.name)
                && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(name) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return nameString() + ": " + valueString();
    }
}
