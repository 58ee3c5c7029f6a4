package org.pwtck.host.imports;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pwtck.host.context.Scheduler;

/** A {@link Scheduler} that fires only when a test says so; no real time involved. */
final class ManualScheduler implements Scheduler {
    record Scheduled(Duration period, Runnable action, AtomicBoolean cancelled) {
        boolean live() {
            return !cancelled.get();
        }
    }

    final List<Scheduled> tasks = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Task schedulePeriodic(Duration period, Runnable action) {
        Scheduled s = new Scheduled(period, action, new AtomicBoolean());
        tasks.add(s);
        return () -> s.cancelled().set(true);
    }

    List<Scheduled> live() {
        synchronized (tasks) {
            return tasks.stream().filter(Scheduled::live).toList();
        }
    }

    /** Fires every live task once, as one period elapsing would. */
    void elapse() {
        live().forEach(s -> s.action().run());
    }
}
