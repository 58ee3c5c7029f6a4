package org.pwtck.tck.api;

import java.util.List;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;

/** A filter running on a host, ready for traffic. */
public interface Deployment extends AutoCloseable {

    /**
     * Sends one request through the filter to the TCK's echo upstream and returns what the client
     * got, with what the upstream saw when the request reached it.
     */
    TckResponse exchange(TckRequest request) throws Exception;

    /** The host's log lines for this deployment so far (evidence); empty if it has none. */
    default List<String> logs() {
        return List.of();
    }

    @Override
    void close() throws Exception;
}
