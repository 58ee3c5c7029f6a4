package org.pwtck.host.imports;

import java.time.Duration;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.RootContext;
import org.pwtck.host.context.Scheduler;

/** {@code proxy_get_current_time_nanoseconds}, {@code proxy_set_tick_period_milliseconds}. */
final class TimeImports {
    private TimeImports() {}

    static void register(HostFunctionTable t) {
        t.put(AbiFunction.PROXY_GET_CURRENT_TIME_NANOSECONDS, TimeImports::currentTime);
        t.put(AbiFunction.PROXY_SET_TICK_PERIOD_MILLISECONDS, TimeImports::setTickPeriod);
    }

    /** Always all 8 bytes, little-endian (ABI.md §4.2 item 6). */
    static int currentTime(HostEnvironment env, long[] args) {
        env.memory().writeU64(Args.u32(args[0]), env.services().wallClockNanos().getAsLong());
        return Status.OK.code();
    }

    /** Applies to the root context of the caller, from any context; 0 stops the ticks. */
    static int setTickPeriod(HostEnvironment env, long[] args) {
        long period = Args.u32(args[0]);
        RootContext root = env.rootOf(env.effectiveContext());
        if (period == 0) {
            root.tick(0, null);
            return Status.OK.code();
        }
        HostEnvironment.Deliveries deliveries = env.deliveries();
        Scheduler.Task[] self = new Scheduler.Task[1];
        // A tick fired by the timer thread waits for the VM thread; by then the guest may have
        // stopped or replaced this timer, and such a tick must not arrive (in Envoy the timer
        // and the VM share one thread, so it cannot).
        Runnable tickIfCurrent =
                () -> {
                    if (self[0] != null && root.tickTask() == self[0]) {
                        deliveries.tick(root);
                    }
                };
        Scheduler.Task task =
                env.services()
                        .scheduler()
                        .schedulePeriodic(
                                Duration.ofMillis(period),
                                () -> env.vmExecutor().execute(tickIfCurrent));
        self[0] = task;
        root.tick(period, task);
        return Status.OK.code();
    }
}
