package org.pwtck.tck.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.pwtck.tck.http.EchoBackend;

/** The generator's bookkeeping and its freedom from coordinated omission; no timing is asserted. */
class OpenLoopLoadTest {

    @Test
    void everyScheduledRequestIsAccountedFor() throws Exception {
        try (EchoBackend echo = new EchoBackend().start()) {
            LoadResult r =
                    OpenLoopLoad.to(URI.create(echo.uri() + "/headers"))
                            .withRate(200)
                            .withConnections(2)
                            .withWarmup(Duration.ofMillis(300))
                            .withDuration(Duration.ofSeconds(1))
                            .build()
                            .run();
            long accounted = r.completed() + r.errors() + r.timeouts();
            assertTrue(
                    Math.abs(accounted - 200) <= 2,
                    "200 requests were due in the window, accounted " + accounted + ": " + r);
            assertEquals(0, r.errors(), r.toString());
            assertEquals(
                    r.completed(),
                    r.histogram().getTotalCount(),
                    "one sample per completed request");
        }
    }

    @Test
    void aStallShowsUpInEveryRequestQueuedBehindIt() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext(
                "/",
                ex -> {
                    if (seen.incrementAndGet() == 20) {
                        try {
                            Thread.sleep(1000); // one stall of a second
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    ex.sendResponseHeaders(200, -1);
                    ex.close();
                });
        server.start();
        try {
            LoadResult r =
                    OpenLoopLoad.to(
                                    URI.create(
                                            "http://127.0.0.1:"
                                                    + server.getAddress().getPort()
                                                    + "/"))
                            .withRate(100)
                            .withConnections(1)
                            .withWarmup(Duration.ZERO)
                            .withDuration(Duration.ofSeconds(2))
                            .withTimeout(Duration.ofSeconds(5))
                            .build()
                            .run();
            // A closed-loop client would record one slow sample; measured from the due time, the
            // ~100 requests that were due during the stall are all slow.
            long slow = r.histogram().getCountBetweenValues(200_000, Long.MAX_VALUE / 2);
            assertTrue(
                    slow >= 50,
                    "requests due during the stall must be recorded as slow: " + slow + " in " + r);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void requestsATargetNeverAnswersAreTimeoutsEvenIfNeverSent() throws Exception {
        // The kernel accepts connections into the backlog; nobody ever reads or answers.
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50)) {
            LoadResult r =
                    OpenLoopLoad.to(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/"))
                            .withRate(100)
                            .withConnections(1)
                            .withWarmup(Duration.ZERO)
                            .withDuration(Duration.ofSeconds(1))
                            .withTimeout(Duration.ofMillis(300))
                            .build()
                            .run();
            assertEquals(0, r.completed(), r.toString());
            long accounted = r.completed() + r.errors() + r.timeouts();
            assertTrue(
                    Math.abs(accounted - 100) <= 2,
                    "100 requests were due; each is a timeout or an error: " + r);
            assertTrue(r.timeouts() >= 90, r.toString());
        }
    }

    @Test
    void aSaturatingRunKeepsEveryConnectionBusyAndRecordsEachAnswer() throws Exception {
        try (EchoBackend echo = new EchoBackend().start()) {
            LoadResult r =
                    OpenLoopLoad.to(URI.create(echo.uri() + "/get"))
                            .saturating()
                            .withConnections(2)
                            .withWarmup(Duration.ofMillis(200))
                            .withDuration(Duration.ofMillis(800))
                            .build()
                            .run();
            assertEquals(0, r.targetRate(), "no schedule in a saturating run");
            assertTrue(r.completed() > 0, r.toString());
            assertEquals(0, r.errors(), r.toString());
            assertEquals(r.completed(), r.histogram().getTotalCount());
        }
    }
}
