package org.pwtck.host.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.pwtck.host.config.ConfigLoader;
import org.pwtck.host.server.ProxyServer;

/**
 * Constant-rate, open-loop load on loopback (not a test): direct to a Netty upstream, through the
 * reference host with no filter, and with the Rust headers filter (interpreter and compiler).
 * Latency is measured from each request's intended send time (no coordinated omission) into an
 * HdrHistogram.
 *
 * <pre>
 * mvn -pl reference-host -Ddev test-compile exec:exec -Dexec.executable=java \
 *   -Dexec.classpathScope=test \
 *   -Dexec.args="-cp %classpath org.pwtck.host.bench.ProxyLoadBenchmark 1000 10 32"
 * </pre>
 *
 * Arguments: rate (requests/s), seconds per arm, connections.
 */
public final class ProxyLoadBenchmark {
    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        Path headers =
                Path.of("../filters-rust/src/main/resources/pwtck/filters/rust/headers.wasm")
                        .toAbsolutePath()
                        .normalize();
        EventLoopGroup upstreamGroup =
                new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel upstream = upstream(upstreamGroup);
        int upstreamPort = ((InetSocketAddress) upstream.localAddress()).getPort();
        Path dir = Files.createTempDirectory("pwtck-bench");
        Path config = dir.resolve("host.yaml");
        Files.writeString(
                config,
                """
                listeners: [{name: main, port: 0}]
                workers: 2
                clusters: {up: {endpoints: ["127.0.0.1:%d"]}}
                filters:
                  headers: {path: %s, config: {request: {add: {x-a: "1"}}, response: {add: {x-b: "2"}}}}
                  headersc: {path: %s, engine: compiler, config: {request: {add: {x-a: "1"}}, response: {add: {x-b: "2"}}}}
                routes:
                  - {name: headers, prefix: /headers, cluster: up, filters: [headers]}
                  - {name: compiler, prefix: /compiler, cluster: up, filters: [headersc]}
                  - {name: none, prefix: /, cluster: up}
                """
                        .formatted(upstreamPort, headers, headers));
        try (ProxyServer proxy = ProxyServer.start(ConfigLoader.load(config))) {
            int port = proxy.port("main");
            System.out.printf(
                    "rate %d/s, %d s per arm (after %d s warm-up), %d connections, %d CPUs%n",
                    rate,
                    seconds,
                    Math.max(3, seconds / 2),
                    connections,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(
                    "%-28s %10s %10s %10s %10s %12s%n",
                    "arm", "p50 µs", "p90 µs", "p99 µs", "max µs", "achieved/s");
            arm("direct", clientGroup, upstreamPort, "/x", rate, seconds, connections);
            arm("proxy, no filter", clientGroup, port, "/x", rate, seconds, connections);
            arm(
                    "proxy, headers (interp.)",
                    clientGroup,
                    port,
                    "/headers",
                    rate,
                    seconds,
                    connections);
            arm(
                    "proxy, headers (compiler)",
                    clientGroup,
                    port,
                    "/compiler",
                    rate,
                    seconds,
                    connections);
        } finally {
            upstream.close();
            upstreamGroup.shutdownGracefully();
            clientGroup.shutdownGracefully();
        }
    }

    private static void arm(
            String name,
            EventLoopGroup group,
            int port,
            String path,
            int rate,
            int seconds,
            int connections)
            throws Exception {
        new Load(group, port, path, connections).run(rate, Math.max(3, seconds / 2)); // warm-up
        Load load = new Load(group, port, path, connections);
        Histogram h = load.run(rate, seconds);
        System.out.printf(
                "%-28s %10d %10d %10d %10d %12.0f%s%n",
                name,
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(90),
                h.getValueAtPercentile(99),
                h.getMaxValue(),
                load.completed / (double) seconds,
                load.errors > 0 ? "  (" + load.errors + " errors)" : "");
    }

