package org.pwtck.host.server;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.pwtck.host.plugin.PluginStartException;
import org.pwtck.host.plugin.PluginVm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VM of one filter on one event loop, as Envoy has one per worker. Confined to that loop. A VM
 * that failed (trap, deadline, memory) is replaced on the next request that needs it, at most once
 * a second; the streams that were using it hear about the failure and get the fail-policy answer.
 */
final class LoopVm implements EventLoopVmExecutor.Hook {
    private static final Logger LOG = LoggerFactory.getLogger(LoopVm.class);
    private static final long RESTART_BACKOFF_NANOS = 1_000_000_000L;

    /** A stream that uses this VM and must hear when it fails. */
    interface Watcher {
        void vmFailed(LoopVm vm, String reason);
    }

    private final FilterSlot slot;
    private final EventLoopVmExecutor executor;
    private final ServerStats stats;
    private final Set<Watcher> watchers = new LinkedHashSet<>();
    private PluginVm vm;
    private boolean failureReported;
    private long nextRestart;
    private int replacements;
    private String lastFailure;

    LoopVm(
            FilterSlot slot,
            io.netty.util.concurrent.EventExecutor loop,
            CallbackWatchdog watchdog,
            ServerStats stats) {
        this.slot = slot;
        this.stats = stats;
        this.executor = new EventLoopVmExecutor(loop, watchdog, this);
    }

    FilterSlot slot() {
        return slot;
    }

    EventLoopVmExecutor executor() {
        return executor;
    }

    /** Starts the first VM (from any thread); throws what the start threw. */
    void start() {
        PluginVm started = executor.startVm(slot.plugin());
        executor.call(
                () -> {
                    vm = started;
                    return null;
                });
    }

    /** The VM to use for a new stream, replacing a failed one; empty if none can run now. */
    PluginVm acquire() {
        if (vm != null && !vm.isFailed()) {
            return vm;
        }
        long now = System.nanoTime();
        if (vm != null && now - nextRestart < 0) {
            return null;
        }
        PluginVm old = vm;
        vm = null;
        if (old != null) {
            old.close();
        }
        nextRestart = now + RESTART_BACKOFF_NANOS;
        try {
            vm = executor.startVm(slot.plugin());
            failureReported = false;
            replacements++;
            stats.inc("filter." + slot.name() + ".vm_replaced");
            LOG.info("{}: VM replaced on {}", slot.name(), Thread.currentThread().getName());
            return vm;
        } catch (RuntimeException e) {
            lastFailure = e.getMessage();
            stats.inc("filter." + slot.name() + ".vm_start_failures");
            LOG.warn("{}: replacement VM failed to start: {}", slot.name(), e.getMessage());
            if (e instanceof PluginStartException) {
                return null;
            }
            return null;
        }
    }

    void watch(Watcher w) {
        watchers.add(w);
    }

    void unwatch(Watcher w) {
        watchers.remove(w);
    }

    /** Closes the VM on its own loop, asynchronously (never blocks another loop). */
    void closeAsync() {
        executor.loop()
                .execute(
                        () -> {
                            if (vm != null) {
                                vm.close();
                                vm = null;
                            }
                        });
    }

    @Override
    public void afterTask(boolean deadlineFired) {
        if (deadlineFired) {
            stats.inc("filter." + slot.name() + ".deadline_exceeded");
        }
        if (vm != null && vm.isFailed() && !failureReported) {
            failureReported = true;
            lastFailure = vm.failureReason().orElse("failed");
            stats.inc("filter." + slot.name() + ".failures");
            LOG.warn("{}: VM failed: {}", slot.name(), lastFailure);
            String reason = lastFailure;
            for (Watcher w : List.copyOf(watchers)) {
                executor.loop().execute(() -> w.vmFailed(this, reason));
            }
        }
    }

    /** State for {@code /filters} (on the loop). */
    java.util.Map<String, Object> describe() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("thread", Thread.currentThread().getName());
        m.put("state", vm == null ? "stopped" : vm.isFailed() ? "failed" : "running");
        m.put("contexts", vm == null || vm.isFailed() ? 0 : vm.contextIds().size());
        m.put("activeStreams", watchers.size());
        m.put("replacements", replacements);
        if (lastFailure != null) {
            m.put("lastFailure", lastFailure);
        }
        return m;
    }
}
