package org.pwtck.host.bench;

/**
 * One host's way through a request's callbacks, for {@link CallbackPathBenchmark}: the same
 * sequence in every host (context create, request headers, response headers, then on_done, on_log,
 * on_delete), with the filter already started on the calling thread.
 */
interface CallbackPath extends AutoCloseable {

    /** One request's callbacks; returns what on_response_headers answered (for the blackhole). */
    Object request();

    /** A request header as the filter left it in the last {@link #request()}, or null. */
    String lastRequestHeader(String name);

    /** A response header as the filter left it in the last {@link #request()}, or null. */
    String lastResponseHeader(String name);

    @Override
    void close();
}
