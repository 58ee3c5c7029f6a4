package org.pwtck.tck.api;

/**
 * One area of the ABI a host may or may not support, each tied to its spec section. Cases declare
 * the features they need; a host that declares it lacks one gets NOT_SUPPORTED, never FAILED.
 */
public enum Feature {
    LOGGING("ABI.md §2.2"),
    TIME("ABI.md §2.2"),
    TIMERS("ABI.md §2.2"),
    CONTEXT("ABI.md §2.1"),
    BUFFERS("ABI.md §2.3"),
    HTTP_HEADERS("ABI.md §2.4"),
    HTTP_TRAILERS("ABI.md §2.4"),
    HTTP_BODY("ABI.md §2.3"),
    STREAM_CONTROL("ABI.md §2.5"),
    LOCAL_RESPONSE("ABI.md §2.5"),
    HTTP_CALL("ABI.md §2.6"),
    GRPC_CALL("ABI.md §2.6"),
    SHARED_DATA("ABI.md §2.7"),
    SHARED_QUEUE("ABI.md §2.7"),
    METRICS("ABI.md §2.8"),
    PROPERTIES("ABI.md §2.9, §5"),
    FOREIGN_FUNCTION("ABI.md §2.9"),
    CONFIGURATION("ABI.md §2.3"),
    LIFECYCLE("ABI.md §3.2, §3.5"),
    MODULE_LOADING("ABI.md §3.2"),
    ABI_0_1_0("ABI.md §0.1"),
    WASI("ABI.md §3.4"),
    NETWORK_FILTER("ABI.md §3.1");

    private final String spec;

    Feature(String spec) {
        this.spec = spec;
    }

    public String specSection() {
        return spec;
    }
}
