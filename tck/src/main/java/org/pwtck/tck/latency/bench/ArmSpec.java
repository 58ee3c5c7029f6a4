package org.pwtck.tck.latency.bench;

import java.util.Optional;

/**
 * One arm: a host ({@code direct}, {@code reference} or {@code envoy}), the filter it runs if any,
 * and the arm it is compared with (the same host with no filter; none for the baselines).
 */
record ArmSpec(String id, String host, Optional<FilterUnderTest> filter, String baseline) {
    static final String DIRECT = "direct";
    static final String REFERENCE = "reference";
    static final String ENVOY = "envoy";
    static final String REFERENCE_NONE = "reference/none";
    static final String ENVOY_NONE = "envoy/none";

    static ArmSpec direct() {
        return new ArmSpec(DIRECT, DIRECT, Optional.empty(), null);
    }

    static ArmSpec none(String host) {
        return new ArmSpec(host + "/none", host, Optional.empty(), null);
    }

    static ArmSpec reference(FilterUnderTest f) {
        return new ArmSpec(
                REFERENCE + "/" + f.name() + "-" + f.language() + "/" + f.engine(),
                REFERENCE,
                Optional.of(f),
                REFERENCE_NONE);
    }

    static ArmSpec envoy(FilterUnderTest f) {
        return new ArmSpec(
                ENVOY + "/" + f.name() + "-" + f.language(), ENVOY, Optional.of(f), ENVOY_NONE);
    }

    String label() {
        String hostName =
                switch (host) {
                    case DIRECT -> "direct to upstream";
                    case REFERENCE -> "reference host";
                    default -> "Envoy";
                };
        if (filter.isEmpty()) {
            return host.equals(DIRECT) ? hostName : hostName + ", no filter";
        }
        FilterUnderTest f = filter.get();
        return hostName
                + ", "
                + f.name()
                + " ("
                + f.language()
                + ")"
                + (host.equals(REFERENCE) ? ", " + f.engine() : "");
    }
}
