package org.pwtck.tck.latency.bench;

import java.net.URI;
import java.util.OptionalLong;

/** Where an arm's load goes, and the process serving it (for its CPU time and memory). */
interface Target extends AutoCloseable {
    URI uri();

    /** The proxy's own process; empty when there is none (the direct arm). */
    OptionalLong pid();

    /** One line on how it was started (command, config), for the report. */
    String describe();

    @Override
    void close();

    /** The upstream itself, no proxy in between. */
    static Target direct(int port) {
        return new Target() {
            @Override
            public URI uri() {
                return URI.create("http://127.0.0.1:" + port);
            }

            @Override
            public OptionalLong pid() {
                return OptionalLong.empty();
            }

            @Override
            public String describe() {
                return "the upstream on 127.0.0.1:" + port + " (no proxy)";
            }

            @Override
            public void close() {}
        };
    }
}
