package org.pwtck.host.context;

/**
 * Facts about a stream that are not in its headers, for the well-known properties (ABI.md §5.2):
 * the connection's addresses, the protocol, when the request started, and the route.
 */
public record StreamInfo(
        String sourceAddress,
        int sourcePort,
        String destinationAddress,
        int destinationPort,
        String protocol,
        long connectionId,
        long requestStartNanos,
        String routeName,
        String clusterName) {

    /** Loopback defaults, for embedders and tests that have no connection. */
    public static StreamInfo local() {
        return new StreamInfo(
                "127.0.0.1",
                50000,
                "127.0.0.1",
                8080,
                "HTTP/1.1",
                1,
                System.currentTimeMillis() * 1_000_000L,
                "",
                "");
    }
}
