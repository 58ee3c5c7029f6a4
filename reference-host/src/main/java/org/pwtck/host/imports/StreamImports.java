package org.pwtck.host.imports;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.Header;
import org.pwtck.host.abi.MapType;
import org.pwtck.host.abi.Status;
import org.pwtck.host.abi.StreamType;
import org.pwtck.host.context.FilterContext;
import org.pwtck.host.context.HttpContext;
import org.pwtck.host.context.LocalResponse;
import org.pwtck.host.context.RootContext;
import org.pwtck.host.context.StreamListener;
import org.pwtck.host.context.TcpContext;

/**
 * Stream control and local responses (ABI.md §2.5). Every effect is delivered to the stream's
 * listener after the callback returns, never in the middle of the guest's call.
 */
final class StreamImports {
    private StreamImports() {}

    static void register(HostFunctionTable t) {
        t.put(AbiFunction.PROXY_CONTINUE_STREAM, StreamImports::continueStream);
        t.put(AbiFunction.PROXY_CLOSE_STREAM, StreamImports::closeStream);
        t.put(AbiFunction.PROXY_GET_STATUS, StreamImports::getStatus);
        t.put(AbiFunction.PROXY_SEND_LOCAL_RESPONSE, StreamImports::sendLocalResponse);
    }

    static int continueStream(HostEnvironment env, long[] args) {
        return control(env, Args.streamType(args[0]), StreamListener::onContinue);
    }

    static int closeStream(HostEnvironment env, long[] args) {
        return control(env, Args.streamType(args[0]), StreamListener::onClose);
    }

    /**
     * An HTTP stream accepts HTTP_REQUEST and HTTP_RESPONSE, a TCP stream DOWNSTREAM and UPSTREAM;
     * the other pair is BAD_ARGUMENT. A root context has no stream: NOT_FOUND.
     */
    static int control(
            HostEnvironment env, StreamType type, BiConsumer<StreamListener, StreamType> event) {
        FilterContext ctx = env.effectiveContext();
        StreamListener listener;
        boolean http = type == StreamType.HTTP_REQUEST || type == StreamType.HTTP_RESPONSE;
        if (ctx instanceof HttpContext h) {
            if (!http) {
                return Status.BAD_ARGUMENT.code();
            }
            listener = h.listener();
        } else if (ctx instanceof TcpContext tcp) {
            if (http) {
                return Status.BAD_ARGUMENT.code();
            }
            listener = tcp.listener();
        } else {
            return Status.NOT_FOUND.code();
        }
        env.afterCallback(() -> event.accept(listener, type));
        return Status.OK.code();
    }

    /** The root context's last call status: 0 after a response, 11 after a failure. */
    static int getStatus(HostEnvironment env, long[] args) {
        RootContext root = env.rootOf(env.effectiveContext());
        RootContext.CallStatus status = root.lastCallStatus();
        env.memory().checkRange(Args.u32(args[0]), 4);
        env.memory()
                .copyOut(
                        Args.u32(args[1]),
                        Args.u32(args[2]),
                        status.message().getBytes(StandardCharsets.UTF_8));
        env.memory().writeU32(Args.u32(args[0]), status.code());
        return Status.OK.code();
    }

    /**
     * Stores the local response and hands it to the stream after the callback. Defined answers
     * where it cannot work: no HTTP stream in the effective context, a response already sent to the
     * client, or a second local response are each BAD_ARGUMENT and change nothing.
     */
    static int sendLocalResponse(HostEnvironment env, long[] args) {
        int statusCode = (int) Args.u32(args[0]);
        String details = Args.string(env, args[1], args[2]);
        byte[] body = Args.bytes(env, args[3], args[4]);
        List<Header> headers = Args.pairs(env, args[5], args[6]);
        int grpc = (int) args[7];
        if (!(env.effectiveContext() instanceof HttpContext http)) {
            return Status.BAD_ARGUMENT.code();
        }
        if (http.isSent(MapType.HTTP_RESPONSE_HEADERS) || http.localResponse().isPresent()) {
            return Status.BAD_ARGUMENT.code();
        }
        LocalResponse response =
                new LocalResponse(
                        statusCode, details, body, headers, grpc >= 0 && grpc <= 16 ? grpc : -1);
        http.localResponse(response);
        if (env.scope().contextId() == http.id()) {
            env.scope().markLocalResponseSent();
        }
        env.afterCallback(() -> http.listener().onLocalResponse(response));
        return Status.OK.code();
    }
}
