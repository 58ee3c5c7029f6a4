package org.pwtck.host.context;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.pwtck.host.abi.Header;
import org.pwtck.host.abi.HeaderPairsCodec;

/**
 * An ordered, multi-valued header (or metadata) map. Names are lower-cased on the way in, as Envoy
 * and HTTP/2 do; values are kept as bytes. Not thread-safe: a map belongs to one stream.
 */
public final class HeaderMap {
    /**
     * One entry. Its arrays belong to this map alone: copied (or freshly encoded) on the way in,
     * never handed out, never changed, so entries can be shared between copies of a map. Not {@link
     * Header}, which copies both arrays again each time one is made.
     */
    private record Entry(byte[] name, byte[] value) {
        Header toHeader() {
            return new Header(name, value);
        }
    }

    private final List<Entry> entries;

    public HeaderMap() {
        entries = new ArrayList<>();
    }

    private HeaderMap(int expected) {
        entries = new ArrayList<>(expected);
    }

    public static HeaderMap of(List<Header> headers) {
        HeaderMap map = new HeaderMap(headers.size());
        headers.forEach(h -> map.add(h.name(), h.value()));
        return map;
    }

    /** Convenience for tests and embedders: alternating names and values. */
    public static HeaderMap of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        HeaderMap map = new HeaderMap(namesAndValues.length / 2);
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
        List<Header> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(e.toHeader());
        }
        return Collections.unmodifiableList(out);
    }

    /** The first value of a header, as bytes. */
    public Optional<byte[]> getBytes(byte[] name) {
        byte[] key = lower(name);
        for (Entry e : entries) {
            if (Arrays.equals(e.name, key)) {
                return Optional.of(e.value.clone());
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
        for (Entry e : entries) {
            if (Arrays.equals(e.name, key)) {
                values.add(new String(e.value, StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    public void add(byte[] name, byte[] value) {
        entries.add(entry(name, value));
    }

    public void add(String name, String value) {
        // freshly encoded: the map can keep these arrays as they are
        entries.add(new Entry(lowerInPlace(utf8(name)), utf8(value)));
    }

    /** Sets a header to one value: replaces the first occurrence in place, drops the others. */
    public void replace(byte[] name, byte[] value) {
        Entry replacement = entry(name, value);
        byte[] key = replacement.name;
        int first = -1;
        for (int i = 0; i < entries.size(); i++) {
            if (Arrays.equals(entries.get(i).name, key)) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            entries.add(replacement);
            return;
        }
        entries.set(first, replacement);
        for (int i = entries.size() - 1; i > first; i--) {
            if (Arrays.equals(entries.get(i).name, key)) {
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
        entries.removeIf(e -> Arrays.equals(e.name, key));
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
        long bytes = 0;
        for (Entry e : entries) {
            bytes += e.name.length + e.value.length;
        }
        return HeaderPairsCodec.serializedSize(entries.size(), bytes);
    }

    public byte[] serialize() {
        // The codec only reads the arrays: the entries' own are handed over, not copies.
        byte[][] names = new byte[entries.size()][];
        byte[][] values = new byte[entries.size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = entries.get(i).name;
            values[i] = entries.get(i).value;
        }
        return HeaderPairsCodec.encode(names, values);
    }

    public HeaderMap copy() {
        HeaderMap copy = new HeaderMap(entries.size());
        copy.entries.addAll(entries);
        return copy;
    }

    @Override
    public String toString() {
        return entries().toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An entry of copies of the caller's arrays, its name lower-cased. */
    private static Entry entry(byte[] name, byte[] value) {
        return new Entry(lowerInPlace(name.clone()), value.clone());
    }

    /**
     * ASCII lower-casing only: header names are tokens, other bytes are left alone. A name that is
     * already lower case (nearly all of them) comes back as it is, not copied: lookups only read
     * the key.
     */
    private static byte[] lower(byte[] name) {
        for (byte b : name) {
            if (b >= 'A' && b <= 'Z') {
                return lowerInPlace(name.clone());
            }
        }
        return name;
    }

    private static byte[] lowerInPlace(byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if (name[i] >= 'A' && name[i] <= 'Z') {
                name[i] = (byte) (name[i] + ('a' - 'A'));
            }
        }
        return name;
    }
}
