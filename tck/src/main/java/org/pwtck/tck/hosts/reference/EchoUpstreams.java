package org.pwtck.tck.hosts.reference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.pwtck.host.abi.Header;
import org.pwtck.host.context.Upstreams;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.http.CapturedRequest;
import org.pwtck.tck.http.EchoBackend;

/**
 * The reference host's clusters during a TCK run: {@link FilterSpec#HTTPBIN_CLUSTER} is the TCK's
 * echo backend, answered in this JVM on another thread as a network upstream would be; the gRPC
 * server and the real httpbin are network clusters, reached through the proxy's own {@link
 * Upstreams} implementation (the {@code network} argument).
 */
final class EchoUpstreams implements Upstreams {
    private final EchoBackend echo;
    private final Upstreams network;

    EchoUpstreams(EchoBackend echo, Upstreams network) {
        this.echo = echo;
        this.network = network;
    }

    @Override
    public boolean hasCluster(String cluster) {
        return cluster.equals(FilterSpec.HTTPBIN_CLUSTER) || network.hasCluster(cluster);
    }

    @Override
    public Cancellable httpCall(
            String cluster,
            HttpCallRequest request,
            Duration timeout,
            Consumer<HttpCallResult> onResult) {
        if (!cluster.equals(FilterSpec.HTTPBIN_CLUSTER)) {
            return network.httpCall(cluster, request, timeout, onResult);
        }
        CapturedRequest captured = InProcessDeployment.captured(request.headers(), request.body());
        CompletableFuture<Void> f =
                CompletableFuture.runAsync(
                        () -> {
                            EchoBackend.EchoResponse r = echo.handle(captured);
                            List<Header> out = new ArrayList<>();
                            out.add(Header.of(":status", Integer.toString(r.status())));
                            r.headers().forEach(h -> out.add(Header.of(h.name(), h.value())));
                            out.add(Header.of("content-length", Integer.toString(r.body().length)));
                            onResult.accept(HttpCallResult.response(out, r.body(), List.of()));
                        });
        return () -> f.cancel(false);
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
        return network.grpcCall(
                cluster, service, method, initialMetadata, message, timeout, listener);
    }

    @Override
    public GrpcStream grpcStream(
            String cluster,
            String service,
            String method,
            List<Header> initialMetadata,
            GrpcListener listener) {
        return network.grpcStream(cluster, service, method, initialMetadata, listener);
    }
}
