package org.pwtck.host.context;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Fires periodic ticks; the VM moves each tick onto its own thread before calling the guest. */
@FunctionalInterface
public interface Scheduler {

    /** Handle to stop a periodic task. */
    interface Task {
        void cancel();
    }

    Task schedulePeriodic(Duration period, Runnable action);

    /** A scheduler on one shared daemon thread. */
    static Scheduler daemon() {
        return DaemonScheduler.INSTANCE;
    }

    /** Holder of the shared timer thread. */
    final class DaemonScheduler implements Scheduler {
        static final DaemonScheduler INSTANCE = new DaemonScheduler();
        private final ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "pwtck-ticks");
                            t.setDaemon(true);
                            return t;
                        });

        private DaemonScheduler() {}

        @Override
        public Task schedulePeriodic(Duration period, Runnable action) {
            long ms = Math.max(1, period.toMillis());
            ScheduledFuture<?> f = timer.scheduleAtFixedRate(action, ms, ms, TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        }
    }
}
