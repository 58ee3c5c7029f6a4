package org.pwtck.host.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.pwtck.host.abi.Action;
import org.pwtck.host.abi.Header;
import org.pwtck.host.abi.StreamType;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.context.Buffer;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.LocalResponse;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.context.StreamListener;
import org.pwtck.host.plugin.FilterFailedException;
import org.pwtck.host.plugin.HttpStream;
import org.pwtck.host.plugin.PluginVm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP request/response through a route's filter chain, on one event loop. The request goes
 * through the filters in the order listed, the response in reverse order (as Envoy does). Each
 * filter sees headers (end of stream when no body follows), each body chunk, and trailers.
 *
 * <p>Flow control per filter and direction, following Envoy's defaults (ENVOY.md §3.6): headers
 * that return Pause hold everything behind them (body chunks are kept by the host and delivered
 * once the filter resumes); a body callback that returns Pause buffers, and the next chunk shows
 * the filter everything buffered so far; {@code proxy_continue_stream} resumes. What the host holds
 * or a filter buffers is capped by {@code limits.bufferLimitBytes}: 413 for a request, 500 for a
 * response not yet started. A filter that pauses and never resumes gets 504 after {@code
 * limits.pausedStreamTimeout}.
 */
final class Exchange {
    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

    /** An event of one direction of the stream. */
    sealed interface Ev permits Headers, Data, Trailers {}

    record Headers(HeaderMap map, boolean eos) implements Ev {}

    record Data(byte[] bytes, boolean eos) implements Ev {}

    record Trailers(HeaderMap map) implements Ev {}

    private enum Waiting {
        NONE,
        HEADERS,
        BODY,
        TRAILERS
    }

    /** One direction of one filter. */
    private static final class Dir {
        boolean paused;
        Waiting waiting = Waiting.NONE;
        Ev pending;
        boolean bodyEos;
        final ArrayDeque<Ev> queue = new ArrayDeque<>();
        long queuedBytes;
        ScheduledFuture<?> timer;
    }

    /** One filter of the chain for this exchange: its stream on its VM. */
    private final class Stage implements StreamListener, LoopVm.Watcher {
        final int index;
        final FilterSlot slot;
        final LoopVm loopVm;
        HttpStream stream;
        boolean skipped;
        boolean dead; // its VM failed: no more callbacks, no teardown
        final Dir request = new Dir();
        final Dir response = new Dir();

        Stage(int index, FilterSlot slot) {
            this.index = index;
            this.slot = slot;
            this.loopVm = slot.on(loop);
        }

        Dir dir(boolean req) {
            return req ? request : response;
        }

        // Stream events are delivered after the callback that caused them; each is handled in
        // its own event-loop task, so the chain is never re-entered from inside a callback.
        @Override
        public void onContinue(StreamType type) {
            loop.execute(() -> resume(this, type == StreamType.HTTP_REQUEST));
        }

        @Override
        public void onClose(StreamType type) {
            loop.execute(() -> closedByFilter(this));
        }

        @Override
        public void onLocalResponse(LocalResponse r) {
            loop.execute(() -> localResponse(this, r));
        }

        @Override
        public void vmFailed(LoopVm vm, String reason) {
            filterFailed(this, null, reason);
        }
    }

    private final FilterChainHandler owner;
    private final ChannelHandlerContext ctx;
    private final EventLoop loop;
    private final ProxyContext px;
    private final Generation generation;
    private final HostConfig.Route route;
    private final HostConfig.Limits limits;
    private final boolean keepAlive;
    private final List<Stage> stages = new ArrayList<>();
    private final StreamInfo info;
    private UpstreamForwarder upstream;
    private boolean done;
    private boolean requestComplete;
    private boolean responseStarted;
    private String requestMethod = "GET";

    Exchange(
            FilterChainHandler owner,
            ChannelHandlerContext ctx,
            ProxyContext px,
            Generation generation,
            HostConfig.Route route,
            StreamInfo info,
            boolean keepAlive) {
        this.owner = owner;
        this.ctx = ctx;
        this.loop = ctx.channel().eventLoop();
        this.px = px;
        this.generation = generation;
        this.route = route;
        this.limits = generation.config().limits();
        this.info = info;
        this.keepAlive = keepAlive;
    }

