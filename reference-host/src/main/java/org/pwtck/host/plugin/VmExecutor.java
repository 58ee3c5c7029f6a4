package org.pwtck.host.plugin;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one thread a VM runs on. A Chicory instance must never be entered from two threads, so every
 * guest call goes through here: directly when already on the thread, else handed over and waited
 * for. The proxy server passes its Netty event loop; the default is a dedicated daemon thread.
 */
public interface VmExecutor {

    boolean inThread();

    /** Runs a task on the VM thread later; once the thread has stopped, the task is dropped. */
    void execute(Runnable task);

    /**
     * Hands a task to the VM thread, throwing {@link RejectedExecutionException} when it will never
     * run. {@link #call} uses it so that no caller waits forever on a stopped VM thread.
     */
    default void submit(Runnable task) {
        execute(task);
    }

    /** Stops a dedicated thread; an event loop the VM does not own is left alone. */
    default void shutdown() {}

    /** Runs a task on the VM thread and returns its result, rethrowing what it threw. */
    default <T> T call(Callable<T> task) {
        if (inThread()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            submit(
                    () -> {
                        try {
                            result.complete(task.call());
                        } catch (Throwable t) {
                            result.completeExceptionally(t);
                        }
                    });
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the VM's thread has stopped: the VM is closed", e);
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the VM thread", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * The calling thread itself: every task runs at once, where it is submitted. For a caller that
     * owns the VM and makes every call on one thread (a benchmark, a test, a loop that drives the
     * VM itself); timer ticks and call responses then run on whichever thread delivers them.
     */
    static VmExecutor callingThread() {
        return new VmExecutor() {
            @Override
            public boolean inThread() {
                return true;
            }

            @Override
            public void execute(Runnable task) {
                task.run();
            }
        };
    }

    /** A dedicated daemon thread. */
    static VmExecutor dedicatedThread(String name) {
        AtomicReference<Thread> thread = new AtomicReference<>();
        ExecutorService executor =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, name);
                            t.setDaemon(true);
                            thread.set(t);
                            return t;
                        });
        return new VmExecutor() {
            @Override
            public boolean inThread() {
                return Thread.currentThread() == thread.get();
            }

            @Override
            public void execute(Runnable task) {
                try {
                    executor.execute(task);
                } catch (RejectedExecutionException e) {
                    // The VM is closed: late timer ticks and call responses are dropped.
                }
            }

            @Override
            public void submit(Runnable task) {
                executor.execute(task);
            }

            @Override
            public void shutdown() {
                executor.shutdown();
            }
        };
    }
}