    /** A fixed "ok" answer. */
    private static Channel upstream(EventLoopGroup group) throws InterruptedException {
        return new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(
                        new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline()
                                        .addLast(new HttpServerCodec())
                                        .addLast(new HttpObjectAggregator(1 << 20))
                                        .addLast(
                                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                                    @Override
                                                    protected void channelRead0(
                                                            ChannelHandlerContext ctx,
                                                            FullHttpRequest req) {
                                                        FullHttpResponse res =
                                                                new DefaultFullHttpResponse(
                                                                        HttpVersion.HTTP_1_1,
                                                                        HttpResponseStatus.OK,
                                                                        Unpooled.copiedBuffer(
                                                                                "ok\n",
                                                                                StandardCharsets
                                                                                        .US_ASCII));
                                                        res.headers()
                                                                .set(
                                                                        HttpHeaderNames
                                                                                .CONTENT_LENGTH,
                                                                        3)
                                                                .set(
                                                                        HttpHeaderNames
                                                                                .CONTENT_TYPE,
                                                                        "text/plain");
                                                        ctx.writeAndFlush(res);
                                                    }
                                                });
                            }
                        })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
    }

    /** Open-loop load over keep-alive connections, all on one client event loop. */
    private static final class Load {
        final EventLoopGroup group;
        final int port;
        final String path;
        final int connections;
        final Histogram histogram = new Histogram(60_000_000L, 3);
        final ArrayDeque<Conn> free = new ArrayDeque<>();
        final ArrayDeque<Long> backlog = new ArrayDeque<>();
        long completed;
        long errors;
        long outstanding;

        Load(EventLoopGroup group, int port, String path, int connections) {
            this.group = group;
            this.port = port;
            this.path = path;
            this.connections = connections;
        }

        final class Conn extends SimpleChannelInboundHandler<FullHttpResponse> {
            Channel ch;
            long intended;

            void send(long intendedNanos) {
                intended = intendedNanos;
                outstanding++;
                ch.writeAndFlush(
                        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path)
                                .retain()
                                .replace(Unpooled.EMPTY_BUFFER));
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
                long now = System.nanoTime();
                outstanding--;
                if (res.status().code() == 200) {
                    histogram.recordValue(Math.max(1, (now - intended) / 1000));
                    completed++;
                } else {
                    errors++;
                }
                Long next = backlog.poll();
                if (next != null) {
                    send(next);
                } else {
                    free.add(this);
                }
            }
        }

        Histogram run(int rate, int seconds) throws Exception {
            List<Channel> channels = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Conn conn = new Conn();
                Channel ch =
                        new Bootstrap()
                                .group(group)
                                .channel(NioSocketChannel.class)
                                .option(ChannelOption.TCP_NODELAY, true)
                                .handler(
                                        new ChannelInitializer<SocketChannel>() {
                                            @Override
                                            protected void initChannel(SocketChannel c) {
                                                c.pipeline()
                                                        .addLast(new HttpClientCodec())
                                                        .addLast(new HttpObjectAggregator(1 << 20))
                                                        .addLast(conn);
                                            }
                                        })
                                .connect("127.0.0.1", port)
                                .sync()
                                .channel();
                conn.ch = ch;
                channels.add(ch);
                group.next().submit(() -> free.add(conn)).sync();
            }
            long interval = 1_000_000_000L / rate;
            long total = (long) rate * seconds;
            long[] issued = {0};
            CountDownLatch done = new CountDownLatch(1);
            long start = System.nanoTime() + 10_000_000L;
            var task =
                    group.next()
                            .scheduleAtFixedRate(
                                    () -> {
                                        long now = System.nanoTime();
                                        while (issued[0] < total
                                                && start + issued[0] * interval <= now) {
                                            long intended = start + issued[0] * interval;
                                            issued[0]++;
                                            Conn c = free.poll();
                                            if (c != null) {
                                                c.send(intended);
                                            } else {
                                                backlog.add(intended);
                                            }
                                        }
                                        if (issued[0] >= total
                                                && outstanding == 0
                                                && backlog.isEmpty()) {
                                            done.countDown();
                                        }
                                    },
                                    0,
                                    200,
                                    TimeUnit.MICROSECONDS);
            done.await(seconds + 30L, TimeUnit.SECONDS);
            task.cancel(false);
            channels.forEach(Channel::close);
            return histogram;
        }
    }
}
