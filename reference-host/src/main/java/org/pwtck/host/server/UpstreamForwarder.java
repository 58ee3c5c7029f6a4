package org.pwtck.host.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.pwtck.host.abi.Header;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.upstream.Causes;

/**
 * Sends one exchange's request to its route's cluster and hands the response back, on the same
 * event loop as the client connection (no locks). Backpressure both ways by auto-read: a full
 * upstream stops reading from the client, a full client stops reading from the upstream.
 *
 * <p>Failures before response headers are answers: connect failure or a reset → 503, no response
 * within the cluster's request timeout → 504. After response headers they reset the client.
 */
final class UpstreamForwarder {
    private final Exchange exchange;
    private final ProxyContext px;
    private final UpstreamPool pool;
    private final HostConfig.Cluster cluster;
    private final HostConfig.Endpoint endpoint;
    private final List<HttpObject> pending = new ArrayList<>();
    private Channel ch;
    private boolean requestEnded;
    private boolean responseStarted;
    private boolean responseEnded;
    private boolean responseBodyless;
    private boolean keepAlive = true;
    private boolean finished;
    private ScheduledFuture<?> timeout;

    UpstreamForwarder(
            Exchange exchange, ProxyContext px, UpstreamPool pool, HostConfig.Cluster cluster) {
        this.exchange = exchange;
        this.px = px;
        this.pool = pool;
        this.cluster = cluster;
        this.endpoint = px.pick(cluster);
    }

    // ---- request (from the filter chain) ----

    void headers(HeaderMap map, boolean endOfStream) {
        px.stats().inc("cluster." + cluster.name() + ".requests");
        HttpRequest req = Http1.request(map, endOfStream);
        responseBodyless = "HEAD".equals(req.method().name());
        send(req);
        if (endOfStream) {
            send(new DefaultLastHttpContent());
            requestEnded = true;
        }
        Channel idle = pool.takeIdle(cluster, endpoint);
        if (idle != null) {
            attach(idle);
        } else {
            Future<Channel> f = pool.connect(cluster, endpoint);
            f.addListener(
                    (FutureListener<Channel>)
                            done -> {
                                if (finished) {
                                    if (done.isSuccess()) {
                                        done.getNow().close();
                                    }
                                    return;
                                }
                                if (!done.isSuccess()) {
                                    px.stats()
                                            .inc("cluster." + cluster.name() + ".connect_failures");
                                    failBeforeResponse(
                                            503,
                                            "upstream connect error: "
                                                    + cluster.name()
                                                    + " ("
                                                    + endpoint
                                                    + "): "
                                                    + Causes.rootMessage(done.cause()));
                                    return;
                                }
                                attach(done.getNow());
                            });
        }
        long ms = cluster.requestTimeout().toMillis();
        timeout =
                exchange.loop()
                        .schedule(
                                () -> {
                                    if (!responseStarted && !finished) {
                                        px.stats().inc("cluster." + cluster.name() + ".timeouts");
                                        keepAlive = false;
                                        failBeforeResponse(504, "upstream request timeout");
                                    }
                                },
                                ms,
                                TimeUnit.MILLISECONDS);
    }

