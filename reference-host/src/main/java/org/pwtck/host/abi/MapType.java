package org.pwtck.host.abi;

import java.util.Optional;

/** {@code proxy_map_type_t} (ABI.md §1.3); 8 and above are {@link Status#BAD_ARGUMENT}. */
public enum MapType {
    HTTP_REQUEST_HEADERS(0),
    HTTP_REQUEST_TRAILERS(1),
    HTTP_RESPONSE_HEADERS(2),
    HTTP_RESPONSE_TRAILERS(3),
    GRPC_RECEIVE_INITIAL_METADATA(4),
    GRPC_RECEIVE_TRAILING_METADATA(5),
    HTTP_CALL_RESPONSE_HEADERS(6),
    HTTP_CALL_RESPONSE_TRAILERS(7);

    private final int code;

    MapType(int code) {
        this.code = code;
    }

    /** The value on the wire. */
    public int code() {
        return code;
    }

    // values() copies its array on every call, and host calls decode a MapType each time
    private static final MapType[] VALUES = values();

    /** The constant for a wire value, or empty when the value is out of range. */
    public static Optional<MapType> fromCode(long code) {
        for (MapType v : VALUES) {
            if (v.code == code) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
