package org.pwtck.host.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The admin endpoint, on its own port and thread: {@code GET /ready}, {@code /stats}, {@code
 * /filters}, {@code /config}, {@code /listeners}, and {@code POST /reload}. Answers are JSON (but
 * {@code /ready}).
 */
final class AdminServer {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ProxyServer server;
    private Channel channel;

    AdminServer(ProxyServer server) {
        this.server = server;
    }

    int bind(EventLoopGroup group, String address, int port) throws InterruptedException {
        ServerBootstrap b =
                new ServerBootstrap()
                        .group(group)
                        .channel(NioServerSocketChannel.class)
                        .childHandler(
                                new ChannelInitializer<SocketChannel>() {
                                    @Override
                                    protected void initChannel(SocketChannel ch) {
                                        ch.pipeline()
                                                .addLast(new HttpServerCodec())
                                                .addLast(new HttpObjectAggregator(1 << 20))
                                                .addLast(new Handler());
                                    }
                                });
        channel = b.bind(address, port).sync().channel();
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String path = req.uri().replaceFirst("\\?.*$", "");
            boolean get = req.method().equals(HttpMethod.GET);
            FullHttpResponse res;
            try {
                if (path.equals("/reload")) {
                    res =
                            req.method().equals(HttpMethod.POST)
                                    ? reload()
                                    : text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST\n");
                } else if (!get) {
                    res = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n");
                } else {
                    res =
                            switch (path) {
                                case "/ready" ->
                                        server.isReady()
                                                ? text(HttpResponseStatus.OK, "ready\n")
                                                : text(
                                                        HttpResponseStatus.SERVICE_UNAVAILABLE,
                                                        "not ready\n");
                                case "/stats" -> json(HttpResponseStatus.OK, server.statsTree());
                                case "/filters" ->
                                        json(HttpResponseStatus.OK, server.filtersTree());
                                case "/config" -> json(HttpResponseStatus.OK, server.configTree());
                                case "/listeners" -> json(HttpResponseStatus.OK, server.ports());
                                case "/" ->
                                        text(
                                                HttpResponseStatus.OK,
                                                "GET /ready /stats /filters /config /listeners;"
                                                        + " POST /reload\n");
                                default -> text(HttpResponseStatus.NOT_FOUND, "no such endpoint\n");
                            };
                }
            } catch (RuntimeException e) {
                res = text(HttpResponseStatus.INTERNAL_SERVER_ERROR, e + "\n");
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            HttpUtil.setKeepAlive(res, keepAlive);
            var f = ctx.writeAndFlush(res);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        private FullHttpResponse reload() {
            ProxyServer.ReloadResult r = server.reload();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("reloaded", r.ok());
            body.put("generation", r.generation());
            if (!r.ok()) {
                body.put("problems", r.problems());
            }
            return json(r.ok() ? HttpResponseStatus.OK : HttpResponseStatus.BAD_REQUEST, body);
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String text) {
        return response(status, text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    private static FullHttpResponse json(HttpResponseStatus status, Object tree) {
        try {
            return response(status, JSON.writeValueAsBytes(tree), "application/json");
        } catch (JsonProcessingException e) {
            return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getMessage());
        }
    }

    private static FullHttpResponse response(HttpResponseStatus status, byte[] body, String type) {
        FullHttpResponse res =
                new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, type)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return res;
    }
}
