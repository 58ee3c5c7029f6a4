package org.pwtck.host.plugin;

import java.io.ByteArrayOutputStream;
import java.util.Optional;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.Action;
import org.pwtck.host.abi.Callback;
import org.pwtck.host.abi.MapType;
import org.pwtck.host.abi.StreamType;
import org.pwtck.host.context.Buffer;
import org.pwtck.host.context.CallbackScope;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.HttpContext;
import org.pwtck.host.context.LocalResponse;
import org.pwtck.host.context.StreamListener;

/**
 * Drives one HTTP stream through a filter, event by event, the way a proxy would: headers (with end
 * of stream when there is no body), each body chunk, trailers, for the request and then the
 * response; then {@link #complete()}. The header maps passed in are the live maps the filter
 * changes; what a filter lets through is what the caller forwards.
 */
public final class HttpStream {
    private final PluginVm vm;
    private final StreamListener listener;
    private HttpContext ctx;
    // Empty until a body passes: most streams of a headers filter never have one.
    private final ByteArrayOutputStream forwardedRequestBody = new ByteArrayOutputStream(0);
    private final ByteArrayOutputStream forwardedResponseBody = new ByteArrayOutputStream(0);

    HttpStream(PluginVm vm, StreamListener listener) {
        this.vm = vm;
        this.listener = listener;
    }

    void bind(HttpContext context) {
        this.ctx = context;
    }

    /** The listener the context reports to: marks maps as sent when a paused stream resumes. */
    StreamListener events() {
        return new StreamListener() {
            @Override
            public void onContinue(StreamType stream) {
                if (stream == StreamType.HTTP_REQUEST) {
                    passOn(MapType.HTTP_REQUEST_HEADERS);
                    forwardBody(MapType.HTTP_REQUEST_HEADERS);
                } else if (stream == StreamType.HTTP_RESPONSE) {
                    passOn(MapType.HTTP_RESPONSE_HEADERS);
                    forwardBody(MapType.HTTP_RESPONSE_HEADERS);
                }
                listener.onContinue(stream);
            }

            @Override
            public void onClose(StreamType stream) {
                listener.onClose(stream);
            }

            @Override
            public void onLocalResponse(LocalResponse response) {
                listener.onLocalResponse(response);
            }

            @Override
            public void onClearRouteCache() {
                listener.onClearRouteCache();
            }

            @Override
            public void onFailure(String reason) {
                listener.onFailure(reason);
            }
        };
    }

    public int contextId() {
        return ctx.id();
    }

    /** The host's view of the stream: maps, bodies, local response. Read it on the VM thread. */
    public HttpContext context() {
        return ctx;
    }

    public Action requestHeaders(HeaderMap headers, boolean endOfStream) {
        return vm.executor()
                .call(
                        () -> {
                            ctx.requestHeaders(headers);
                            ctx.phase(HttpContext.HttpPhase.REQUEST_HEADERS);
                            Action action =
                                    headersCallback(
                                            Callback.PROXY_ON_REQUEST_HEADERS,
                                            headers.size(),
                                            endOfStream);
                            if (action.isContinue()) {
                                passOn(MapType.HTTP_REQUEST_HEADERS);
                            }
                            return action;
                        });
    }

    /**
     * Delivers a request body chunk. The filter sees everything buffered so far (the size is
     * cumulative while it pauses); when it continues, the buffer is passed on and emptied.
     */
    public Action requestBody(byte[] chunk, boolean endOfStream) {
        return vm.executor()
                .call(
                        () -> {
                            Buffer body = ctx.requestBodyBuffer();
                            body.append(chunk);
                            ctx.addRequestBodyBytes(chunk.length);
                            ctx.phase(HttpContext.HttpPhase.REQUEST_BODY);
                            Action action =
                                    dataCallback(
                                            Callback.PROXY_ON_REQUEST_BODY,
                                            body.length(),
                                            endOfStream);
                            if (action.isContinue()) {
                                // Continuing the body also releases headers the filter paused:
                                // they go out first and can no longer change (as in Envoy).
                                passOn(MapType.HTTP_REQUEST_HEADERS);
                                forwardBody(MapType.HTTP_REQUEST_HEADERS);
                            }
                            return action;
                        });
    }

    public Action requestTrailers(HeaderMap trailers) {
        return vm.executor()
                .call(
                        () -> {
                            ctx.requestTrailers(trailers);
                            ctx.phase(HttpContext.HttpPhase.REQUEST_TRAILERS);
                            Action action =
                                    trailersCallback(
                                            Callback.PROXY_ON_REQUEST_TRAILERS, trailers.size());
                            if (action.isContinue()) {
                                passOn(MapType.HTTP_REQUEST_HEADERS);
                                forwardBody(MapType.HTTP_REQUEST_HEADERS);
                                passOn(MapType.HTTP_REQUEST_TRAILERS);
                            }
                            return action;
                        });
    }

