package org.pwtck.host.context;

import java.time.Duration;
import java.util.List;
import org.pwtck.host.abi.Header;

/**
 * Where {@code proxy_http_call} and {@code proxy_grpc_*} go: named clusters. The proxy server
 * implements this over the network; tests use an in-memory fake. Results may be delivered on any
 * thread; the VM moves them to its own thread before calling the guest.
 */
public interface Upstreams {

    /** An outgoing HTTP call; headers include the pseudo-headers {@code :method}, {@code :path}. */
    record HttpCallRequest(List<Header> headers, byte[] body, List<Header> trailers) {}

    /** How an HTTP call ended without a response. */
    enum FailureKind {
        CONNECT_FAILURE,
        RESET,
        TIMEOUT
    }

    /** The outcome of an HTTP call: a response, or a failure. */
    record HttpCallResult(
            List<Header> headers, byte[] body, List<Header> trailers, FailureKind failure) {
        public static HttpCallResult response(
                List<Header> headers, byte[] body, List<Header> trailers) {
            return new HttpCallResult(headers, body, trailers, null);
        }

        public static HttpCallResult failed(FailureKind kind) {
            return new HttpCallResult(List.of(), new byte[0], List.of(), kind);
        }

        public boolean isFailure() {
            return failure != null;
        }
    }

    /** A call in flight that the guest may cancel. */
    interface Cancellable {
        void cancel();
    }

    /** Events of a gRPC call or stream, delivered in this order, close last. */
    interface GrpcListener {
        void onInitialMetadata(List<Header> metadata);

        void onMessage(byte[] message);

        void onTrailingMetadata(List<Header> metadata);

        void onClose(int grpcStatus, String message);
    }

    /** An open gRPC stream. */
    interface GrpcStream extends Cancellable {
        void send(byte[] message, boolean endOfStream);

        /** Half-close from the client side. */
        void close();
    }

    boolean hasCluster(String cluster);

    Cancellable httpCall(
            String cluster,
            HttpCallRequest request,
            Duration timeout,
            java.util.function.Consumer<HttpCallResult> onResult);

    Cancellable grpcCall(
            String cluster,
            String service,
            String method,
            List<Header> initialMetadata,
            byte[] message,
            Duration timeout,
            GrpcListener listener);

    GrpcStream grpcStream(
            String cluster,
            String service,
            String method,
            List<Header> initialMetadata,
            GrpcListener listener);

    /** No clusters at all: every call is refused as an unknown cluster. */
    static Upstreams none() {
        return new Upstreams() {
            @Override
            public boolean hasCluster(String cluster) {
                return false;
            }

            @Override
            public Cancellable httpCall(
                    String c,
                    HttpCallRequest r,
                    Duration t,
                    java.util.function.Consumer<HttpCallResult> on) {
                throw new IllegalStateException("no cluster " + c);
            }

            @Override
            public Cancellable grpcCall(
                    String c,
                    String s,
                    String m,
                    List<Header> md,
                    byte[] msg,
                    Duration t,
                    GrpcListener l) {
                throw new IllegalStateException("no cluster " + c);
            }

            @Override
            public GrpcStream grpcStream(
                    String c, String s, String m, List<Header> md, GrpcListener l) {
                throw new IllegalStateException("no cluster " + c);
            }
        };
    }
}
