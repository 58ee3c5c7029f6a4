package org.pwtck.tck.api;

import java.util.Optional;
import org.pwtck.tck.http.EchoBackend;
import org.pwtck.tck.http.GrpcBackend;
import org.pwtck.tck.http.RealHttpbin;
import org.pwtck.tck.http.TcpEchoBackend;

/**
 * The upstreams the TCK runs for one session, and the cluster names under which a host exposes them
 * to filters: the echo ({@link FilterSpec#HTTPBIN_CLUSTER}, also the route's upstream), the gRPC
 * server ({@link FilterSpec#GRPC_CLUSTER}) and, when Python's httpbin is installed, the real
 * httpbin ({@link FilterSpec#REAL_HTTPBIN_CLUSTER}); the TCP echo is the upstream of network
 * filters.
 *
 * @param address where the TCK's upstreams listen, as the host under test reaches them
 */
public record Backends(
        String address,
        EchoBackend echo,
        Optional<GrpcBackend> grpc,
        Optional<RealHttpbin> httpbin,
        Optional<TcpEchoBackend> tcpEcho) {

    /** Only the echo, for hosts and tests that need nothing else. */
    public static Backends echoOnly(EchoBackend echo) {
        return new Backends(
                "127.0.0.1", echo, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
