package org.pwtck.tck.hosts.reference;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.context.Upstreams;
import org.pwtck.host.upstream.ClusterUpstreams;
import org.pwtck.host.upstream.TlsContexts;
import org.pwtck.tck.api.Backends;
import org.pwtck.tck.api.FilterSpec;

/**
 * The session's network upstreams as reference-host clusters: the gRPC server ({@link
 * FilterSpec#GRPC_CLUSTER}) and the real httpbin ({@link FilterSpec#REAL_HTTPBIN_CLUSTER}) when it
 * runs. The in-process host calls them through the proxy's {@link ClusterUpstreams} on its own
 * event loop; the proxy host writes them into its configuration.
 */
final class NetworkClusters implements AutoCloseable {
    private final EventLoopGroup loop;
    private final ClusterUpstreams upstreams;

    private NetworkClusters(EventLoopGroup loop, ClusterUpstreams upstreams) {
        this.loop = loop;
        this.upstreams = upstreams;
    }

    /** The clusters by name, each with its one endpoint. */
    static Map<String, HostConfig.Endpoint> endpoints(Backends backends) {
        Map<String, HostConfig.Endpoint> out = new LinkedHashMap<>();
        backends.grpc()
                .ifPresent(
                        g ->
                                out.put(
                                        FilterSpec.GRPC_CLUSTER,
                                        new HostConfig.Endpoint(backends.address(), g.port())));
        backends.httpbin()
                .ifPresent(
                        h ->
                                out.put(
                                        FilterSpec.REAL_HTTPBIN_CLUSTER,
                                        new HostConfig.Endpoint(backends.address(), h.port())));
        return out;
    }

    static NetworkClusters start(Backends backends) {
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ClusterUpstreams upstreams = new ClusterUpstreams(loop, new TlsContexts());
        Map<String, HostConfig.Cluster> clusters = new LinkedHashMap<>();
        endpoints(backends)
                .forEach(
                        (name, endpoint) ->
                                clusters.put(
                                        name,
                                        new HostConfig.Cluster(
                                                name,
                                                List.of(endpoint),
                                                Duration.ofSeconds(2),
                                                Duration.ofSeconds(30),
                                                Optional.empty())));
        upstreams.clusters(clusters);
        return new NetworkClusters(loop, upstreams);
    }

    Upstreams upstreams() {
        return upstreams;
    }

    @Override
    public void close() {
        upstreams.close();
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