    EventLoop loop() {
        return loop;
    }

    boolean isDone() {
        return done;
    }

    // ---- from the client ----

    void start(HeaderMap headers, boolean eos) {
        requestMethod = headers.get(":method").orElse("GET");
        px.stats().inc("route." + route.name() + ".requests");
        List<FilterSlot> chain = generation.chain(route);
        for (int i = 0; i < chain.size(); i++) {
            Stage s = new Stage(i, chain.get(i));
            stages.add(s);
            px.stats().inc("filter." + s.slot.name() + ".requests");
            PluginVm vm = s.loopVm.acquire();
            if (vm == null) {
                if (!applyFailPolicy(s, "VM not available (failed and not yet replaced)")) {
                    return;
                }
                continue;
            }
            try {
                s.stream = vm.newHttpStream(s, info);
                s.loopVm.watch(s);
            } catch (FilterFailedException e) {
                if (!applyFailPolicy(s, e.getMessage())) {
                    return;
                }
            }
        }
        push(true, 0, new Headers(headers, eos));
        if (eos) {
            requestComplete = true;
        }
    }

    void requestData(byte[] bytes, boolean eos) {
        if (eos) {
            requestComplete = true;
        }
        push(true, 0, new Data(bytes, eos));
    }

    void requestTrailers(HeaderMap trailers) {
        requestComplete = true;
        push(true, 0, new Trailers(trailers));
    }

    boolean requestComplete() {
        return requestComplete;
    }

    /** The client went away: tear every stream down (on_done, on_log, on_delete). */
    void clientGone() {
        if (!done) {
            px.stats().inc("server.client_disconnects");
            finish(true);
        }
    }

    // ---- from the upstream ----

    void upstreamHeaders(HeaderMap headers, boolean eos) {
        push(false, stages.size() - 1, new Headers(headers, eos));
    }

    void upstreamData(byte[] bytes, boolean eos) {
        push(false, stages.size() - 1, new Data(bytes, eos));
    }

    void upstreamTrailers(HeaderMap trailers) {
        push(false, stages.size() - 1, new Trailers(trailers));
    }

    void upstreamFailed(int status, String detail) {
        if (done) {
            return;
        }
        reply(status, detail, "upstream");
    }

    void upstreamResetAfterHeaders() {
        reset("upstream reset after response headers");
    }

    void upstreamWritable(boolean writable) {
        owner.readGate(FilterChainHandler.UPSTREAM_FULL, !writable);
    }

    void clientWritable(boolean writable) {
        if (upstream != null) {
            upstream.pauseReading(!writable);
        }
    }

    // ---- the chain ----

    private int step(boolean request, int pos) {
        return request ? pos + 1 : pos - 1;
    }

    private void push(boolean request, int pos, Ev ev) {
        if (done) {
            return;
        }
        if (pos < 0 || pos >= stages.size()) {
            sink(request, ev);
            return;
        }
        Stage s = stages.get(pos);
        if (s.skipped) {
            push(request, step(request, pos), ev);
            return;
        }
        Dir d = s.dir(request);
        boolean direct = !d.paused || (d.waiting == Waiting.BODY && !(ev instanceof Headers));
        if (!direct || !d.queue.isEmpty()) {
            enqueue(s, d, request, ev);
            return;
        }
        deliver(s, request, ev);
    }

    private void deliver(Stage s, boolean request, Ev ev) {
        List<Ev> out = invoke(s, request, ev);
        if (out == null || done) {
            return;
        }
        for (Ev e : out) {
            push(request, step(request, s.index), e);
        }
    }

