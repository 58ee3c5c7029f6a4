package org.pwtck.host.server;

import io.netty.util.concurrent.EventExecutor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.plugin.Plugin;

/**
 * One filter with one plugin configuration, as used by one or more routes: the loaded {@link
 * Plugin} and its VM on every event loop.
 */
final class FilterSlot {
    private final HostConfig.Filter filter;
    private final Plugin plugin;
    private final String pluginConfig;
    private final Map<EventExecutor, LoopVm> vms = new LinkedHashMap<>();

    FilterSlot(HostConfig.Filter filter, Plugin plugin, String pluginConfig) {
        this.filter = filter;
        this.plugin = plugin;
        this.pluginConfig = pluginConfig;
    }

    String name() {
        return filter.name();
    }

    HostConfig.Filter filter() {
        return filter;
    }

    Plugin plugin() {
        return plugin;
    }

    String pluginConfig() {
        return pluginConfig;
    }

    HostConfig.FailPolicy failPolicy() {
        return filter.failPolicy();
    }

    void add(EventExecutor loop, LoopVm vm) {
        vms.put(loop, vm);
    }

    LoopVm on(EventExecutor loop) {
        LoopVm vm = vms.get(loop);
        if (vm == null) {
            throw new IllegalStateException(name() + " has no VM on " + loop);
        }
        return vm;
    }

    Map<EventExecutor, LoopVm> vms() {
        return vms;
    }
}
