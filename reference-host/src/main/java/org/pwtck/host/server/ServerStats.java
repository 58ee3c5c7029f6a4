package org.pwtck.host.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The proxy's own counters, by dotted name: {@code route.<name>.requests}, {@code
 * route.<name>.responses.2xx}, {@code filter.<name>.requests}, {@code filter.<name>.failures},
 * {@code filter.<name>.vm_replaced}, {@code filter.<name>.deadline_exceeded}, {@code
 * server.responses.<code>}, {@code server.client_disconnects}, {@code cluster.<name>.…}. Shared by
 * every worker; survives reloads.
 */
public final class ServerStats {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    public void inc(String name) {
        counters.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    public long get(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    /** Every counter, sorted by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
