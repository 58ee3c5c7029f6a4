package org.pwtck.tck.api;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;

/** A filter running on a host, ready for traffic. */
public interface Deployment extends AutoCloseable {

    /**
     * Sends one request through the filter to the TCK's echo upstream and returns what the client
     * got, with what the upstream saw when the request reached it.
     */
    TckResponse exchange(TckRequest request) throws Exception;

    /**
     * Where a client reaches this deployment over the network ({@code http://host:port}, no path),
     * for tools that drive their own traffic such as the load generator; empty for a host that runs
     * in process without a listener.
     */
    default Optional<URI> listener() {
        return Optional.empty();
    }

    /** The host's log lines for this deployment so far (evidence); empty if it has none. */
    default List<String> logs() {
        return List.of();
    }

    @Override
    void close() throws Exception;
}
