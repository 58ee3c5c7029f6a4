package org.pwtck.host.server;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.plugin.PluginVm;
import org.pwtck.host.plugin.VmExecutor;

/**
 * A VM's thread is a Netty event loop: {@code inThread()} is {@code inEventLoop()}. Every task runs
 * under the {@link CallbackWatchdog}'s deadline, and after each one the owner's hook runs (to see
 * whether the VM failed in an asynchronous callback).
 */
final class EventLoopVmExecutor implements VmExecutor {
    private final EventExecutor loop;
    private final CallbackWatchdog watchdog;
    private final Hook hook;
    private volatile boolean startingVm;

    /** Called on the loop after every top-level task; {@code deadlineFired} if it was cut. */
    interface Hook {
        void afterTask(boolean deadlineFired);
    }

    EventLoopVmExecutor(EventExecutor loop, CallbackWatchdog watchdog, Hook hook) {
        this.loop = loop;
        this.watchdog = watchdog;
        this.hook = hook;
    }

    EventExecutor loop() {
        return loop;
    }

    @Override
    public boolean inThread() {
        return loop.inEventLoop();
    }

    @Override
    public void execute(Runnable task) {
        try {
            loop.execute(() -> guarded(task));
        } catch (RejectedExecutionException e) {
            // the loop is shutting down: nothing more runs on this VM
        }
    }

    @Override
    public <T> T call(Callable<T> task) {
        if (!inThread()) {
            return VmExecutor.super.call(task);
        }
        Object[] result = new Object[1];
        RuntimeException[] thrown = new RuntimeException[1];
        guarded(
                () -> {
                    try {
                        result[0] = task.call();
                    } catch (RuntimeException e) {
                        thrown[0] = e;
                    } catch (Exception e) {
                        thrown[0] = new IllegalStateException(e);
                    }
                });
        if (thrown[0] != null) {
            throw thrown[0];
        }
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }

    /** Starts a VM on this loop; its start-up runs under the watchdog's start deadline. */
    PluginVm startVm(Plugin plugin) {
        startingVm = true;
        try {
            return plugin.startVm(this);
        } finally {
            startingVm = false;
        }
    }

    private void guarded(Runnable task) {
        boolean fired = watchdog.run(task, startingVm);
        hook.afterTask(fired);
    }
}
