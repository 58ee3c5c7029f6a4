package org.pwtck.host.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.upstream.TlsContexts;

/**
 * Keep-alive connections to upstream endpoints, one pool per event loop (used only on it), so a
 * request and its upstream connection share a thread. A connection is given to one {@link
 * UpstreamForwarder} at a time.
 */
final class UpstreamPool {
    static final AttributeKey<UpstreamForwarder> OWNER = AttributeKey.valueOf("pwtck.forwarder");
    private static final int MAX_IDLE_PER_ENDPOINT = 64;

    private final EventLoop loop;
    private final TlsContexts tls;
    private final Map<String, ArrayDeque<Channel>> idle = new HashMap<>();

    UpstreamPool(EventLoop loop, TlsContexts tls) {
        this.loop = loop;
        this.tls = tls;
    }

    private static String key(HostConfig.Cluster c, HostConfig.Endpoint ep) {
        // the TLS settings are part of the key: a reload that changes them gets new connections
        return c.name() + "|" + ep + "|" + c.tls();
    }

    /** An idle connection to the endpoint, or null. */
    Channel takeIdle(HostConfig.Cluster cluster, HostConfig.Endpoint ep) {
        ArrayDeque<Channel> q = idle.get(key(cluster, ep));
        while (q != null && !q.isEmpty()) {
            Channel ch = q.pollLast();
            if (ch.isActive()) {
                return ch;
            }
        }
        return null;
    }

    /**
     * A new connection, ready once connected (and, for a TLS cluster, once the handshake is done).
     */
    Future<Channel> connect(HostConfig.Cluster cluster, HostConfig.Endpoint ep) {
        Bootstrap b =
                new Bootstrap()
                        .group(loop)
                        .channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .option(
                                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                                (int)
                                        Math.min(
                                                Integer.MAX_VALUE,
                                                cluster.connectTimeout().toMillis()))
                        .handler(
                                new ChannelInitializer<SocketChannel>() {
                                    @Override
                                    protected void initChannel(SocketChannel ch) {
                                        cluster.tls()
                                                .ifPresent(
                                                        t ->
                                                                ch.pipeline()
                                                                        .addLast(
                                                                                tls.handler(
                                                                                        t,
                                                                                        ep,
                                                                                        ch
                                                                                                .alloc())));
                                        ch.pipeline()
                                                .addLast(new HttpClientCodec())
                                                .addLast(new Relay());
                                    }
                                });
        return TlsContexts.ready(b.connect(ep.host(), ep.port()));
    }

    /** Gives a finished connection back for reuse. */
    void release(HostConfig.Cluster cluster, HostConfig.Endpoint ep, Channel ch) {
        ch.attr(OWNER).set(null);
        if (!ch.isActive()) {
            return;
        }
        ArrayDeque<Channel> q = idle.computeIfAbsent(key(cluster, ep), k -> new ArrayDeque<>());
        if (q.size() >= MAX_IDLE_PER_ENDPOINT) {
            ch.close();
            return;
        }
        ch.config().setAutoRead(true);
        q.addLast(ch);
    }

    void closeAll() {
        idle.values().forEach(q -> q.forEach(Channel::close));
        idle.clear();
    }

    /** Hands upstream events to the connection's current owner. */
    static final class Relay extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            UpstreamForwarder owner = ctx.channel().attr(OWNER).get();
            if (owner == null) {
                io.netty.util.ReferenceCountUtil.release(msg);
                ctx.close(); // unsolicited data on an idle connection
                return;
            }
            owner.upstreamRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            UpstreamForwarder owner = ctx.channel().attr(OWNER).get();
            if (owner != null) {
                owner.upstreamClosed(null);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            UpstreamForwarder owner = ctx.channel().attr(OWNER).get();
            if (owner != null) {
                owner.upstreamWritability(ctx.channel().isWritable());
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            UpstreamForwarder owner = ctx.channel().attr(OWNER).get();
            ctx.close();
            if (owner != null) {
                owner.upstreamClosed(cause);
            }
        }
    }
}
