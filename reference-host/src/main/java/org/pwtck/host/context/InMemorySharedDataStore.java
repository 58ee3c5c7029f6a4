package org.pwtck.host.context;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.pwtck.host.abi.Status;

/** Shared data for all VMs of one host process. */
public final class InMemorySharedDataStore implements SharedDataStore {
    private final Map<String, Map<String, Entry>> namespaces = new ConcurrentHashMap<>();
    private final AtomicInteger nextCas = new AtomicInteger();

    @Override
    public Optional<Entry> get(String vmId, String key) {
        Map<String, Entry> ns = namespaces.get(vmId);
        if (ns == null) {
            return Optional.empty();
        }
        Entry e = ns.get(key);
        return e == null ? Optional.empty() : Optional.of(new Entry(e.value().clone(), e.cas()));
    }

    @Override
    public Status set(String vmId, String key, byte[] value, int cas) {
        Map<String, Entry> ns = namespaces.computeIfAbsent(vmId, k -> new ConcurrentHashMap<>());
        Status[] result = {Status.OK};
        ns.compute(
                key,
                (k, current) -> {
                    if (current != null && cas != 0 && current.cas() != cas) {
                        result[0] = Status.CAS_MISMATCH;
                        return current;
                    }
                    return new Entry(value.clone(), newCas());
                });
        return result[0];
    }

    /** CAS tokens are never 0, because 0 means "no CAS check" to the guest. */
    private int newCas() {
        int cas;
        do {
            cas = nextCas.incrementAndGet();
        } while (cas == 0);
        return cas;
    }
}
