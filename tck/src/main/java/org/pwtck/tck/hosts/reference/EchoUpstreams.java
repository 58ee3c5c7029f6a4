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
 * echo backend, answered on another thread as a network upstream would be. No gRPC cluster yet.
 */
final class EchoUpstreams implements Upstreams {
    private final EchoBackend echo;

    EchoUpstreams(EchoBackend echo) {
        this.echo = echo;
    }

    @Override
    public boolean hasCluster(String cluster) {
        return cluster.equals(FilterSpec.HTTPBIN_CLUSTER);
    }

    @Override
    public Cancellable httpCall(
            String cluster,
            HttpCallRequest request,
            Duration timeout,
            Consumer<HttpCallResult> onResult) {
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
        throw new IllegalStateException("no gRPC cluster " + cluster);
    }

    @Override
    public GrpcStream grpcStream(
            String cluster,
            String service,
            String method,
            List<Header> initialMetadata,
            GrpcListener listener) {
        throw new IllegalStateException("no gRPC cluster " + cluster);
    }
}
