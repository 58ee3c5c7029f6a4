package org.pwtck.host.abi;

import java.util.Optional;

/** {@code proxy_peer_type_t}, the argument of the connection-close callbacks. */
public enum PeerType {
    UNKNOWN(0),
    LOCAL(1),
    REMOTE(2);

    private final int code;

    PeerType(int code) {
        this.code = code;
    }

    /** The value on the wire. */
    public int code() {
        return code;
    }

    /** The constant for a wire value, or empty when the value is out of range. */
    public static Optional<PeerType> fromCode(long code) {
        for (PeerType v : values()) {
            if (v.code == code) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
