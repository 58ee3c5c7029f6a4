package org.pwtck.host.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.context.HeaderMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/2 in cleartext on an HTTP/1.1 listener, all Netty's codec: a connection that opens with the
 * HTTP/2 preface (prior knowledge) or asks {@code Upgrade: h2c} becomes an HTTP/2 connection, and
 * each of its streams gets the pipeline a whole HTTP/1.1 connection has — the stream's frames as
 * {@code HttpRequest}/{@code HttpContent}/{@code LastHttpContent} ({@link
 * Http2StreamFrameToHttpObjectCodec}) → {@code 100-continue} → a {@link FilterChainHandler} — so
 * filters, limits, fail policies and stats are the same code for both protocols. Closing a stream's
 * channel resets that stream only; a connection error (bad preface, protocol error) sends GOAWAY
 * and closes that connection only.
 */
final class H2c {
    private static final Logger LOG = LoggerFactory.getLogger(H2c.class);

    /** Envoy's default is unlimited; a bound keeps one connection from opening streams forever. */
    static final int MAX_CONCURRENT_STREAMS = 100;

    private final ProxyContext px;
    private final String listener;
    private final long connectionId;
    private final HostConfig.Limits limits;

    H2c(ProxyContext px, String listener, long connectionId, HostConfig.Limits limits) {
        this.px = px;
        this.listener = listener;
        this.connectionId = connectionId;
        this.limits = limits;
    }

    /**
     * The first handler of a connection: looks at the first bytes and either installs HTTP/2 (the
     * preface) or the given HTTP/1.1 codec followed by the h2c upgrade handler.
     */
    ChannelHandler detector(HttpServerCodec http1) {
        HttpServerUpgradeHandler upgrade =
                new HttpServerUpgradeHandler(
                        http1,
                        protocol ->
                                AsciiString.contentEquals(
                                                Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                                        ? new Http2ServerUpgradeCodec(frameCodec(), multiplex())
                                        : null,
                        limits.bufferLimitBytes()) {
                    // Only h2c is taken over (the request is held until it is whole); any other
                    // Upgrade streams through the filters as before, its header dropped as
                    // hop-by-hop.
                    @Override
                    protected boolean shouldHandleUpgradeRequest(HttpRequest req) {
                        return req.headers().containsValue(HttpHeaderNames.UPGRADE, "h2c", true);
                    }
                };
        // Put where the detector was (not at the pipeline's end, as a ChannelInitializer would).
        ChannelHandler priorKnowledge =
                new ChannelHandlerAdapter() {
                    @Override
                    public void handlerAdded(ChannelHandlerContext ctx) {
                        ctx.pipeline()
                                .addAfter(ctx.name(), "h2-frames", frameCodec())
                                .addAfter("h2-frames", "h2-streams", multiplex())
                                .remove(this);
                    }
                };
        return new CleartextHttp2ServerUpgradeHandler(http1, upgrade, priorKnowledge);
    }

    private Http2FrameCodec frameCodec() {
        // A request's pseudo-headers carry what its HTTP/1.1 request line does: both limits count.
        long headerList = (long) limits.maxHeaderBytes() + limits.maxInitialLineBytes();
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(
                        Http2Settings.defaultSettings()
                                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                                .maxHeaderListSize(headerList))
                .build();
    }

    private Http2MultiplexHandler multiplex() {
        return new Http2MultiplexHandler(
                new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel ch) {
                        px.stats().inc("server.h2.streams");
                        ch.pipeline()
                                .addLast("codec", new Http2StreamFrameToHttpObjectCodec(true))
                                .addLast("expect-continue", new HttpServerExpectContinueHandler())
                                .addLast(
                                        "filter-chain",
                                        new FilterChainHandler(px, listener, connectionId, true));
                    }
                });
    }

    /**
     * The header map filters see for an HTTP/2 request: the same view as for HTTP/1.1 ({@link
     * Http1#requestMap}), {@code :authority} from the stream's {@code :authority} (Netty's
     * conversion puts it in {@code host}) and {@code :scheme} as the client sent it; the codec's
     * {@code x-http2-*} bookkeeping headers are not shown.
     */
    static HeaderMap requestMap(HttpRequest req) {
        HttpHeaders headers = req.headers();
        String scheme = headers.get(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(), "http");
        for (HttpConversionUtil.ExtensionHeaderNames n :
                HttpConversionUtil.ExtensionHeaderNames.values()) {
            headers.remove(n.text());
        }
        return Http1.requestMap(req, scheme);
    }

    /**
     * Sits after the detector in a connection's pipeline. When the connection turns HTTP/2 it takes
     * the HTTP/1.1 handlers behind it out (streams have their own) and from then on ends the
     * connection's pipeline: connection-level frames the multiplexer passes on are dropped, I/O
     * errors that are not HTTP/2 protocol errors close the connection.
     */
    static final class Switch extends ChannelInboundHandlerAdapter {
        private final ProxyContext px;
        private final String[] http1Handlers;
        private boolean http2;

        Switch(ProxyContext px, String... http1Handlers) {
            this.px = px;
            this.http1Handlers = http1Handlers;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            boolean prior =
                    evt instanceof CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent;
            boolean upgraded = evt instanceof HttpServerUpgradeHandler.UpgradeEvent;
            if (!http2 && (prior || upgraded)) {
                http2 = true;
                px.stats().inc(prior ? "server.h2c.prior_knowledge" : "server.h2c.upgrades");
                ChannelPipeline p = ctx.pipeline();
                for (String name : http1Handlers) {
                    if (p.get(name) != null) {
                        p.remove(name);
                    }
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (http2) {
                ReferenceCountUtil.release(msg); // SETTINGS, PING, GOAWAY: the codec handled them
            } else {
                ctx.fireChannelRead(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (http2) {
                LOG.debug("HTTP/2 connection error: {}", cause.toString());
                // An HTTP/2 error is Netty's to answer (GOAWAY with its code, then the close);
                // closing here first would send GOAWAY(NO_ERROR) instead.
                if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) == null) {
                    ctx.close();
                }
            } else {
                ctx.fireExceptionCaught(cause);
            }
        }
    }
}
