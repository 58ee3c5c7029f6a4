package org.pwtck.host.context;

import java.util.function.LongSupplier;

/**
 * The services one host process offers every VM it runs: shared data and queues, metrics, upstream
 * calls, foreign functions, logging, timers and the clock. One instance is shared by all plugins
 * and workers of a host, so filters with the same vm id see the same data.
 */
public record HostServices(
        SharedDataStore sharedData,
        SharedQueues sharedQueues,
        Metrics metrics,
        Upstreams upstreams,
        ForeignFunctions foreignFunctions,
        FilterLog log,
        Scheduler scheduler,
        LongSupplier wallClockNanos) {

    /** In-memory services, SLF4J logging, no upstream clusters. */
    public static HostServices inMemory() {
        return new HostServices(
                new InMemorySharedDataStore(),
                new InMemorySharedQueues(),
                new InMemoryMetrics(),
                Upstreams.none(),
                ForeignFunctions.withDefaults(),
                FilterLog.slf4j(),
                Scheduler.daemon(),
                HostServices::nowNanos);
    }

    public HostServices withUpstreams(Upstreams upstreams) {
        return new HostServices(
                sharedData,
                sharedQueues,
                metrics,
                upstreams,
                foreignFunctions,
                log,
                scheduler,
                wallClockNanos);
    }

    public HostServices withLog(FilterLog log) {
        return new HostServices(
                sharedData,
                sharedQueues,
                metrics,
                upstreams,
                foreignFunctions,
                log,
                scheduler,
                wallClockNanos);
    }

    public HostServices withScheduler(Scheduler scheduler) {
        return new HostServices(
                sharedData,
                sharedQueues,
                metrics,
                upstreams,
                foreignFunctions,
                log,
                scheduler,
                wallClockNanos);
    }

    public HostServices withForeignFunctions(ForeignFunctions foreignFunctions) {
        return new HostServices(
                sharedData,
                sharedQueues,
                metrics,
                upstreams,
                foreignFunctions,
                log,
                scheduler,
                wallClockNanos);
    }

    private static long nowNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