    /** Calls the filter; returns what passes on now (empty when it paused, null when over). */
    private List<Ev> invoke(Stage s, boolean request, Ev ev) {
        Dir d = s.dir(request);
        try {
            if (ev instanceof Headers h) {
                Action a =
                        request
                                ? s.stream.requestHeaders(h.map(), h.eos())
                                : s.stream.responseHeaders(h.map(), h.eos());
                if (a.isContinue()) {
                    return List.of(h);
                }
                pause(s, d, request, Waiting.HEADERS, h);
                return List.of();
            }
            if (ev instanceof Data x) {
                Action a =
                        request
                                ? s.stream.requestBody(x.bytes(), x.eos())
                                : s.stream.responseBody(x.bytes(), x.eos());
                if (a.isContinue()) {
                    if (d.paused) {
                        d.paused = false;
                        cancelTimer(d);
                    }
                    byte[] fwd = forwarded(s, request);
                    return fwd.length > 0 || x.eos() ? List.of(new Data(fwd, x.eos())) : List.of();
                }
                d.bodyEos = x.eos();
                pause(s, d, request, Waiting.BODY, null);
                long buffered = buffered(s, request);
                if (buffered > limits.bufferLimitBytes()) {
                    overLimit(request, s, buffered);
                    return null;
                }
                return List.of();
            }
            Trailers t = (Trailers) ev;
            Action a =
                    request
                            ? s.stream.requestTrailers(t.map())
                            : s.stream.responseTrailers(t.map());
            if (a.isContinue()) {
                if (d.paused) {
                    d.paused = false;
                    cancelTimer(d);
                }
                byte[] fwd = forwarded(s, request);
                return fwd.length > 0 ? List.of(new Data(fwd, false), t) : List.of(t);
            }
            pause(s, d, request, Waiting.TRAILERS, t);
            return List.of();
        } catch (FilterFailedException e) {
            return filterFailed(s, ev, e.getMessage()) ? List.of(ev) : null;
        }
    }

    private void pause(Stage s, Dir d, boolean request, Waiting waiting, Ev pending) {
        d.paused = true;
        d.waiting = waiting;
        d.pending = pending;
        if (d.timer == null) {
            long ms = limits.pausedStreamTimeout().toMillis();
            d.timer =
                    loop.schedule(
                            () -> {
                                d.timer = null;
                                if (!done && d.paused) {
                                    px.stats().inc("filter." + s.slot.name() + ".paused_timeouts");
                                    reply(
                                            504,
                                            "filter "
                                                    + s.slot.name()
                                                    + " paused the "
                                                    + (request ? "request" : "response")
                                                    + " and did not resume within "
                                                    + ms
                                                    + "ms",
                                            s.slot.name());
                                }
                            },
                            ms,
                            TimeUnit.MILLISECONDS);
        }
    }

    private static void cancelTimer(Dir d) {
        if (d.timer != null) {
            d.timer.cancel(false);
            d.timer = null;
        }
    }

    private void enqueue(Stage s, Dir d, boolean request, Ev ev) {
        if (ev instanceof Data x) {
            Ev last = d.queue.peekLast();
            if (last instanceof Data prev && !prev.eos()) {
                byte[] joined = new byte[prev.bytes().length + x.bytes().length];
                System.arraycopy(prev.bytes(), 0, joined, 0, prev.bytes().length);
                System.arraycopy(x.bytes(), 0, joined, prev.bytes().length, x.bytes().length);
                d.queue.pollLast();
                d.queue.addLast(new Data(joined, x.eos()));
            } else {
                d.queue.addLast(x);
            }
            d.queuedBytes += x.bytes().length;
            long total = d.queuedBytes + buffered(s, request);
            if (total > limits.bufferLimitBytes()) {
                overLimit(request, s, total);
            }
        } else {
            d.queue.addLast(ev);
        }
    }

    /** {@code proxy_continue_stream} from a filter (in a task of its own). */
    private void resume(Stage s, boolean request) {
        if (done || s.skipped || s.dead) {
            return;
        }
        Dir d = s.dir(request);
        if (!d.paused) {
            return;
        }
        d.paused = false;
        cancelTimer(d);
        List<Ev> out = new ArrayList<>();
        switch (d.waiting) {
            case HEADERS -> out.add(d.pending);
            case BODY -> {
                byte[] fwd = forwarded(s, request);
                if (fwd.length > 0 || d.bodyEos) {
                    out.add(new Data(fwd, d.bodyEos));
                }
            }
            case TRAILERS -> {
                byte[] fwd = forwarded(s, request);
                if (fwd.length > 0) {
                    out.add(new Data(fwd, false));
                }
                out.add(d.pending);
            }
            default -> {}
        }
        d.pending = null;
        d.waiting = Waiting.NONE;
        for (Ev e : out) {
            push(request, step(request, s.index), e);
        }
        // What arrived while the headers were held now reaches the filter, in order.
        while (!done && !d.queue.isEmpty() && !(d.paused && d.waiting != Waiting.BODY)) {
            Ev ev = d.queue.pollFirst();
            if (ev instanceof Data x) {
                d.queuedBytes -= x.bytes().length;
            }
            if (s.skipped) {
                push(request, step(request, s.index), ev);
            } else {
                deliver(s, request, ev);
            }
        }
    }

