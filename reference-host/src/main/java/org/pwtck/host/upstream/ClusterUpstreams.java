package org.pwtck.host.upstream;

import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FutureListener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.pwtck.host.abi.Header;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.context.Upstreams;

/**
 * {@code proxy_http_call} and {@code proxy_grpc_*} to the configured clusters, and nowhere else: a
 * cluster name is the only way to name a destination.
 *
 * <p>HTTP calls use a Netty client on the calling VM's event loop (one connection per call, closed
 * after the response). Outcomes: a response (any status) → its headers, body and trailers; the
 * connection could not be made (refused, unresolvable, connect timeout) → {@code CONNECT_FAILURE};
 * the connection closed or failed before a whole response → {@code RESET}; no whole response within
 * the call's timeout → {@code TIMEOUT} (timeout 0 = none). The VM turns each failure into {@code
 * on_http_call_response(0, 0, 0)} with {@code proxy_get_status} = BROKEN_CONNECTION and "connect
 * failure", "reset" or "timeout".
 *
 * <p>gRPC calls and streams use grpc-java over HTTP/2, one channel per cluster.
 */
public final class ClusterUpstreams implements Upstreams, AutoCloseable {
    private static final int MAX_CALL_RESPONSE_BYTES = 16 << 20;
    private static final Set<String> HOP_BY_HOP =
            Set.of("connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection");

    private final EventLoopGroup group;
    private final TlsContexts tls;
    private final AtomicReference<Map<String, HostConfig.Cluster>> clusters =
            new AtomicReference<>(Map.of());
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();
    private final Map<HostConfig.Cluster, ManagedChannel> grpcChannels = new ConcurrentHashMap<>();

    public ClusterUpstreams(EventLoopGroup group, TlsContexts tls) {
        this.group = group;
        this.tls = tls;
    }

    /** The clusters calls may reach from now on (a reload swaps them). */
    public void clusters(Map<String, HostConfig.Cluster> next) {
        clusters.set(Map.copyOf(next));
        for (HostConfig.Cluster old : List.copyOf(grpcChannels.keySet())) {
            if (!old.equals(next.get(old.name()))) {
                ManagedChannel ch = grpcChannels.remove(old);
                if (ch != null) {
                    ch.shutdown();
                }
            }
        }
    }

    @Override
    public boolean hasCluster(String cluster) {
        return clusters.get().containsKey(cluster);
    }

    private HostConfig.Cluster cluster(String name) {
        HostConfig.Cluster c = clusters.get().get(name);
        if (c == null) {
            throw new IllegalArgumentException("no cluster " + name);
        }
        return c;
    }

    private HostConfig.Endpoint pick(HostConfig.Cluster c) {
        int i = roundRobin.computeIfAbsent(c.name(), k -> new AtomicInteger()).getAndIncrement();
        return c.endpoints().get(Math.floorMod(i, c.endpoints().size()));
    }

    /** The event loop of the calling VM (calls are made on it), or any loop. */
    private EventLoop currentLoop() {
        for (EventExecutor e : group) {
            if (e.inEventLoop()) {
                return (EventLoop) e;
            }
        }
        return group.next();
    }

    // ---- HTTP calls ----

