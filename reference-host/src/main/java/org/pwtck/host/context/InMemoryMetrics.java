package org.pwtck.host.context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.pwtck.host.abi.MetricType;
import org.pwtck.host.abi.Status;

/**
 * Metrics shared by all VMs of one host process. Reading of the spec: {@code proxy_record_metric}
 * <em>sets</em> a counter (spec text); Envoy adds to it instead (ABI.md §2.8). Incrementing a
 * counter by a negative delta, or a histogram at all, is {@link Status#BAD_ARGUMENT}.
 */
public final class InMemoryMetrics implements Metrics {
    private static final class Metric {
        final String name;
        final MetricType type;
        long value;
        long count;
        long sum;

        Metric(String name, MetricType type) {
            this.name = name;
            this.type = type;
        }

        synchronized Snapshot snapshot() {
            return new Snapshot(name, type, value, count, sum);
        }
    }

    private record Key(MetricType type, String name) {}

    private final Map<Key, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Metric> metrics = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();

    @Override
    public int define(MetricType type, String name) {
        return ids.computeIfAbsent(
                new Key(type, name),
                k -> {
                    int id = nextId.incrementAndGet();
                    metrics.put(id, new Metric(name, type));
                    return id;
                });
    }

    @Override
    public Status record(int id, long value) {
        Metric m = metrics.get(id);
        if (m == null) {
            return Status.NOT_FOUND;
        }
        synchronized (m) {
            if (m.type == MetricType.HISTOGRAM) {
                m.count++;
                m.sum += value;
                m.value = value;
            } else {
                m.value = value;
            }
        }
        return Status.OK;
    }

    @Override
    public Status increment(int id, long delta) {
        Metric m = metrics.get(id);
        if (m == null) {
            return Status.NOT_FOUND;
        }
        synchronized (m) {
            switch (m.type) {
                case COUNTER:
                    if (delta < 0) {
                        return Status.BAD_ARGUMENT;
                    }
                    m.value += delta;
                    return Status.OK;
                case GAUGE:
                    m.value += delta;
                    return Status.OK;
                default:
                    return Status.BAD_ARGUMENT;
            }
        }
    }

    @Override
    public Status get(int id, long[] out) {
        Metric m = metrics.get(id);
        if (m == null) {
            return Status.NOT_FOUND;
        }
        if (m.type == MetricType.HISTOGRAM) {
            return Status.BAD_ARGUMENT;
        }
        synchronized (m) {
            out[0] = m.value;
        }
        return Status.OK;
    }

    @Override
    public Optional<Snapshot> snapshot(int id) {
        Metric m = metrics.get(id);
        return m == null ? Optional.empty() : Optional.of(m.snapshot());
    }

    @Override
    public List<Snapshot> snapshots() {
        List<Snapshot> out = new ArrayList<>();
        metrics.keySet().stream().sorted().forEach(id -> out.add(metrics.get(id).snapshot()));
        return out;
    }
}
