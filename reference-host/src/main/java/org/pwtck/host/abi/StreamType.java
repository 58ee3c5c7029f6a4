package org.pwtck.host.abi;

import java.util.Optional;

/** {@code proxy_stream_type_t} (since 0.2.0); 4 and above are {@link Status#BAD_ARGUMENT}. */
public enum StreamType {
    HTTP_REQUEST(0),
    HTTP_RESPONSE(1),
    DOWNSTREAM(2),
    UPSTREAM(3);

    private final int code;

    StreamType(int code) {
        this.code = code;
    }

    /** The value on the wire. */
    public int code() {
        return code;
    }

    /** The constant for a wire value, or empty when the value is out of range. */
    public static Optional<StreamType> fromCode(long code) {
        for (StreamType v : values()) {
            if (v.code == code) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
