package org.pwtck.tck.api;

import java.nio.charset.StandardCharsets;

/**
 * One TCP exchange through a network filter: what the TCK's TCP echo received from the proxy, and
 * what the client received back before the connection closed.
 */
public record TcpResult(byte[] upstreamReceived, byte[] clientReceived) {

    public String upstreamString() {
        return new String(upstreamReceived, StandardCharsets.UTF_8);
    }

    public String clientString() {
        return new String(clientReceived, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "upstream received \""
                + upstreamString()
                + "\", client received \""
                + clientString()
                + "\"";
    }
}
