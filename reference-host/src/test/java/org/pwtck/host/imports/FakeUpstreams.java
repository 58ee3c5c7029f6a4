package org.pwtck.host.imports;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.pwtck.host.abi.Header;
import org.pwtck.host.context.Upstreams;

/**
 * In-memory {@link Upstreams}: records every request and answers only when a test tells it to, from
 * its own thread (never the VM's), as a network client would.
 */
final class FakeUpstreams implements Upstreams, AutoCloseable {
    record HttpCall(
            String cluster,
            HttpCallRequest request,
            Duration timeout,
            Consumer<HttpCallResult> onResult,
            AtomicBoolean cancelled) {}

    record GrpcCall(
            String cluster,
            String service,
            String method,
            List<Header> metadata,
            byte[] message,
            Duration timeout,
            GrpcListener listener,
            AtomicBoolean cancelled) {}

    record GrpcStreamCall(
            String cluster,
            String service,
            String method,
            List<Header> metadata,
            GrpcListener listener,
            List<byte[]> sent,
            List<Boolean> endOfStream,
            AtomicBoolean halfClosed,
            AtomicBoolean cancelled) {}

    private final Set<String> clusters;
    final List<HttpCall> httpCalls = Collections.synchronizedList(new ArrayList<>());
    final List<GrpcCall> grpcCalls = Collections.synchronizedList(new ArrayList<>());
    final List<GrpcStreamCall> grpcStreams = Collections.synchronizedList(new ArrayList<>());

    /** When set, every call throws it (a send failure). */
    volatile RuntimeException failWith;

    private final ExecutorService network =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "fake-upstream");
                        t.setDaemon(true);
                        return t;
                    });

    FakeUpstreams(String... clusters) {
        this.clusters = Set.of(clusters);
    }

    /** Runs an answer on the fake's own thread and waits until it has been handed over. */
    void fromNetwork(Runnable answer) {
        try {
            network.submit(answer).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the fake upstream could not answer", e);
        }
    }

    void respond(int index, HttpCallResult result) {
        HttpCall call = httpCalls.get(index);
        fromNetwork(() -> call.onResult().accept(result));
    }

    @Override
    public boolean hasCluster(String cluster) {
        return clusters.contains(cluster);
    }

    @Override
    public Cancellable httpCall(
            String cluster,
            HttpCallRequest request,
            Duration timeout,
            Consumer<HttpCallResult> onResult) {
        RuntimeException fail = failWith;
        if (fail != null) {
            throw fail;
        }
        AtomicBoolean cancelled = new AtomicBoolean();
        httpCalls.add(new HttpCall(cluster, request, timeout, onResult, cancelled));
        return () -> cancelled.set(true);
    }

    @Override
    public Cancellable grpcCall(
            String cluster,
            String service,
            String method,
            List<Header> initialMetadata,
            byte[] message,
            Duration timeout,
            GrpcListener listener) {
        RuntimeException fail = failWith;
        if (fail != null) {
            throw fail;
        }
        AtomicBoolean cancelled = new AtomicBoolean();
        grpcCalls.add(
                new GrpcCall(
                        cluster,
                        service,
                        method,
                        initialMetadata,
                        message,
                        timeout,
                        listener,
                        cancelled));
        return () -> cancelled.set(true);
    }

    @Override
    public GrpcStream grpcStream(
            String cluster,
            String service,
            String method,
            List<Header> initialMetadata,
            GrpcListener listener) {
        RuntimeException fail = failWith;
        if (fail != null) {
            throw fail;
        }
        GrpcStreamCall s =
                new GrpcStreamCall(
                        cluster,
                        service,
                        method,
                        initialMetadata,
                        listener,
                        Collections.synchronizedList(new ArrayList<>()),
                        Collections.synchronizedList(new ArrayList<>()),
                        new AtomicBoolean(),
                        new AtomicBoolean());
        grpcStreams.add(s);
        return new GrpcStream() {
            @Override
            public void send(byte[] message, boolean endOfStream) {
                s.sent().add(message.clone());
                s.endOfStream().add(endOfStream);
            }

            @Override
            public void close() {
                s.halfClosed().set(true);
            }

            @Override
            public void cancel() {
                s.cancelled().set(true);
            }
        };
    }

    @Override
    public void close() {
        network.shutdownNow();
    }
}