    public Action responseHeaders(HeaderMap headers, boolean endOfStream) {
        return vm.executor()
                .call(
                        () -> {
                            passOn(MapType.HTTP_REQUEST_HEADERS);
                            ctx.responseHeaders(headers);
                            ctx.phase(HttpContext.HttpPhase.RESPONSE_HEADERS);
                            Action action =
                                    headersCallback(
                                            Callback.PROXY_ON_RESPONSE_HEADERS,
                                            headers.size(),
                                            endOfStream);
                            if (action.isContinue()) {
                                passOn(MapType.HTTP_RESPONSE_HEADERS);
                            }
                            return action;
                        });
    }

    public Action responseBody(byte[] chunk, boolean endOfStream) {
        return vm.executor()
                .call(
                        () -> {
                            Buffer body = ctx.responseBodyBuffer();
                            body.append(chunk);
                            ctx.addResponseBodyBytes(chunk.length);
                            ctx.phase(HttpContext.HttpPhase.RESPONSE_BODY);
                            Action action =
                                    dataCallback(
                                            Callback.PROXY_ON_RESPONSE_BODY,
                                            body.length(),
                                            endOfStream);
                            if (action.isContinue()) {
                                passOn(MapType.HTTP_RESPONSE_HEADERS);
                                forwardBody(MapType.HTTP_RESPONSE_HEADERS);
                            }
                            return action;
                        });
    }

    public Action responseTrailers(HeaderMap trailers) {
        return vm.executor()
                .call(
                        () -> {
                            ctx.responseTrailers(trailers);
                            ctx.phase(HttpContext.HttpPhase.RESPONSE_TRAILERS);
                            Action action =
                                    trailersCallback(
                                            Callback.PROXY_ON_RESPONSE_TRAILERS, trailers.size());
                            if (action.isContinue()) {
                                passOn(MapType.HTTP_RESPONSE_HEADERS);
                                forwardBody(MapType.HTTP_RESPONSE_HEADERS);
                                passOn(MapType.HTTP_RESPONSE_TRAILERS);
                            }
                            return action;
                        });
    }

    /** Ends the stream for the filter: {@code on_done}, {@code on_log}, {@code on_delete}. */
    public void complete() {
        vm.executor()
                .call(
                        () -> {
                            vm.teardown(ctx);
                            return null;
                        });
    }

    /** Request body bytes the filter has let through so far (taken, so each byte once). */
    public byte[] takeForwardedRequestBody() {
        return vm.executor().call(() -> take(forwardedRequestBody));
    }

    /** Response body bytes the filter has let through so far (taken, so each byte once). */
    public byte[] takeForwardedResponseBody() {
        return vm.executor().call(() -> take(forwardedResponseBody));
    }

    public Optional<LocalResponse> localResponse() {
        return vm.executor().call(ctx::localResponse);
    }

    private static byte[] take(ByteArrayOutputStream out) {
        byte[] bytes = out.toByteArray();
        out.reset();
        return bytes;
    }

    private Action headersCallback(Callback callback, int count, boolean endOfStream) {
        CallbackScope scope = new CallbackScope(callback.exportName(), ctx.id());
        long raw =
                vm.plugin().abiVersion() == AbiVersion.V0_1_0
                        ? invoke(callback, scope, ctx.id(), count)
                        : invoke(callback, scope, ctx.id(), count, endOfStream ? 1 : 0);
        return scope.localResponseSent() ? Action.PAUSE : Action.of(raw);
    }

    private Action dataCallback(Callback callback, int size, boolean endOfStream) {
        CallbackScope scope = new CallbackScope(callback.exportName(), ctx.id());
        long raw = invoke(callback, scope, ctx.id(), size, endOfStream ? 1 : 0);
        return scope.localResponseSent() ? Action.PAUSE : Action.of(raw);
    }

    private Action trailersCallback(Callback callback, int count) {
        CallbackScope scope = new CallbackScope(callback.exportName(), ctx.id());
        long raw = invoke(callback, scope, ctx.id(), count);
        return scope.localResponseSent() ? Action.PAUSE : Action.of(raw);
    }

    private long invoke(Callback callback, CallbackScope scope, long... args) {
        try {
            return vm.call(callback, 0, scope, args);
        } catch (FilterFailedException e) {
            listener.onFailure(e.getMessage());
            throw e;
        }
    }

    private void passOn(MapType type) {
        if (ctx.hasMap(type) && !ctx.isSent(type)) {
            ctx.markSent(type);
        }
    }

    private void forwardBody(MapType direction) {
        Buffer body =
                direction == MapType.HTTP_REQUEST_HEADERS
                        ? ctx.requestBodyBuffer()
                        : ctx.responseBodyBuffer();
        ByteArrayOutputStream out =
                direction == MapType.HTTP_REQUEST_HEADERS
                        ? forwardedRequestBody
                        : forwardedResponseBody;
        out.writeBytes(body.bytes());
        body.clear();
    }
}
