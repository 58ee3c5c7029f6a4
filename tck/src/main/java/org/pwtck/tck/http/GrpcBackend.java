package org.pwtck.tck.http;

import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.pwtck.host.upstream.ClusterUpstreams;

/**
 * The TCK's gRPC upstream, exposed to every host as the cluster {@code grpc}: a real grpc-java
 * server (HTTP/2 without TLS) with a generic service over raw bytes ({@link
 * ClusterUpstreams#rawMethod}, as the reference host calls it), so no protoc is needed.
 *
 * <ul>
 *   <li>{@code pwtck.Echo/Unary}: initial metadata {@code x-pwtck-initial: 1}, one message {@code
 *       echo:<request>}, trailing metadata {@code x-pwtck-trailer: done}, status OK.
 *   <li>{@code pwtck.Echo/Fail}: no message, trailing metadata {@code x-pwtck-trailer: failed},
 *       status {@link #FAIL_STATUS} with the description {@link #FAIL_MESSAGE}.
 *   <li>{@code pwtck.Echo/Stream} (bidirectional): initial metadata, {@code echo:<message>} for
 *       each message, and OK with the trailing metadata once the client half-closes.
 *   <li>{@code grpc.health.v1.Health/Check}: {@code SERVING} ({@code 08 01}) for any request, what
 *       the {@code grpc-callout} filter asks.
 * </ul>
 */
public final class GrpcBackend implements AutoCloseable {
    public static final String SERVICE = "pwtck.Echo";
    public static final String HEALTH_SERVICE = "grpc.health.v1.Health";

    /** PERMISSION_DENIED: a code no transport produces by itself. */
    public static final int FAIL_STATUS = Status.Code.PERMISSION_DENIED.value();

    public static final String FAIL_MESSAGE = "pwtck denied";

    /** The health service's answer: {@code HealthCheckResponse{status: SERVING}}. */
    public static final byte[] SERVING = {0x08, 0x01};

    private static final Metadata.Key<String> INITIAL =
            Metadata.Key.of("x-pwtck-initial", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> TRAILER =
            Metadata.Key.of("x-pwtck-trailer", Metadata.ASCII_STRING_MARSHALLER);

    private Server server;

    /** Starts on an address the host under test can reach (port 0 = any free port). */
    public synchronized GrpcBackend start(String host, int port) throws IOException {
        if (server == null) {
            server =
                    NettyServerBuilder.forAddress(
                                    new InetSocketAddress(host, port),
                                    InsecureServerCredentials.create())
                            .addService(echoService())
                            .addService(healthService())
                            .build();
            server.start();
        }
        return this;
    }

    public int port() {
        if (server == null) {
            throw new IllegalStateException("the gRPC backend is not started");
        }
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    private static ServerServiceDefinition echoService() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(
                        ClusterUpstreams.rawMethod(
                                SERVICE, "Unary", MethodDescriptor.MethodType.UNARY),
                        unary())
                .addMethod(
                        ClusterUpstreams.rawMethod(
                                SERVICE, "Fail", MethodDescriptor.MethodType.UNARY),
                        fail())
                .addMethod(
                        ClusterUpstreams.rawMethod(
                                SERVICE, "Stream", MethodDescriptor.MethodType.BIDI_STREAMING),
                        stream())
                .build();
    }

    private static ServerServiceDefinition healthService() {
        return ServerServiceDefinition.builder(HEALTH_SERVICE)
                .addMethod(
                        ClusterUpstreams.rawMethod(
                                HEALTH_SERVICE, "Check", MethodDescriptor.MethodType.UNARY),
                        health())
                .build();
    }

    private static ServerCallHandler<byte[], byte[]> health() {
        return (call, headers) -> {
            call.request(1);
            return new ServerCall.Listener<>() {
                @Override
                public void onHalfClose() {
                    call.sendHeaders(new Metadata());
                    call.sendMessage(SERVING);
                    call.close(Status.OK, new Metadata());
                }
            };
        };
    }

    private static ServerCallHandler<byte[], byte[]> unary() {
        return (call, headers) -> {
            call.request(1);
            return new ServerCall.Listener<>() {
                private byte[] request = new byte[0];

                @Override
                public void onMessage(byte[] message) {
                    request = message;
                }

                @Override
                public void onHalfClose() {
                    call.sendHeaders(initial());
                    call.sendMessage(echo(request));
                    call.close(Status.OK, trailers("done"));
                }
            };
        };
    }

    private static ServerCallHandler<byte[], byte[]> fail() {
        return (call, headers) -> {
            call.request(1);
            return new ServerCall.Listener<>() {
                @Override
                public void onHalfClose() {
                    call.close(
                            Status.fromCodeValue(FAIL_STATUS).withDescription(FAIL_MESSAGE),
                            trailers("failed"));
                }
            };
        };
    }

    private static ServerCallHandler<byte[], byte[]> stream() {
        return (call, headers) -> {
            call.sendHeaders(initial());
            call.request(1);
            return new ServerCall.Listener<>() {
                @Override
                public void onMessage(byte[] message) {
                    call.sendMessage(echo(message));
                    call.request(1);
                }

                @Override
                public void onHalfClose() {
                    call.close(Status.OK, trailers("done"));
                }
            };
        };
    }

    private static Metadata initial() {
        Metadata m = new Metadata();
        m.put(INITIAL, "1");
        return m;
    }

    private static Metadata trailers(String value) {
        Metadata m = new Metadata();
        m.put(TRAILER, value);
        return m;
    }

    private static byte[] echo(byte[] message) {
        byte[] prefix = "echo:".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + message.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(message, 0, out, prefix.length, message.length);
        return out;
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (server != null) {
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
            server = null;
        }
    }
}
