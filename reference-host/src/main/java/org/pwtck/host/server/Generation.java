package org.pwtck.host.server;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.pwtck.host.config.ConfigException;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.vm.ModuleLoadException;

/**
 * One applied configuration: its routes' filter chains, with every filter loaded and a VM started
 * on every event loop. Requests take the current generation when they start and keep it to the end,
 * so a reload swaps chains for new requests only; a retired generation closes its VMs once its last
 * request is done.
 */
final class Generation {
    private static final String ANON = "\0";

    private final HostConfig config;
    private final Map<String, FilterSlot> slots;
    private final Map<String, List<FilterSlot>> chains;
    private final Map<String, Plugin> plugins;
    private final AtomicInteger inFlight = new AtomicInteger(1); // 1 = "current"

    private Generation(
            HostConfig config,
            Map<String, FilterSlot> slots,
            Map<String, List<FilterSlot>> chains,
            Map<String, Plugin> plugins) {
        this.config = config;
        this.slots = slots;
        this.chains = chains;
        this.plugins = plugins;
    }

    HostConfig config() {
        return config;
    }

    List<FilterSlot> chain(HostConfig.Route route) {
        return chains.get(route.name());
    }

    Map<String, Plugin> plugins() {
        return plugins;
    }

    Map<String, FilterSlot> slots() {
        return slots;
    }

    /**
     * Loads every filter, checks every module and starts a VM of each chain entry on each loop. On
     * any failure, stops what it started and throws a {@link ConfigException} naming the filter.
     */
    static Generation build(
            HostConfig config,
            HostServices services,
            List<EventExecutor> loops,
            CallbackWatchdog watchdog,
            ServerStats stats)
            throws ConfigException {
        String file = config.source().toString();
        List<String> problems = new ArrayList<>();
        Map<String, Plugin> plugins = new LinkedHashMap<>();
        for (HostConfig.Filter f : config.filters().values()) {
            try {
                plugins.put(f.name(), plugin(f, f.pluginConfig(), services));
            } catch (ModuleLoadException e) {
                problems.add(
                        file
                                + ": filters."
                                + f.name()
                                + ".path: module refused: "
                                + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        Map<String, FilterSlot> slots = new LinkedHashMap<>();
        Map<String, List<FilterSlot>> chains = new LinkedHashMap<>();
        for (int r = 0; r < config.routes().size(); r++) {
            HostConfig.Route route = config.routes().get(r);
            List<FilterSlot> chain = new ArrayList<>();
            for (HostConfig.ChainEntry e : route.filters()) {
                HostConfig.Filter f = config.filters().get(e.filter());
                String key = f.name() + ANON + e.pluginConfig().orElse(ANON);
                FilterSlot slot = slots.get(key);
                if (slot == null) {
                    String pc = e.pluginConfig().orElse(f.pluginConfig());
                    Plugin p =
                            e.pluginConfig().isPresent()
                                    ? plugin(f, pc, services)
                                    : plugins.get(f.name());
                    slot = new FilterSlot(f, p, pc);
                    slots.put(key, slot);
                }
                chain.add(slot);
            }
            chains.put(route.name(), List.copyOf(chain));
        }
        Generation g = new Generation(config, slots, chains, plugins);
        for (FilterSlot slot : slots.values()) {
            for (EventExecutor loop : loops) {
                LoopVm vm = new LoopVm(slot, loop, watchdog, stats);
                try {
                    vm.start();
                } catch (RuntimeException e) {
                    problems.add(
                            file
                                    + ": filters."
                                    + slot.name()
                                    + ": failed to start: "
                                    + e.getMessage());
                    break;
                }
                slot.add(loop, vm);
            }
            if (!problems.isEmpty()) {
                break;
            }
        }
        if (!problems.isEmpty()) {
            g.closeVms();
            throw new ConfigException(problems);
        }
        return g;
    }

    private static Plugin plugin(HostConfig.Filter f, String pluginConfig, HostServices services) {
        Plugin.Builder b =
                Plugin.builder()
                        .withName(f.name())
                        .withWasm(f.path())
                        .withPluginConfiguration(pluginConfig)
                        .withVmConfiguration(f.vmConfig())
                        .withRootId(f.rootId())
                        .withVmId(f.vmId())
                        .withEngine(f.engine())
                        .withLogLevel(f.logLevel())
                        .withMaxMemoryPages(f.maxMemoryPages())
                        .withServices(services);
        f.environment().forEach(b::addEnvironment);
        return b.build();
    }

    /** A request starts on this generation; false if it was retired meanwhile. */
    boolean acquire() {
        while (true) {
            int n = inFlight.get();
            if (n == 0) {
                return false;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (inFlight.decrementAndGet() == 0) {
            closeVms();
        }
    }

    /** No longer current: closes its VMs once in-flight requests are done. */
    void retire() {
        release();
    }

    private void closeVms() {
        for (FilterSlot slot : slots.values()) {
            slot.vms().values().forEach(LoopVm::closeAsync);
        }
    }
}