    @Override
    public Cancellable httpCall(
            String clusterName,
            HttpCallRequest request,
            Duration timeout,
            Consumer<HttpCallResult> onResult) {
        HostConfig.Cluster c = cluster(clusterName);
        HostConfig.Endpoint ep = pick(c);
        EventLoop loop = currentLoop();
        AtomicBoolean over = new AtomicBoolean();
        AtomicReference<Channel> channel = new AtomicReference<>();
        Consumer<HttpCallResult> once =
                r -> {
                    if (over.compareAndSet(false, true)) {
                        Channel ch = channel.get();
                        if (ch != null) {
                            ch.close();
                        }
                        onResult.accept(r);
                    }
                };
        Bootstrap b =
                new Bootstrap()
                        .group(loop)
                        .channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .option(
                                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                                (int) Math.min(Integer.MAX_VALUE, c.connectTimeout().toMillis()))
                        .handler(
                                new ChannelInitializer<SocketChannel>() {
                                    @Override
                                    protected void initChannel(SocketChannel ch) {
                                        c.tls()
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
                                                .addLast(
                                                        new HttpObjectAggregator(
                                                                MAX_CALL_RESPONSE_BYTES))
                                                .addLast(new CallResponseHandler(once));
                                    }
                                });
        ChannelFuture connect = b.connect(ep.host(), ep.port());
        // known from the start, so a timeout or a cancel closes a connection still being made
        channel.set(connect.channel());
        TlsContexts.ready(connect)
                .addListener(
                        (FutureListener<Channel>)
                                f -> {
                                    if (!f.isSuccess()) {
                                        once.accept(
                                                HttpCallResult.failed(FailureKind.CONNECT_FAILURE));
                                        return;
                                    }
                                    if (over.get()) {
                                        f.getNow().close();
                                        return;
                                    }
                                    write(f.getNow(), request);
                                });
        if (!timeout.isZero()) {
            loop.schedule(
                    () -> once.accept(HttpCallResult.failed(FailureKind.TIMEOUT)),
                    timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return () -> {
            if (over.compareAndSet(false, true)) {
                Channel ch = channel.get();
                if (ch != null) {
                    ch.close();
                }
            }
        };
    }

    private static void write(Channel ch, HttpCallRequest request) {
        String method = "GET";
        String path = "/";
        String authority = null;
        HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        List<Header> rest = new ArrayList<>();
        for (Header h : request.headers()) {
            switch (h.nameString()) {
                case ":method" -> method = h.valueString();
                case ":path" -> path = h.valueString();
                case ":authority" -> authority = h.valueString();
                default -> {
                    if (!h.nameString().startsWith(":")
                            && !HOP_BY_HOP.contains(h.nameString())
                            && !h.nameString().equals("host")
                            && !h.nameString().equals("content-length")) {
                        rest.add(h);
                    }
                }
            }
        }
        req.setMethod(HttpMethod.valueOf(method));
        req.setUri(path);
        req.headers().set(HttpHeaderNames.HOST, authority);
        rest.forEach(h -> req.headers().add(h.nameString(), h.valueString()));
        boolean trailers = !request.trailers().isEmpty();
        if (trailers) {
            req.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else if (request.body().length > 0) {
            req.headers().set(HttpHeaderNames.CONTENT_LENGTH, request.body().length);
        }
        ch.write(req);
        if (trailers) {
            if (request.body().length > 0) {
                ch.write(new DefaultHttpContent(Unpooled.wrappedBuffer(request.body())));
            }
            LastHttpContent last = new DefaultLastHttpContent();
            request.trailers()
                    .forEach(t -> last.trailingHeaders().add(t.nameString(), t.valueString()));
            ch.writeAndFlush(last);
        } else {
            ch.writeAndFlush(new DefaultLastHttpContent(Unpooled.wrappedBuffer(request.body())));
        }
    }

    /** Turns the aggregated response, or the connection's end, into the call's one result. */
    private static final class CallResponseHandler
            extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Consumer<HttpCallResult> result;

        CallResponseHandler(Consumer<HttpCallResult> result) {
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
            if (res.decoderResult().isFailure()) {
                result.accept(HttpCallResult.failed(FailureKind.RESET));
                return;
            }
            List<Header> headers = new ArrayList<>();
            headers.add(header(":status", Integer.toString(res.status().code())));
            res.headers()
                    .forEach(
                            e -> {
                                String n = e.getKey().toLowerCase(Locale.ROOT);
                                if (!HOP_BY_HOP.contains(n)) {
                                    headers.add(header(n, e.getValue()));
                                }
                            });
            byte[] body = new byte[res.content().readableBytes()];
            res.content().readBytes(body);
            List<Header> trailers = new ArrayList<>();
            res.trailingHeaders()
                    .forEach(
                            e ->
                                    trailers.add(
                                            header(
                                                    e.getKey().toLowerCase(Locale.ROOT),
                                                    e.getValue())));
            result.accept(HttpCallResult.response(headers, body, trailers));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.accept(HttpCallResult.failed(FailureKind.RESET));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.accept(HttpCallResult.failed(FailureKind.RESET));
            ctx.close();
        }
    }

    private static Header header(String name, String value) {
        return new Header(
                name.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    // ---- gRPC ----

    private static final MethodDescriptor.Marshaller<byte[]> BYTES =
            new MethodDescriptor.Marshaller<>() {
                @Override
                public InputStream stream(byte[] value) {
                    return new ByteArrayInputStream(value);
                }

                @Override
                public byte[] parse(InputStream stream) {
                    try {
                        return stream.readAllBytes();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };

    private ManagedChannel grpcChannel(HostConfig.Cluster c) {
        return grpcChannels.computeIfAbsent(
                c,
                k -> {
                    HostConfig.Endpoint ep = pick(c);
                    ChannelCredentials creds;
                    if (c.tls().isPresent()) {
                        TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
                        List<X509Certificate> cas = c.tls().get().caCertificates();
                        if (!cas.isEmpty()) {
                            b.trustManager(TlsContexts.trustManagers(cas));
                        }
                        creds = b.build();
                    } else {
                        creds = InsecureChannelCredentials.create();
                    }
                    ManagedChannelBuilder<?> b =
                            Grpc.newChannelBuilderForAddress(ep.host(), ep.port(), creds);
                    if (c.tls().isPresent() && c.tls().get().sni() != null) {
                        b.overrideAuthority(c.tls().get().sni());
                    }
                    return b.build();
                });
    }

    /**
     * A gRPC method whose messages are raw bytes: the ABI hands messages over as bytes, so no
     * protobuf schema is involved (public for servers that must speak the same way, e.g. the
     * TCK's).
     */
    public static MethodDescriptor<byte[], byte[]> rawMethod(
            String service, String method, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
    }

    @Override
    public Cancellable grpcCall(
            String clusterName,
            String service,
            String method,
            List<Header> initialMetadata,
            byte[] message,
            Duration timeout,
            GrpcListener listener) {
        HostConfig.Cluster c = cluster(clusterName);
        CallOptions options = CallOptions.DEFAULT;
        if (!timeout.isZero()) {
            options = options.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        ClientCall<byte[], byte[]> call =
                grpcChannel(c)
                        .newCall(
                                rawMethod(service, method, MethodDescriptor.MethodType.UNARY),
                                options);
        call.start(new Relay(listener, call, false), metadata(initialMetadata));
        call.sendMessage(message);
        call.halfClose();
        call.request(2);
        return () -> call.cancel("cancelled by the filter", null);
    }

    @Override
    public GrpcStream grpcStream(
            String clusterName,
            String service,
            String method,
            List<Header> initialMetadata,
            GrpcListener listener) {
        HostConfig.Cluster c = cluster(clusterName);
        ClientCall<byte[], byte[]> call =
                grpcChannel(c)
                        .newCall(
                                rawMethod(
                                        service,
                                        method,
                                        MethodDescriptor.MethodType.BIDI_STREAMING),
                                CallOptions.DEFAULT);
        call.start(new Relay(listener, call, true), metadata(initialMetadata));
        call.request(1);
        AtomicBoolean halfClosed = new AtomicBoolean();
        return new GrpcStream() {
            @Override
            public void send(byte[] message, boolean endOfStream) {
                call.sendMessage(message);
                if (endOfStream && halfClosed.compareAndSet(false, true)) {
                    call.halfClose();
                }
            }

            @Override
            public void close() {
                if (halfClosed.compareAndSet(false, true)) {
                    call.halfClose();
                }
            }

            @Override
            public void cancel() {
                call.cancel("cancelled by the filter", null);
            }
        };
    }

    /** grpc-java's events → the ABI's order: initial metadata, messages, trailers, close. */
    private static final class Relay extends ClientCall.Listener<byte[]> {
        private final GrpcListener listener;
        private final ClientCall<byte[], byte[]> call;
        private final boolean stream;

        Relay(GrpcListener listener, ClientCall<byte[], byte[]> call, boolean stream) {
            this.listener = listener;
            this.call = call;
            this.stream = stream;
        }

        @Override
        public void onHeaders(Metadata headers) {
            listener.onInitialMetadata(headers(headers));
        }

        @Override
        public void onMessage(byte[] message) {
            listener.onMessage(message);
            if (stream) {
                call.request(1);
            }
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            listener.onTrailingMetadata(headers(trailers));
            listener.onClose(
                    status.getCode().value(),
                    status.getDescription() == null ? "" : status.getDescription());
        }
    }

    private static Metadata metadata(List<Header> headers) {
        Metadata md = new Metadata();
        for (Header h : headers) {
            String name = h.nameString().toLowerCase(Locale.ROOT);
            if (name.startsWith(":")) {
                continue;
            }
            if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                md.put(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER), h.value());
            } else {
                md.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), h.valueString());
            }
        }
        return md;
    }

    private static List<Header> headers(Metadata md) {
        List<Header> out = new ArrayList<>();
        for (String key : md.keys()) {
            if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                Iterable<byte[]> values =
                        md.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER));
                if (values != null) {
                    values.forEach(
                            v -> out.add(new Header(key.getBytes(StandardCharsets.UTF_8), v)));
                }
            } else {
                Iterable<String> values =
                        md.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
                if (values != null) {
                    values.forEach(v -> out.add(header(key, v)));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        grpcChannels.values().forEach(ManagedChannel::shutdownNow);
        grpcChannels.clear();
    }
}
