package org.pwtck.host.abi;

import java.util.Optional;

/**
 * A proxy-wasm ABI version, identified by the marker function a module exports (ABI.md §3.2). vNEXT
 * is the spec's work-in-progress marker; its text is identical to 0.2.1, so a vNEXT module gets the
 * 0.2.1 host functions and callbacks.
 */
public enum AbiVersion {
    V0_1_0("0.1.0", "proxy_abi_version_0_1_0"),
    V0_2_0("0.2.0", "proxy_abi_version_0_2_0"),
    V0_2_1("0.2.1", "proxy_abi_version_0_2_1"),
    VNEXT("vNEXT", "proxy_abi_version_0_x_x");

    /** Every marker export name starts with this. */
    public static final String MARKER_PREFIX = "proxy_abi_version_";

    private final String label;
    private final String marker;

    AbiVersion(String label, String marker) {
        this.label = label;
        this.marker = marker;
    }

    public String label() {
        return label;
    }

    public String marker() {
        return marker;
    }

    /** 0.2.0 and later: callbacks with {@code end_of_stream} on headers, stream-typed control. */
    public boolean isAtLeast020() {
        return this != V0_1_0;
    }

    public static Optional<AbiVersion> fromMarker(String exportName) {
        for (AbiVersion v : values()) {
            if (v.marker.equals(exportName)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
