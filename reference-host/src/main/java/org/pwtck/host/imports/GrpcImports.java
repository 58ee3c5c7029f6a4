package org.pwtck.host.imports;

import java.time.Duration;
import java.util.List;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.Header;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.RootContext;
import org.pwtck.host.context.Upstreams;

/**
 * gRPC calls and streams (ABI.md §2.6), made on the root context of the caller. An unknown cluster
 * is PARSE_FAILURE, as the spec lists it (and unlike BAD_ARGUMENT for HTTP calls).
 */
final class GrpcImports {
    private GrpcImports() {}

    static void register(HostFunctionTable t) {
        t.put(AbiFunction.PROXY_GRPC_CALL, GrpcImports::call);
        t.put(AbiFunction.PROXY_GRPC_STREAM, GrpcImports::stream);
        t.put(AbiFunction.PROXY_GRPC_SEND, GrpcImports::send);
        t.put(AbiFunction.PROXY_GRPC_CANCEL, GrpcImports::cancel);
        t.put(AbiFunction.PROXY_GRPC_CLOSE, GrpcImports::close);
    }

    static int call(HostEnvironment env, long[] args) {
        long tokenPtr = Args.u32(args[11]);
        env.memory().checkRange(tokenPtr, 4);
        String cluster = Args.string(env, args[0], args[1]);
        String service = Args.string(env, args[2], args[3]);
        String method = Args.string(env, args[4], args[5]);
        List<Header> metadata = Args.pairs(env, args[6], args[7]);
        byte[] message = Args.bytes(env, args[8], args[9]);
        long timeoutMs = Args.u32(args[10]);
        Upstreams upstreams = env.services().upstreams();
        if (!upstreams.hasCluster(cluster)) {
            return Status.PARSE_FAILURE.code();
        }
        Duration timeout = timeoutMs == 0 ? Duration.ZERO : Duration.ofMillis(timeoutMs);
        return Callouts.dispatch(
                env,
                tokenPtr,
                (root, token) ->
                        root.grpcCalls()
                                .put(
                                        token,
                                        upstreams.grpcCall(
                                                cluster,
                                                service,
                                                method,
                                                metadata,
                                                message,
                                                timeout,
                                                listener(env, root, token))));
    }

    static int stream(HostEnvironment env, long[] args) {
        long tokenPtr = Args.u32(args[8]);
        env.memory().checkRange(tokenPtr, 4);
        String cluster = Args.string(env, args[0], args[1]);
        String service = Args.string(env, args[2], args[3]);
        String method = Args.string(env, args[4], args[5]);
        List<Header> metadata = Args.pairs(env, args[6], args[7]);
        Upstreams upstreams = env.services().upstreams();
        if (!upstreams.hasCluster(cluster)) {
            return Status.PARSE_FAILURE.code();
        }
        return Callouts.dispatch(
                env,
                tokenPtr,
                (root, token) ->
                        root.grpcStreams()
                                .put(
                                        token,
                                        upstreams.grpcStream(
                                                cluster,
                                                service,
                                                method,
                                                metadata,
                                                listener(env, root, token))));
    }

    /** BAD_ARGUMENT for a unary call's token, NOT_FOUND for an unknown one. */
    static int send(HostEnvironment env, long[] args) {
        int token = (int) args[0];
        byte[] message = Args.bytes(env, args[1], args[2]);
        boolean endOfStream = Args.u32(args[3]) != 0;
        RootContext root = env.rootOf(env.effectiveContext());
        Upstreams.GrpcStream stream = root.grpcStreams().get(token);
        if (stream == null) {
            return root.grpcCalls().containsKey(token)
                    ? Status.BAD_ARGUMENT.code()
                    : Status.NOT_FOUND.code();
        }
        stream.send(message, endOfStream);
        return Status.OK.code();
    }

    /** Cancels a call or resets a stream; no callback follows. */
    static int cancel(HostEnvironment env, long[] args) {
        int token = (int) args[0];
        RootContext root = env.rootOf(env.effectiveContext());
        Upstreams.Cancellable handle = root.grpcCalls().get(token);
        if (handle == null) {
            handle = root.grpcStreams().get(token);
        }
        if (handle == null) {
            return Status.NOT_FOUND.code();
        }
        handle.cancel();
        root.callFinished(token);
        return Status.OK.code();
    }

    /** Cancels a unary call; half-closes a stream, which stays open until the server closes. */
    static int close(HostEnvironment env, long[] args) {
        int token = (int) args[0];
        RootContext root = env.rootOf(env.effectiveContext());
        Upstreams.GrpcStream stream = root.grpcStreams().get(token);
        if (stream != null) {
            stream.close();
            return Status.OK.code();
        }
        return cancel(env, args);
    }

    private static Upstreams.GrpcListener listener(
            HostEnvironment env, RootContext root, int token) {
        HostEnvironment.Deliveries d = env.deliveries();
        return new Upstreams.GrpcListener() {
            @Override
            public void onInitialMetadata(List<Header> metadata) {
                env.vmExecutor().execute(() -> d.grpcInitialMetadata(root, token, metadata));
            }

            @Override
            public void onMessage(byte[] message) {
                env.vmExecutor().execute(() -> d.grpcMessage(root, token, message));
            }

            @Override
            public void onTrailingMetadata(List<Header> metadata) {
                env.vmExecutor().execute(() -> d.grpcTrailingMetadata(root, token, metadata));
            }

            @Override
            public void onClose(int status, String message) {
                env.vmExecutor().execute(() -> d.grpcClose(root, token, status, message));
            }
        };
    }
}
