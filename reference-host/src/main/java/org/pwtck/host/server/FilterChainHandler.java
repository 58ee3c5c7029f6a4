package org.pwtck.host.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Optional;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.StreamInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the HTTP/1.1 events of one client connection — or of one HTTP/2 stream, which {@link H2c}
 * turns into the same events — onto {@link Exchange}s, one request at a time: request headers → the
 * route's chain, each body chunk, the last chunk as end of stream, trailers. Malformed requests are
 * answered here (400, 414, 431), and requests without a route get 404. Pipelined requests wait
 * until the one before is answered.
 */
final class FilterChainHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(FilterChainHandler.class);

    /** Reasons to stop reading from the client. */
    static final int BUSY = 1;

    static final int UPSTREAM_FULL = 2;

    private final ProxyContext px;
    private final String listener;
    private final long connectionId;
    private final boolean http2;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Exchange exchange;
    private int readBlockers;

    /**
     * @param connectionId the client connection's id (shared by the streams of an HTTP/2 one)
     * @param http2 whether this handler serves one HTTP/2 stream (else a whole HTTP/1.1 connection)
     */
    FilterChainHandler(ProxyContext px, String listener, long connectionId, boolean http2) {
        this.px = px;
        this.listener = listener;
        this.connectionId = connectionId;
        this.http2 = http2;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exchange != null && exchange.requestComplete()
                || !backlog.isEmpty() && exchange != null) {
            backlog.add(msg); // pipelined: after the current exchange
            return;
        }
        handle(msg);
    }

    private void handle(Object msg) {
        try {
            if (msg instanceof HttpRequest req) {
                request(req);
            }
            if (msg instanceof HttpContent content) {
                content(content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void request(HttpRequest req) {
        DecoderResult result = req.decoderResult();
        if (result.isFailure()) {
            malformed(result.cause());
            return;
        }
        px.stats().inc("server.requests");
        HeaderMap headers = http2 ? H2c.requestMap(req) : Http1.requestMap(req, "http");
        String path = req.uri();
        Generation gen = px.acquire();
        Optional<HostConfig.Route> route = gen.config().route(path.isEmpty() ? "/" : path);
        boolean keepAlive = http2 || HttpUtil.isKeepAlive(req);
        if (route.isEmpty()) {
            gen.release();
            px.stats().inc("server.no_route");
            plain(
                    HttpResponseStatus.NOT_FOUND,
                    "no route for " + path,
                    keepAlive && Http1.noBody(req));
            return;
        }
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        StreamInfo info =
                new StreamInfo(
                        remote.getAddress().getHostAddress(),
                        remote.getPort(),
                        local.getAddress().getHostAddress(),
                        local.getPort(),
                        http2 ? "HTTP/2" : req.protocolVersion().text(),
                        connectionId,
                        System.currentTimeMillis() * 1_000_000L,
                        route.get().name(),
                        route.get().cluster());
        exchange = new Exchange(this, ctx, px, gen, route.get(), info, keepAlive);
        boolean eos = Http1.noBody(req);
        exchange.start(headers, eos);
    }

    private void content(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            if (exchange != null && !exchange.isDone()) {
                Exchange ex = exchange;
                ex.clientGone();
            }
            malformed(content.decoderResult().cause());
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (exchange == null || exchange.isDone()) {
            if (last && exchange != null) {
                exchange = null;
            }
            return; // the request was already answered (no route, local response, error)
        }
        if (exchange.requestComplete()) {
            return; // the empty end marker after a request without a body
        }
        byte[] bytes = new byte[content.content().readableBytes()];
        content.content().readBytes(bytes);
        if (last && !((LastHttpContent) content).trailingHeaders().isEmpty()) {
            if (bytes.length > 0) {
                exchange.requestData(bytes, false);
            }
            if (!exchange.isDone()) {
                exchange.requestTrailers(
                        Http1.trailerMap(((LastHttpContent) content).trailingHeaders()));
            }
        } else {
            exchange.requestData(bytes, last);
        }
        if (last && exchange != null && !exchange.isDone()) {
            readGate(BUSY, true);
        }
    }

    private void malformed(Throwable cause) {
        HttpResponseStatus status;
        if (cause instanceof TooLongHttpHeaderException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        } else if (cause instanceof TooLongHttpLineException) {
            status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
        } else if (cause instanceof TooLongFrameException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        } else {
            status = HttpResponseStatus.BAD_REQUEST;
        }
        px.stats().inc("server.malformed_requests");
        px.stats().inc("server.responses." + status.code());
        LOG.debug("malformed request: {}", cause.toString());
        if (exchange != null && !exchange.isDone()) {
            ctx.close();
            return;
        }
        FullHttpResponse res =
                new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1,
                        status,
                        Unpooled.copiedBuffer(
                                status.reasonPhrase() + ": " + cause.getMessage() + "\n",
                                StandardCharsets.UTF_8));
        res.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                .set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    private void plain(HttpResponseStatus status, String text, boolean keepAlive) {
        px.stats().inc("server.responses." + status.code());
        FullHttpResponse res =
                new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1,
                        status,
                        Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8));
        res.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                .set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        if (!keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(res);
        }
    }

    /** The exchange answered: go on with the next request, or close. */
    void exchangeDone(Exchange ex, boolean close) {
        if (exchange != ex) {
            return;
        }
        boolean complete = ex.requestComplete();
        if (close) {
            exchange = null;
            backlog.forEach(ReferenceCountUtil::release);
            backlog.clear();
            if (http2) {
                ctx.close(); // the stream only: a reset unless both sides have ended it
            } else {
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        if (complete) {
            exchange = null;
        }
        readGate(BUSY, false);
        while (!backlog.isEmpty() && (exchange == null || !exchange.requestComplete())) {
            handle(backlog.poll());
        }
    }

    /** Stops or resumes reading from the client for one reason; reads while none is set. */
    void readGate(int reason, boolean block) {
        int before = readBlockers;
        readBlockers = block ? readBlockers | reason : readBlockers & ~reason;
        if (before != readBlockers) {
            boolean read = readBlockers == 0;
            ctx.channel().config().setAutoRead(read);
            if (read) {
                ctx.read();
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.clientWritable(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null && !exchange.isDone()) {
            exchange.clientGone();
        }
        exchange = null;
        backlog.forEach(ReferenceCountUtil::release);
        backlog.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("client connection error: {}", cause.toString());
        ctx.close();
    }
}
