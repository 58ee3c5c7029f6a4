package org.pwtck.host.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.pwtck.host.config.ConfigException;
import org.pwtck.host.config.ConfigLoader;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.context.Metrics;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.upstream.ClusterUpstreams;
import org.pwtck.host.upstream.TlsContexts;
import org.pwtck.host.vm.LoadedModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference host as a proxy: bootstrap only. Worker event loops serve the listeners (each with
 * one VM per filter, as Envoy has one per worker), a separate thread serves the admin endpoint.
 *
 * <pre>{@code
 * try (ProxyServer server = ProxyServer.start(ConfigLoader.load(Path.of("host.yaml")))) {
 *     int port = server.port("main");
 * }
 * }</pre>
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);

    /** The outcome of a reload: the generation now serving, or the problems that refused it. */
    public record ReloadResult(boolean ok, int generation, List<String> problems) {}

    private final HostConfig initial;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final EventLoopGroup adminGroup;
    private final List<EventExecutor> loops = new ArrayList<>();
    private final ServerStats stats = new ServerStats();
    private final CallbackWatchdog watchdog;
    private final TlsContexts tls = new TlsContexts();
    private final ClusterUpstreams upstreams;
    private final HostServices services;
    private final ProxyContext px;
    private final List<Channel> listenerChannels = new ArrayList<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final AdminServer admin = new AdminServer(this);
    private final AtomicInteger generationNumber = new AtomicInteger();
    private volatile boolean ready;
    private int adminPort;

    private ProxyServer(HostConfig config, HostServices baseServices) {
        this.initial = config;
        this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.workers = new MultiThreadIoEventLoopGroup(config.workers(), NioIoHandler.newFactory());
        this.adminGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers.forEach(loops::add);
        this.watchdog = new CallbackWatchdog(config.limits().callbackDeadline());
        this.upstreams = new ClusterUpstreams(workers, tls);
        this.services = baseServices.withUpstreams(upstreams);
        this.px = new ProxyContext(stats, tls);
    }

    /** Starts a server with in-memory host services. */
    public static ProxyServer start(HostConfig config) throws ConfigException {
        return start(config, HostServices.inMemory());
    }

    /**
     * Loads every filter, starts their VMs on every worker, binds the listeners and the admin
     * endpoint. Nothing is left running when it throws.
     *
     * @throws ConfigException naming the file, the field and the reason
     */
    public static ProxyServer start(HostConfig config, HostServices services)
            throws ConfigException {
        ProxyServer server = new ProxyServer(config, services);
        try {
            server.upstreams.clusters(config.clusters());
            Generation g =
                    Generation.build(
                            config, server.services, server.loops, server.watchdog, server.stats);
            server.generationNumber.set(1);
            server.px.swap(g);
            server.bind(config);
            server.ready = true;
            return server;
        } catch (ConfigException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void bind(HostConfig config) throws ConfigException {
        String file = config.source().toString();
        for (int i = 0; i < config.listeners().size(); i++) {
            HostConfig.Listener l = config.listeners().get(i);
            ServerBootstrap b =
                    new ServerBootstrap()
                            .group(boss, workers)
                            .channel(NioServerSocketChannel.class)
                            .childOption(ChannelOption.TCP_NODELAY, true)
                            .childHandler(new ProxyInitializer(px, l.name(), l.h2c()));
            try {
                Channel ch = b.bind(l.address(), l.port()).sync().channel();
                listenerChannels.add(ch);
                int port = ((InetSocketAddress) ch.localAddress()).getPort();
                ports.put(l.name(), port);
                LOG.info(
                        "listener {} on http://{}:{}{}",
                        l.name(),
                        l.address(),
                        port,
                        l.h2c() ? " (HTTP/1.1 and h2c)" : " (HTTP/1.1)");
            } catch (Exception e) {
                throw new ConfigException(
                        file
                                + ": listeners["
                                + i
                                + "]: cannot listen on "
                                + l.address()
                                + ":"
                                + l.port()
                                + ": "
                                + e.getMessage());
            }
        }
        try {
            adminPort = admin.bind(adminGroup, config.admin().address(), config.admin().port());
            LOG.info("admin on http://{}:{}", config.admin().address(), adminPort);
        } catch (Exception e) {
            throw new ConfigException(
                    file
                            + ": admin: cannot listen on "
                            + config.admin().address()
                            + ":"
                            + config.admin().port()
                            + ": "
                            + e.getMessage());
        }
    }

    /** The port a listener got (useful with port 0). */
    public int port(String listener) {
        Integer p = ports.get(listener);
        if (p == null) {
            throw new IllegalArgumentException(
                    "no listener " + listener + " (have " + ports.keySet() + ")");
        }
        return p;
    }

    public Map<String, Integer> ports() {
        Map<String, Integer> out = new LinkedHashMap<>(ports);
        out.put("admin", adminPort);
        return out;
    }

    public int adminPort() {
        return adminPort;
    }

    public ServerStats stats() {
        return stats;
    }

    public HostServices services() {
        return services;
    }

    public HostConfig config() {
        return px.current().config();
    }

    boolean isReady() {
        return ready;
    }

    /** Reloads the config file the server was started with. */
    public ReloadResult reload() {
        try {
            return reload(ConfigLoader.load(px.current().config().source()));
        } catch (ConfigException e) {
            stats.inc("server.reload_failures");
            return new ReloadResult(false, generationNumber.get(), e.problems());
        }
    }

    /**
     * Applies a new config to new requests; in-flight requests finish on the old chains. A config
     * that changes listeners, the admin endpoint or the worker count, or whose filters fail to load
     * or start, is refused and the running one stays.
     */
    public synchronized ReloadResult reload(HostConfig next) {
        List<String> problems = new ArrayList<>();
        String file = next.source().toString();
        if (!next.listeners().equals(initial.listeners())) {
            problems.add(file + ": listeners: cannot change without a restart");
        }
        if (!next.admin().equals(initial.admin())) {
            problems.add(file + ": admin: cannot change without a restart");
        }
        if (next.workers() != initial.workers()) {
            problems.add(file + ": workers: cannot change without a restart");
        }
        if (!next.limits().callbackDeadline().equals(initial.limits().callbackDeadline())) {
            problems.add(file + ": limits.callbackDeadline: cannot change without a restart");
        }
        if (!problems.isEmpty()) {
            stats.inc("server.reload_failures");
            return new ReloadResult(false, generationNumber.get(), problems);
        }
        Generation g;
        try {
            g = Generation.build(next, services, loops, watchdog, stats);
        } catch (ConfigException e) {
            stats.inc("server.reload_failures");
            LOG.warn("reload refused:\n{}", e.getMessage());
            return new ReloadResult(false, generationNumber.get(), e.problems());
        }
        upstreams.clusters(next.clusters());
        Generation old = px.swap(g);
        old.retire();
        int n = generationNumber.incrementAndGet();
        stats.inc("server.reloads");
        LOG.info("reloaded {}: generation {}", file, n);
        return new ReloadResult(true, n, List.of());
    }

    // ---- admin views ----

    Map<String, Object> statsTree() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("counters", stats.snapshot());
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (Metrics.Snapshot s : services.metrics().snapshots()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("type", s.type().name().toLowerCase());
            m.put("value", s.value());
            if (s.type() == org.pwtck.host.abi.MetricType.HISTOGRAM) {
                m.put("count", s.count());
                m.put("sum", s.sum());
            }
            metrics.add(m);
        }
        out.put("filterMetrics", metrics);
        return out;
    }

    Map<String, Object> configTree() {
        return px.current().config().toTree();
    }

    List<Map<String, Object>> filtersTree() {
        Generation g = px.current();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, Plugin> e : g.plugins().entrySet()) {
            Plugin p = e.getValue();
            LoadedModule m = p.module();
            HostConfig.Filter f = g.config().filters().get(e.getKey());
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", e.getKey());
            x.put("path", f.path().toString());
            x.put("sha256", m.sha256());
            x.put("abiVersion", m.abiVersion().label());
            x.put("engine", m.engine().name().toLowerCase());
            x.put("vmId", f.vmId());
            x.put("rootId", f.rootId());
            x.put("failPolicy", f.failPolicy().name().toLowerCase());
            x.put("imports", m.imports().stream().map(i -> i.module() + "." + i.name()).toList());
            List<Map<String, Object>> instances = new ArrayList<>();
            for (FilterSlot slot : g.slots().values()) {
                if (!slot.name().equals(e.getKey())) {
                    continue;
                }
                for (LoopVm vm : slot.vms().values()) {
                    CompletableFuture<Map<String, Object>> d = new CompletableFuture<>();
                    vm.executor().loop().execute(() -> d.complete(vm.describe()));
                    try {
                        Map<String, Object> desc = d.get(5, TimeUnit.SECONDS);
                        desc.put("config", slot.pluginConfig());
                        instances.add(desc);
                    } catch (Exception ex) {
                        instances.add(Map.of("state", "unknown: " + ex));
                    }
                }
            }
            x.put("vms", instances);
            out.add(x);
        }
        return out;
    }

    @Override
    public void close() {
        ready = false;
        admin.close();
        listenerChannels.forEach(c -> c.close().syncUninterruptibly());
        Generation g = px.current();
        if (g != null) {
            g.retire();
        }
        for (EventExecutor loop : loops) {
            UpstreamPool pool = px.pools().get(loop);
            if (pool != null) {
                loop.execute(pool::closeAll);
            }
        }
        upstreams.close();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        adminGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        watchdog.close();
    }
}
