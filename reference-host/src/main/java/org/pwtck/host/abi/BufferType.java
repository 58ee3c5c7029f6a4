package org.pwtck.host.abi;

import java.util.Optional;

/** {@code proxy_buffer_type_t} (ABI.md §1.3); 9 and above are {@link Status#BAD_ARGUMENT}. */
public enum BufferType {
    HTTP_REQUEST_BODY(0),
    HTTP_RESPONSE_BODY(1),
    DOWNSTREAM_DATA(2),
    UPSTREAM_DATA(3),
    HTTP_CALL_RESPONSE_BODY(4),
    GRPC_RECEIVE_BUFFER(5),
    VM_CONFIGURATION(6),
    PLUGIN_CONFIGURATION(7),
    FOREIGN_FUNCTION_ARGUMENTS(8);

    private final int code;

    BufferType(int code) {
        this.code = code;
    }

    /** The value on the wire. */
    public int code() {
        return code;
    }

    // values() copies its array on every call, and host calls decode a BufferType each time
    private static final BufferType[] VALUES = values();

    /** The constant for a wire value, or empty when the value is out of range. */
    public static Optional<BufferType> fromCode(long code) {
        for (BufferType v : VALUES) {
            if (v.code == code) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
