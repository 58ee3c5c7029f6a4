package org.pwtck.host.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;

/**
 * The pipeline of a client connection, and nothing else: HTTP/1.1 codec (limits → 414/431) → {@code
 * 100-continue} → the filter chain handler (which owns the upstream forwarder). With h2c the codec
 * sits behind {@link H2c}'s detector, and a connection that turns HTTP/2 gets that pipeline per
 * stream instead.
 */
final class ProxyInitializer extends ChannelInitializer<SocketChannel> {
    private final ProxyContext px;
    private final String listener;
    private final boolean h2c;

    ProxyInitializer(ProxyContext px, String listener, boolean h2c) {
        this.px = px;
        this.listener = listener;
        this.h2c = h2c;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        var limits = px.current().config().limits();
        long connectionId = px.nextConnectionId();
        HttpServerCodec http1 =
                new HttpServerCodec(
                        limits.maxInitialLineBytes(), limits.maxHeaderBytes(), 64 * 1024);
        ChannelPipeline p = ch.pipeline();
        if (h2c) {
            p.addLast("h2c", new H2c(px, listener, connectionId, limits).detector(http1))
                    .addLast("h2c-switch", new H2c.Switch(px, "expect-continue", "filter-chain"));
        } else {
            p.addLast("codec", http1);
        }
        p.addLast("expect-continue", new HttpServerExpectContinueHandler())
                .addLast("filter-chain", new FilterChainHandler(px, listener, connectionId, false));
    }
}
