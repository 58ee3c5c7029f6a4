package org.pwtck.host.context;

import java.util.List;
import java.util.Optional;
import org.pwtck.host.abi.MetricType;
import org.pwtck.host.abi.Status;

/** The metrics of {@code proxy_define_metric} and friends (ABI.md §2.8), 64-bit values. */
public interface Metrics {

    /** A snapshot of one metric, for admin endpoints and reports. */
    record Snapshot(String name, MetricType type, long value, long count, long sum) {}

    /** Defines a metric, or returns the id of the one already defined with that name and type. */
    int define(MetricType type, String name);

    /** Counter and gauge: set the value; histogram: record a sample. */
    Status record(int id, long value);

    /** Counter: add a positive delta; gauge: add any delta; histogram: not allowed. */
    Status increment(int id, long delta);

    /** The value of a counter or gauge; empty status for an unknown id. */
    Status get(int id, long[] out);

    Optional<Snapshot> snapshot(int id);

    List<Snapshot> snapshots();
}
