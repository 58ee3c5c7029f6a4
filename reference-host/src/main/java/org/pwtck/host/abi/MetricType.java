package org.pwtck.host.abi;

import java.util.Optional;

/** {@code proxy_metric_type_t}; 3 and above are {@link Status#BAD_ARGUMENT}. */
public enum MetricType {
    COUNTER(0),
    GAUGE(1),
    HISTOGRAM(2);

    private final int code;

    MetricType(int code) {
        this.code = code;
    }

    /** The value on the wire. */
    public int code() {
        return code;
    }

    /** The constant for a wire value, or empty when the value is out of range. */
    public static Optional<MetricType> fromCode(long code) {
        for (MetricType v : values()) {
            if (v.code == code) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
