package org.pwtck.tck.latency;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * An open-loop HTTP/1.1 load generator: requests are due on a fixed schedule (rate / connections
 * per kept-alive connection) whether or not earlier ones returned, and each latency is measured
 * from the time the request was <em>due</em>, not sent (no coordinated omission, as wrk2 and
 * Nighthawk do). A warm-up runs first and is not counted. Runs on its own Netty event loop(s).
 *
 * <p>{@link Builder#saturating()} turns the schedule off for a throughput run: each connection
 * sends its next request as soon as the previous one is answered (closed loop), so the achieved
 * rate is the most the target serves over that many connections and the latencies are service
 * times.
 */
public final class OpenLoopLoad {
    private final URI target;
    private final Map<String, String> headers;
    private final double rate;
    private final int connections;
    private final Duration warmup;
    private final Duration duration;
    private final Duration timeout;
    private final boolean saturating;
    private final int threads;

    private OpenLoopLoad(Builder b) {
        this.target = b.target;
        this.headers = Map.copyOf(b.headers);
        this.rate = b.rate;
        this.connections = b.connections;
        this.warmup = b.warmup;
        this.duration = b.duration;
        this.timeout = b.timeout;
        this.saturating = b.saturating;
        this.threads = b.threads;
    }

    public static Builder to(URI target) {
        return new Builder(target);
    }

    /** Runs the warm-up, then the measured run; blocks until both are over. */
    public LoadResult run() throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        try {
            // An overloaded target queues requests for as long as the run lasts: room for an hour.
            Histogram histogram = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
            long start = System.nanoTime();
            long measureFrom = start + warmup.toNanos();
            long end = measureFrom + duration.toNanos();
            Stats stats = new Stats(histogram, measureFrom, end);
            CountDownLatch done = new CountDownLatch(connections);
            List<Connection> all = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                // Connection i owns requests i, i + n, i + 2n, ...: together they keep the rate.
                long first = start + (long) (i * 1e9 / rate);
                long every = (long) (connections * 1e9 / rate);
                Connection c = new Connection(group.next(), first, every, end, stats, done);
                all.add(c);
                c.eventLoop.execute(c::connectAndSchedule);
            }
            long waitMs =
                    TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())
                            + timeout.toMillis()
                            + 5000;
            if (!done.await(waitMs, TimeUnit.MILLISECONDS)) {
                for (Connection c : all) {
                    c.eventLoop.submit(c::abandon).awaitUninterruptibly(1000);
                }
            }
            long measured =
                    TimeUnit.NANOSECONDS.toMillis(Math.min(System.nanoTime(), end) - measureFrom);
            synchronized (stats) {
                return new LoadResult(
                        saturating ? 0 : rate,
                        stats.completed * 1000.0 / Math.max(1, measured),
                        stats.completed,
                        stats.errors,
                        stats.timeouts,
                        measured,
                        histogram.copy());
            }
        } finally {
            group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    /** Counts shared by the connections; only requests due inside the measured window count. */
    private static final class Stats {
        final Histogram histogram;
        final long from;
        final long to;
        long completed;
        long errors;
        long timeouts;

        Stats(Histogram histogram, long from, long to) {
            this.histogram = histogram;
            this.from = from;
            this.to = to;
        }

        synchronized void ok(long due, long now) {
            if (due >= from && due < to) {
                histogram.recordValue(Math.max(1, (now - due) / 1000));
                completed++;
            }
        }

        synchronized void error(long due) {
            if (due >= from && due < to) {
                errors++;
            }
        }

        synchronized void timeout(long due) {
            if (due >= from && due < to) {
                timeouts++;
            }
        }
    }

    /** One kept-alive connection with its own share of the schedule. */
    private final class Connection {
        final EventLoop eventLoop;
        final long every;
        final long end;
        final Stats stats;
        final CountDownLatch done;
        final ArrayDeque<Long> due = new ArrayDeque<>();
        long nextDue;
        Channel channel;
        boolean connected;
        boolean inFlight;
        long inFlightDue;
        boolean finished;
        io.netty.util.concurrent.ScheduledFuture<?> timeoutTask;

        Connection(
                EventLoop loop,
                long first,
                long every,
                long end,
                Stats stats,
                CountDownLatch done) {
            this.eventLoop = loop;
            this.nextDue = first;
            this.every = every;
            this.end = end;
            this.stats = stats;
            this.done = done;
        }

        void connectAndSchedule() {
            connect();
            tick();
        }

        /** Opens a new connection; requests wait until it is up (their latency still counts). */
        void connect() {
            connected = false;
            Bootstrap b =
                    new Bootstrap()
                            .group(eventLoop)
                            .channel(NioSocketChannel.class)
                            .option(ChannelOption.TCP_NODELAY, true)
                            .handler(
                                    new ChannelInitializer<SocketChannel>() {
                                        @Override
                                        protected void initChannel(SocketChannel ch) {
                                            ch.pipeline()
                                                    .addLast(
                                                            new HttpClientCodec(),
                                                            new HttpObjectAggregator(1 << 20),
                                                            new Responses());
                                        }
                                    });
            channel =
                    b.connect(target.getHost(), port())
                            .addListener(
                                    f -> {
                                        if (f.isSuccess()) {
                                            connected = true;
                                            if (saturating) {
                                                refill(System.nanoTime());
                                            }
                                            sendNext();
                                        } else if (!finished) {
                                            // Count what was due as errors and try again after a
                                            // short pause.
                                            while (!due.isEmpty()) {
                                                stats.error(due.poll());
                                            }
                                            eventLoop.schedule(
                                                    this::connect, 50, TimeUnit.MILLISECONDS);
                                        }
                                    })
                            .channel();
        }

        /** Reads responses of the current channel; a new channel gets a new one. */
        final class Responses extends SimpleChannelInboundHandler<FullHttpResponse> {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                if (ctx.channel() == channel) {
                    onResponse(response);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (ctx.channel() == channel && inFlight) {
                    failed(inFlightDue, false);
                }
                ctx.close();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (ctx.channel() == channel && inFlight) {
                    failed(inFlightDue, false);
                }
            }
        }

        /** Every request that has become due is queued; the next wake-up is the next due time. */
        void tick() {
            if (finished) {
                return;
            }
            long now = System.nanoTime();
            if (saturating) {
                refill(now);
                // No schedule: the only wake-up left is the end of the run.
                nextDue = Math.max(now, end);
            } else {
                while (nextDue <= now && nextDue < end) {
                    due.add(nextDue);
                    nextDue += every;
                }
            }
            sendNext();
            if (nextDue < end || saturating && now < end) {
                eventLoop.schedule(
                        this::tick, Math.max(0, nextDue - System.nanoTime()), TimeUnit.NANOSECONDS);
            } else if (!inFlight && due.isEmpty()) {
                finish();
            }
        }

        void sendNext() {
            if (inFlight || due.isEmpty() || finished || !connected) {
                return;
            }
            inFlightDue = due.poll();
            inFlight = true;
            FullHttpRequest req =
                    new DefaultFullHttpRequest(
                            HttpVersion.HTTP_1_1, HttpMethod.GET, pathAndQuery());
            req.headers().set(HttpHeaderNames.HOST, target.getHost() + ":" + port());
            req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            req.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            headers.forEach(req.headers()::set);
            long sentFor = inFlightDue;
            channel.writeAndFlush(req)
                    .addListener(
                            f -> {
                                if (!f.isSuccess()) {
                                    failed(sentFor, false);
                                }
                            });
            timeoutTask =
                    eventLoop.schedule(
                            () -> {
                                if (inFlight && inFlightDue == sentFor) {
                                    failed(sentFor, true);
                                }
                            },
                            timeout.toNanos(),
                            TimeUnit.NANOSECONDS);
        }

        void onResponse(FullHttpResponse response) {
            if (!inFlight) {
                return;
            }
            long now = System.nanoTime();
            timeoutTask.cancel(false);
            inFlight = false;
            if (response.status().code() < 400) {
                stats.ok(inFlightDue, now);
            } else {
                stats.error(inFlightDue);
            }
            afterResponse();
        }

        void failed(long dueTime, boolean timedOut) {
            if (!inFlight || inFlightDue != dueTime) {
                return;
            }
            inFlight = false;
            if (timeoutTask != null) {
                timeoutTask.cancel(false);
            }
            if (timedOut) {
                stats.timeout(dueTime);
            } else {
                stats.error(dueTime);
            }
            channel.close();
            connect();
            afterResponse();
        }

        void afterResponse() {
            if (saturating) {
                refill(System.nanoTime());
            }
            if (!due.isEmpty()) {
                sendNext();
            } else if (saturating || nextDue >= end) {
                finish();
            }
        }

        /** Saturating: an idle connection's next request is due right now, until the end. */
        void refill(long now) {
            if (now < end && due.isEmpty() && !inFlight) {
                due.add(now);
            }
        }

        void finish() {
            if (!finished) {
                finished = true;
                channel.close();
                done.countDown();
            }
        }

        /**
         * The run is over but this connection is not: what it still owes (queued, never sent, or
         * sent and unanswered) counts as timed out, so an overloaded target cannot look better by
         * leaving requests unanswered.
         */
        void abandon() {
            if (finished) {
                return;
            }
            while (!due.isEmpty()) {
                stats.timeout(due.poll());
            }
            if (inFlight) {
                inFlight = false;
                stats.timeout(inFlightDue);
            }
            // Due times the schedule had not reached (a starved event loop): owed as well.
            while (!saturating && nextDue < end) {
                stats.timeout(nextDue);
                nextDue += every;
            }
            finished = true;
            channel.close();
        }
    }

    private int port() {
        return target.getPort() > 0 ? target.getPort() : 80;
    }

    private String pathAndQuery() {
        String p =
                target.getRawPath() == null || target.getRawPath().isEmpty()
                        ? "/"
                        : target.getRawPath();
        return target.getRawQuery() == null ? p : p + "?" + target.getRawQuery();
    }

    /** Options of a run; {@code withX} replaces a value. */
    public static final class Builder {
        private final URI target;
        private final Map<String, String> headers = new java.util.LinkedHashMap<>();
        private double rate = 100;
        private int connections = 4;
        private Duration warmup = Duration.ofSeconds(2);
        private Duration duration = Duration.ofSeconds(10);
        private Duration timeout = Duration.ofSeconds(2);
        private boolean saturating;
        private int threads = 1;

        private Builder(URI target) {
            this.target = target;
        }

        public Builder withRate(double requestsPerSecond) {
            if (requestsPerSecond <= 0) {
                throw new IllegalArgumentException("rate must be positive: " + requestsPerSecond);
            }
            this.rate = requestsPerSecond;
            return this;
        }

        public Builder withConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("connections must be at least 1: " + n);
            }
            this.connections = n;
            return this;
        }

        public Builder withWarmup(Duration d) {
            this.warmup = d;
            return this;
        }

        public Builder withDuration(Duration d) {
            this.duration = d;
            return this;
        }

        public Builder withTimeout(Duration d) {
            this.timeout = d;
            return this;
        }

        /**
         * A throughput run instead of a constant rate: every connection keeps one request in flight
         * (the rate set with {@link #withRate} is ignored; {@link LoadResult#targetRate()} is 0).
         */
        public Builder saturating() {
            this.saturating = true;
            return this;
        }

        /** Client event-loop threads the connections are spread over (default 1). */
        public Builder withThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("threads must be at least 1: " + n);
            }
            this.threads = n;
            return this;
        }

        public Builder addHeader(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public OpenLoopLoad build() {
            return new OpenLoopLoad(this);
        }
    }
}
