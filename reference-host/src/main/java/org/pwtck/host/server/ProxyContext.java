package org.pwtck.host.server;

import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.upstream.TlsContexts;

/** What every connection handler of one server shares: the current generation, pools, stats. */
final class ProxyContext {
    private final AtomicReference<Generation> current = new AtomicReference<>();
    private final ServerStats stats;
    private final TlsContexts tls;
    private final Map<EventLoop, UpstreamPool> pools = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();
    private final AtomicLong connectionIds = new AtomicLong();

    ProxyContext(ServerStats stats, TlsContexts tls) {
        this.stats = stats;
        this.tls = tls;
    }

    ServerStats stats() {
        return stats;
    }

    TlsContexts tls() {
        return tls;
    }

    /** The current generation, taken for one request (released when the request is done). */
    Generation acquire() {
        while (true) {
            Generation g = current.get();
            if (g.acquire()) {
                return g;
            }
        }
    }

    Generation current() {
        return current.get();
    }

    /** Makes a generation current; returns the previous one (to retire). */
    Generation swap(Generation next) {
        return current.getAndSet(next);
    }

    UpstreamPool pool(EventLoop loop) {
        return pools.computeIfAbsent(loop, l -> new UpstreamPool(l, tls));
    }

    Map<EventLoop, UpstreamPool> pools() {
        return pools;
    }

    HostConfig.Endpoint pick(HostConfig.Cluster cluster) {
        int i =
                roundRobin
                        .computeIfAbsent(cluster.name(), k -> new AtomicInteger())
                        .getAndIncrement();
        return cluster.endpoints().get(Math.floorMod(i, cluster.endpoints().size()));
    }

    long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }
}
