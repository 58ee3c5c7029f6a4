package org.pwtck.host.context;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pwtck.host.abi.Header;
import org.pwtck.host.abi.HeaderPairsCodec;

/**
 * An ordered, multi-valued header (or metadata) map. Names are lower-cased on the way in, as Envoy
 * and HTTP/2 do; values are kept as bytes. Not thread-safe: a map belongs to one stream.
 */
public final class HeaderMap {
    private final List<Header> entries = new ArrayList<>();

    public HeaderMap() {}

    public static HeaderMap of(List<Header> headers) {
        HeaderMap map = new HeaderMap();
        headers.forEach(h -> map.add(h.name(), h.value()));
        return map;
    }

    /** Convenience for tests and embedders: alternating names and values. */
    public static HeaderMap of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        HeaderMap map = new HeaderMap();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public List<Header> entries() {
        return List.copyOf(entries);
    }

    /** The first value of a header, as bytes. */
    public Optional<byte[]> getBytes(byte[] name) {
        byte[] key = lower(name);
        for (Header h : entries) {
            if (h.hasName(key)) {
                return Optional.of(h.value());
            }
        }
        return Optional.empty();
    }

    public Optional<String> get(String name) {
        return getBytes(utf8(name)).map(v -> new String(v, StandardCharsets.UTF_8));
    }

    public List<String> getAll(String name) {
        byte[] key = lower(utf8(name));
        List<String> values = new ArrayList<>();
        for (Header h : entries) {
            if (h.hasName(key)) {
                values.add(h.valueString());
            }
        }
        return values;
    }

    public void add(byte[] name, byte[] value) {
        entries.add(new Header(lower(name), value));
    }

    public void add(String name, String value) {
        add(utf8(name), utf8(value));
    }

    /** Sets a header to one value: replaces the first occurrence in place, drops the others. */
    public void replace(byte[] name, byte[] value) {
        byte[] key = lower(name);
        int first = -1;
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).hasName(key)) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            entries.add(new Header(key, value));
            return;
        }
        entries.set(first, new Header(key, value));
        for (int i = entries.size() - 1; i > first; i--) {
            if (entries.get(i).hasName(key)) {
                entries.remove(i);
            }
        }
    }

    public void replace(String name, String value) {
        replace(utf8(name), utf8(value));
    }

    /** Removes every value of a header; removing an absent header is not an error. */
    public void remove(byte[] name) {
        byte[] key = lower(name);
        entries.removeIf(h -> h.hasName(key));
    }

    public void remove(String name) {
        remove(utf8(name));
    }

    /** Replaces the whole map (never merges). */
    public void setAll(List<Header> headers) {
        entries.clear();
        headers.forEach(h -> add(h.name(), h.value()));
    }

    /** Size of the serialized pairs form, in bytes. */
    public int serializedSize() {
        return HeaderPairsCodec.serializedSize(entries);
    }

    public byte[] serialize() {
        return HeaderPairsCodec.encode(entries);
    }

    public HeaderMap copy() {
        HeaderMap copy = new HeaderMap();
        copy.entries.addAll(entries);
        return copy;
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * ASCII lower-casing only: header names are tokens, other bytes are left alone. A name that is
     * already lower case (nearly all of them) comes back as it is, not copied: {@link Header}
     * copies what it keeps, and lookups only read the key.
     */
    private static byte[] lower(byte[] name) {
        int first = 0;
        while (first < name.length && !(name[first] >= 'A' && name[first] <= 'Z')) {
            first++;
        }
        if (first == name.length) {
            return name;
        }
        byte[] out = name.clone();
        for (int i = first; i < out.length; i++) {
            if (out[i] >= 'A' && out[i] <= 'Z') {
                out[i] = (byte) (out[i] + ('a' - 'A'));
            }
        }
        return out;
    }
}
