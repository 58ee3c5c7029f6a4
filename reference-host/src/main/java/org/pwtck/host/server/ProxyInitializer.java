package org.pwtck.host.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;

/**
 * The pipeline of a client connection, and nothing else: HTTP/1.1 codec (limits → 414/431) → {@code
 * 100-continue} → the filter chain handler (which owns the upstream forwarder).
 */
final class ProxyInitializer extends ChannelInitializer<SocketChannel> {
    private final ProxyContext px;
    private final String listener;

    ProxyInitializer(ProxyContext px, String listener) {
        this.px = px;
        this.listener = listener;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        var limits = px.current().config().limits();
        ch.pipeline()
                .addLast(
                        "codec",
                        new HttpServerCodec(
                                limits.maxInitialLineBytes(), limits.maxHeaderBytes(), 64 * 1024))
                .addLast("expect-continue", new HttpServerExpectContinueHandler())
                .addLast("filter-chain", new FilterChainHandler(px, listener));
    }
}
