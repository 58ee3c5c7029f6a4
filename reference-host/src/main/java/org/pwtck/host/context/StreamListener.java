package org.pwtck.host.context;

import org.pwtck.host.abi.StreamType;

/**
 * What a filter asks of the host about a stream outside the return value of a callback. Each event
 * is delivered on the VM's thread after the callback that caused it has returned.
 */
public interface StreamListener {

    /** {@code proxy_continue_stream} (or 0.1.0's continue_request/response). */
    default void onContinue(StreamType stream) {}

    /** {@code proxy_close_stream}. */
    default void onClose(StreamType stream) {}

    /** {@code proxy_send_local_response}. */
    default void onLocalResponse(LocalResponse response) {}

    /** 0.1.0's {@code proxy_clear_route_cache}. */
    default void onClearRouteCache() {}

    /** The filter trapped while handling this stream; the stream is over for the filter. */
    default void onFailure(String reason) {}

    StreamListener NONE = new StreamListener() {};
}
