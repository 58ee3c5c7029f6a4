package org.pwtck.host.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 client with prior knowledge, made of Netty's HTTP/2 codec (it validates what it
 * receives, so a connection-specific header in a response fails the stream): one connection, any
 * number of streams, each frame written as the test says.
 */
final class H2Client implements AutoCloseable {
    /** A stream's outcome: response headers, body, trailers; or the RST_STREAM error code. */
    record Response(Http2Headers headers, String body, Http2Headers trailers, long resetCode) {
        int status() {
            return Integer.parseInt(headers.status().toString());
        }

        boolean reset() {
            return resetCode >= 0;
        }
    }

    private final EventLoopGroup group =
            new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final String authority;

    H2Client(int port) throws InterruptedException {
        this.authority = "127.0.0.1:" + port;
        this.channel =
                new Bootstrap()
                        .group(group)
                        .channel(NioSocketChannel.class)
                        .handler(
                                new ChannelInitializer<Channel>() {
                                    @Override
                                    protected void initChannel(Channel ch) {
                                        ch.pipeline()
                                                .addLast(
                                                        Http2FrameCodecBuilder.forClient().build(),
                                                        new Http2MultiplexHandler(
                                                                new ChannelInitializer<Channel>() {
                                                                    @Override
                                                                    protected void initChannel(
                                                                            Channel c) {}
                                                                }));
                                    }
                                })
                        .connect("127.0.0.1", port)
                        .sync()
                        .channel();
    }

    /** Request headers for a path on this connection's authority. */
    Http2Headers headers(String method, String path) {
        return new DefaultHttp2Headers()
                .method(method)
                .path(path)
                .scheme("http")
                .authority(authority);
    }

    /** Opens a stream; write its frames with the returned stream's methods. */
    Stream open() throws Exception {
        Stream s = new Stream();
        s.channel =
                new Http2StreamChannelBootstrap(channel)
                        .handler(s.collector)
                        .open()
                        .get(5, TimeUnit.SECONDS);
        return s;
    }

    /** One whole request: headers, then the body (if any) in one DATA frame. */
    Response exchange(Http2Headers headers, String body) throws Exception {
        Stream s = open();
        if (body == null) {
            s.headers(headers, true);
        } else {
            s.headers(headers, false);
            s.data(body, true);
        }
        return s.response();
    }

    boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One stream: frames out, the response in. */
    static final class Stream {
        private Http2StreamChannel channel;
        private final CompletableFuture<Response> result = new CompletableFuture<>();
        private final Collector collector = new Collector();

        void headers(Http2Headers headers, boolean endStream) {
            channel.writeAndFlush(new DefaultHttp2HeadersFrame(headers, endStream));
        }

        void data(String text, boolean endStream) {
            channel.writeAndFlush(
                    new DefaultHttp2DataFrame(
                            Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), endStream));
        }

        void trailers(Http2Headers trailers) {
            channel.writeAndFlush(new DefaultHttp2HeadersFrame(trailers, true));
        }

        Response response() throws Exception {
            return result.get(10, TimeUnit.SECONDS);
        }

        private final class Collector extends ChannelInboundHandlerAdapter {
            private Http2Headers headers;
            private Http2Headers trailers;
            private final ByteArrayOutputStream body = new ByteArrayOutputStream();

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    boolean end = false;
                    if (msg instanceof Http2HeadersFrame h) {
                        if (headers == null) {
                            headers = h.headers();
                        } else {
                            trailers = h.headers();
                        }
                        end = h.isEndStream();
                    } else if (msg instanceof Http2DataFrame d) {
                        ByteBuf b = d.content();
                        byte[] bytes = new byte[b.readableBytes()];
                        b.readBytes(bytes);
                        body.writeBytes(bytes);
                        end = d.isEndStream();
                    }
                    if (end) {
                        result.complete(
                                new Response(
                                        headers,
                                        body.toString(StandardCharsets.UTF_8),
                                        trailers,
                                        -1));
                    }
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof Http2ResetFrame r) {
                    result.complete(
                            new Response(
                                    headers,
                                    body.toString(StandardCharsets.UTF_8),
                                    trailers,
                                    r.errorCode()));
                }
                ReferenceCountUtil.release(evt);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                result.completeExceptionally(
                        new IllegalStateException("stream closed without a whole response"));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                result.completeExceptionally(cause);
                ctx.close();
            }
        }
    }
}
