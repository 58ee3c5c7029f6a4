package org.pwtck.host.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The per-callback deadline. A guest call that runs longer than the deadline is interrupted:
 * Chicory (interpreter and compiler) checks the thread's interrupt flag and throws, which the VM
 * reports as a failure like any trap. The interrupt is only ever sent while the guarded task still
 * runs, and the flag is cleared before the event loop goes on, so an event loop never sees it.
 */
final class CallbackWatchdog implements AutoCloseable {
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "pwtck-callback-watchdog");
                        t.setDaemon(true);
                        return t;
                    });

    /**
     * Starting a VM (instantiation, the module's start-up code, {@code on_vm_start}, {@code
     * on_configure}) can take seconds on a cold or busy JVM where a request callback takes
     * microseconds, so it gets its own, longer deadline: enough to stop a start-up that loops, not
     * so short that a loaded machine refuses a healthy filter.
     */
    static final Duration MIN_START_DEADLINE = Duration.ofSeconds(60);

    private final Duration deadline;
    private final Duration startDeadline;
    private final ThreadLocal<Guard> current = ThreadLocal.withInitial(Guard::new);

    /** What runs on one thread: nesting depth and whether the deadline fired. */
    private static final class Guard {
        int depth;
        long seq;
        boolean running;
        boolean fired;
    }

    CallbackWatchdog(Duration deadline) {
        this.deadline = deadline;
        this.startDeadline =
                deadline.compareTo(MIN_START_DEADLINE) > 0 ? deadline : MIN_START_DEADLINE;
    }

    /**
     * Runs a task under the callback deadline, or the start deadline when it starts a VM (nested
     * tasks share the outermost deadline).
     *
     * @return true when the deadline fired while the task ran
     */
    boolean run(Runnable task, boolean startsVm) {
        Guard g = current.get();
        if (g.depth > 0) {
            g.depth++;
            try {
                task.run();
            } finally {
                g.depth--;
            }
            return false;
        }
        Thread thread = Thread.currentThread();
        long seq;
        synchronized (g) {
            seq = ++g.seq;
            g.running = true;
            g.fired = false;
        }
        ScheduledFuture<?> alarm =
                timer.schedule(
                        () -> {
                            synchronized (g) {
                                if (g.running && g.seq == seq) {
                                    g.fired = true;
                                    thread.interrupt();
                                }
                            }
                        },
                        (startsVm ? startDeadline : deadline).toNanos(),
                        TimeUnit.NANOSECONDS);
        g.depth = 1;
        try {
            task.run();
        } finally {
            g.depth = 0;
            alarm.cancel(false);
            boolean fired;
            synchronized (g) {
                g.running = false;
                fired = g.fired;
            }
            if (fired) {
                Thread.interrupted(); // clear: the event loop must not see it
            }
        }
        synchronized (g) {
            return g.fired;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