    private byte[] forwarded(Stage s, boolean request) {
        return request ? s.stream.takeForwardedRequestBody() : s.stream.takeForwardedResponseBody();
    }

    private long buffered(Stage s, boolean request) {
        if (s.stream == null) {
            return 0;
        }
        Buffer b =
                request
                        ? s.stream.context().requestBodyBuffer()
                        : s.stream.context().responseBodyBuffer();
        return b.length();
    }

    private void overLimit(boolean request, Stage s, long size) {
        px.stats().inc("filter." + s.slot.name() + ".buffer_overflows");
        String detail =
                (request ? "request" : "response")
                        + " body over the buffer limit ("
                        + size
                        + " > "
                        + limits.bufferLimitBytes()
                        + " bytes) while filter "
                        + s.slot.name()
                        + " held it";
        if (request) {
            reply(413, detail, s.slot.name());
        } else {
            reply(500, detail, s.slot.name());
        }
    }

    /**
     * A filter's VM failed. Fail closed: 503 (a reset once the response has started). Fail open:
     * the filter is skipped from now on and what it held passes on.
     *
     * @return true when the event that was being delivered should pass on (fail open)
     */
    private boolean filterFailed(Stage s, Ev current, String reason) {
        if (done || s.dead) {
            return false;
        }
        s.dead = true;
        s.loopVm.unwatch(s);
        return applyFailPolicy(s, reason) && releaseHeld(s, current);
    }

    /**
     * @return false when the exchange ended
     */
    private boolean applyFailPolicy(Stage s, String reason) {
        s.dead = true;
        if (s.slot.failPolicy() == HostConfig.FailPolicy.OPEN) {
            px.stats().inc("filter." + s.slot.name() + ".fail_open");
            s.skipped = true;
            return true;
        }
        px.stats().inc("filter." + s.slot.name() + ".fail_closed");
        LOG.warn("{}: failing closed: {}", s.slot.name(), reason);
        reply(503, "filter " + s.slot.name() + " failed: " + reason, s.slot.name());
        return false;
    }

    /** Fail open: what a failed filter was holding passes on (the current event, if any, too). */
    private boolean releaseHeld(Stage s, Ev current) {
        for (boolean request : new boolean[] {true, false}) {
            Dir d = s.dir(request);
            cancelTimer(d);
            List<Ev> out = new ArrayList<>();
            if (d.paused && d.pending != null && d.pending != current) {
                out.add(d.pending);
            }
            out.addAll(d.queue);
            d.queue.clear();
            d.paused = false;
            d.pending = null;
            for (Ev e : out) {
                push(request, step(request, s.index), e);
            }
        }
        return current != null;
    }

    // ---- sinks ----