    void data(byte[] bytes, boolean endOfStream) {
        if (requestEnded) {
            return;
        }
        if (endOfStream) {
            send(new DefaultLastHttpContent(Unpooled.wrappedBuffer(bytes)));
            requestEnded = true;
        } else if (bytes.length > 0) {
            send(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)));
        }
    }

    void trailers(HeaderMap map) {
        if (requestEnded) {
            return;
        }
        LastHttpContent last = new DefaultLastHttpContent();
        for (Header h : map.entries()) {
            last.trailingHeaders().add(h.nameString(), h.valueString());
        }
        send(last);
        requestEnded = true;
    }

    private void send(HttpObject msg) {
        if (ch == null) {
            pending.add(msg);
            return;
        }
        boolean last = msg instanceof LastHttpContent;
        ChannelFuture f = last ? ch.writeAndFlush(msg) : ch.write(msg);
        if (!last && !ch.isWritable()) {
            ch.flush();
        }
        f.addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        if (!ch.isWritable()) {
            exchange.upstreamWritable(false);
        }
    }

    private void attach(Channel channel) {
        ch = channel;
        ch.attr(UpstreamPool.OWNER).set(this);
        List<HttpObject> out = new ArrayList<>(pending);
        pending.clear();
        for (HttpObject msg : out) {
            ch.write(msg).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }
        ch.flush();
        ch.config().setAutoRead(true);
    }

    // ---- response (from the upstream connection) ----

    void upstreamRead(Object msg) {
        try {
            if (finished) {
                if (releaseOnLast && msg instanceof LastHttpContent) {
                    releaseOnLast = false;
                    pool.release(cluster, endpoint, ch);
                }
                return;
            }
            if (msg instanceof HttpResponse res) {
                if (res.decoderResult().isFailure()) {
                    keepAlive = false;
                    failBeforeResponse(502, "upstream sent a malformed response");
                    return;
                }
                if (res.status().code() == 100) {
                    return; // interim response: not passed on
                }
                responseStarted = true;
                if (timeout != null) {
                    timeout.cancel(false);
                }
                keepAlive = HttpUtil.isKeepAlive(res);
                int code = res.status().code();
                boolean eos =
                        responseBodyless
                                || code == 204
                                || code == 304
                                || (HttpUtil.isContentLengthSet(res)
                                        && HttpUtil.getContentLength(res, -1L) == 0);
                if (eos) {
                    responseEnded = true;
                }
                exchange.upstreamHeaders(Http1.responseMap(res), eos);
                if (msg instanceof HttpContent c) {
                    content(c, eos);
                }
            } else if (msg instanceof HttpContent c) {
                content(c, responseEnded);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void content(HttpContent c, boolean alreadyEnded) {
        boolean last = c instanceof LastHttpContent;
        if (alreadyEnded) {
            if (last) {
                lastSeen = true;
            }
            return;
        }
        byte[] bytes = new byte[c.content().readableBytes()];
        c.content().readBytes(bytes);
        if (last) {
            lastSeen = true;
            responseEnded = true;
            LastHttpContent l = (LastHttpContent) c;
            if (!l.trailingHeaders().isEmpty()) {
                if (bytes.length > 0) {
                    exchange.upstreamData(bytes, false);
                }
                exchange.upstreamTrailers(Http1.trailerMap(l.trailingHeaders()));
            } else {
                exchange.upstreamData(bytes, true);
            }
        } else if (bytes.length > 0) {
            exchange.upstreamData(bytes, false);
        }
    }

    private boolean lastSeen;
    private boolean releaseOnLast;

    void upstreamClosed(Throwable cause) {
        if (finished) {
            return;
        }
        keepAlive = false;
        if (!responseStarted) {
            px.stats().inc("cluster." + cluster.name() + ".resets");
            failBeforeResponse(
                    503,
                    "upstream reset before response headers"
                            + (cause == null ? "" : ": " + Causes.rootMessage(cause)));
        } else if (!responseEnded) {
            px.stats().inc("cluster." + cluster.name() + ".resets");
            exchange.upstreamResetAfterHeaders();
        }
    }

    void upstreamWritability(boolean writable) {
        exchange.upstreamWritable(writable);
    }

    /** The client stopped reading: stop reading from the upstream too. */
    void pauseReading(boolean pause) {
        if (ch != null) {
            ch.config().setAutoRead(!pause);
        }
    }

    private void failBeforeResponse(int status, String detail) {
        Channel c = ch;
        finish();
        if (c != null) {
            c.close();
        }
        exchange.upstreamFailed(status, detail);
    }

    /** The exchange is over: reuse the connection if the whole exchange went through cleanly. */
    void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        if (ch == null) {
            return;
        }
        if (keepAlive && requestEnded && responseEnded && lastSeen) {
            pool.release(cluster, endpoint, ch);
        } else if (keepAlive && requestEnded && responseEnded) {
            releaseOnLast = true; // the codec's end-of-message marker is still to come
        } else {
            ch.attr(UpstreamPool.OWNER).set(null);
            ch.close();
        }
    }
}
