package org.pwtck.host.abi;

import java.util.Optional;

/** {@code proxy_log_level_t}; 6 and above are {@link Status#BAD_ARGUMENT}. */
public enum LogLevel {
    TRACE(0),
    DEBUG(1),
    INFO(2),
    WARN(3),
    ERROR(4),
    CRITICAL(5);

    private final int code;

    LogLevel(int code) {
        this.code = code;
    }

    /** The value on the wire. */
    public int code() {
        return code;
    }

    // values() copies its array on every call, and host calls decode a LogLevel each time
    private static final LogLevel[] VALUES = values();

    /** The constant for a wire value, or empty when the value is out of range. */
    public static Optional<LogLevel> fromCode(long code) {
        for (LogLevel v : VALUES) {
            if (v.code == code) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