    private void sink(boolean request, Ev ev) {
        try {
            if (request) {
                if (ev instanceof Headers h) {
                    HostConfig.Cluster cluster =
                            generation.config().clusters().get(route.cluster());
                    upstream = new UpstreamForwarder(this, px, px.pool(loop), cluster);
                    upstream.headers(h.map(), h.eos());
                } else if (ev instanceof Data x) {
                    upstream.data(x.bytes(), x.eos());
                } else if (ev instanceof Trailers t) {
                    upstream.trailers(t.map());
                }
                return;
            }
            if (ev instanceof Headers h) {
                HttpResponse res = Http1.response(h.map(), h.eos(), closeAfter());
                responseStarted = true;
                count(res.status().code());
                ctx.write(res);
                if (h.eos() || requestMethod.equals("HEAD")) {
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                    finish(false);
                }
            } else if (ev instanceof Data x) {
                if (x.eos()) {
                    ctx.writeAndFlush(
                            new DefaultLastHttpContent(Unpooled.wrappedBuffer(x.bytes())));
                    finish(false);
                } else if (x.bytes().length > 0) {
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(x.bytes())));
                    if (!ctx.channel().isWritable() && upstream != null) {
                        upstream.pauseReading(true);
                    }
                }
            } else if (ev instanceof Trailers t) {
                LastHttpContent last = new DefaultLastHttpContent();
                for (Header hd : t.map().entries()) {
                    last.trailingHeaders().add(hd.nameString(), hd.valueString());
                }
                ctx.writeAndFlush(last);
                finish(false);
            }
        } catch (RuntimeException e) {
            // e.g. a header value a filter set that HTTP/1.1 cannot carry
            LOG.warn("cannot forward {}: {}", request ? "request" : "response", e.toString());
            if (responseStarted) {
                reset("invalid response: " + e.getMessage());
            } else {
                reply(request ? 502 : 500, "cannot forward: " + e.getMessage(), "proxy");
            }
        }
    }

    private boolean closeAfter() {
        return !keepAlive || !requestComplete;
    }

    private void count(int status) {
        px.stats().inc("route." + route.name() + ".responses." + (status / 100) + "xx");
        px.stats().inc("server.responses." + status);
    }

    // ---- endings ----

    private void localResponse(Stage s, LocalResponse r) {
        if (done) {
            return;
        }
        if (responseStarted) {
            reset("local response from " + s.slot.name() + " after the response started");
            return;
        }
        HeaderMap map = new HeaderMap();
        map.add(":status", Integer.toString(r.statusCode()));
        r.headers().forEach(h -> map.add(h.name(), h.value()));
        if (r.body().length > 0 && map.get("content-type").isEmpty()) {
            map.add("content-type", "text/plain");
        }
        map.replace("content-length", Integer.toString(r.body().length));
        writeFull(map, r.body());
    }

    private void closedByFilter(Stage s) {
        if (!done) {
            px.stats().inc("filter." + s.slot.name() + ".close_stream");
            reset("filter " + s.slot.name() + " closed the stream");
        }
    }

    /** A host-generated answer, or a reset if the response has started. */
    private void reply(int status, String detail, String source) {
        if (done) {
            return;
        }
        if (responseStarted) {
            reset(detail);
            return;
        }
        byte[] body = (detail + "\n").getBytes(StandardCharsets.UTF_8);
        HeaderMap map = new HeaderMap();
        map.add(":status", Integer.toString(status));
        map.add("content-type", "text/plain");
        map.add("content-length", Integer.toString(body.length));
        map.add("x-pwtck-error-source", source);
        writeFull(map, body);
    }

    private void writeFull(HeaderMap map, byte[] body) {
        HttpResponse res = Http1.response(map, body.length == 0, closeAfter());
        responseStarted = true;
        count(res.status().code());
        ctx.write(res);
        ctx.writeAndFlush(new DefaultLastHttpContent(Unpooled.wrappedBuffer(body)));
        finish(false);
    }

    private void reset(String why) {
        if (done) {
            return;
        }
        LOG.debug("resetting the client connection: {}", why);
        px.stats().inc("server.resets");
        finish(true);
        ctx.close();
    }

    /** Ends the exchange: streams torn down, upstream released, the connection moves on. */
    private void finish(boolean closeClient) {
        if (done) {
            return;
        }
        done = true;
        if (upstream != null) {
            upstream.finish();
        }
        for (Stage s : stages) {
            cancelTimer(s.request);
            cancelTimer(s.response);
            s.loopVm.unwatch(s);
            if (s.stream != null && !s.dead) {
                try {
                    s.stream.complete();
                } catch (FilterFailedException e) {
                    LOG.warn("{}: failed in teardown: {}", s.slot.name(), e.getMessage());
                }
            }
        }
        generation.release();
        owner.exchangeDone(this, closeClient || closeAfter());
    }
}
