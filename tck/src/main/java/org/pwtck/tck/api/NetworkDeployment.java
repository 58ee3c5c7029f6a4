package org.pwtck.tck.api;

import java.util.List;

/**
 * A network (L4) filter on a host, in front of the TCK's TCP echo ({@link
 * org.pwtck.tck.http.TcpEchoBackend}): the host runs the filter between a client connection and a
 * connection to the echo, as Envoy's {@code tcp_proxy} does.
 */
public interface NetworkDeployment extends AutoCloseable {

    /**
     * Opens a connection, sends {@code data}, half-closes, and reads until the host closes the
     * connection; the echo answers {@code echo:<what it received>} once the proxy half-closed
     * towards it.
     */
    TcpResult exchange(byte[] data) throws Exception;

    /** The host's log lines for this deployment so far (evidence, and where the probe reports). */
    default List<String> logs() {
        return List.of();
    }

    @Override
    void close() throws Exception;
}
