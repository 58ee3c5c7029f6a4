package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outData;
import static org.pwtck.tck.probe.ProbeArg.outU32;
import static org.pwtck.tck.probe.ProbeArg.outU64;
import static org.pwtck.tck.probe.ProbeArg.str;
import static org.pwtck.tck.probe.ProbeArg.var;

import java.time.Duration;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.Profile;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/** Root-context work: ticks and shared queues (ABI.md §2.2, §2.7). */
public class BackgroundCases {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @ConformanceCase(
            id = "TickPeriodCallsOnTick",
            description =
                    "proxy_set_tick_period_milliseconds(20) in on_configure makes the host call proxy_on_tick with the root context id",
            features = Feature.TIMERS,
            hostCalls = {"proxy_set_tick_period_milliseconds", "proxy_on_tick"},
            spec = "spec v0.2.1 \"Timers\"; ABI.md §2.2",
            profile = Profile.BACKGROUND)
    void tick(TckCase tck) {
        ProbeScenario s =
                ProbeScenario.create()
                        .on(
                                "on_configure",
                                cb ->
                                        cb.call("proxy_set_tick_period_milliseconds", num(20))
                                                .report("shared_data"))
                        .on(
                                "on_tick",
                                cb ->
                                        cb.call("proxy_get_current_time_nanoseconds", outU64())
                                                .report("shared_data")
                                                .once());
        ProbeReport r = tck.awaitRootRecord(tck.deployProbe(s), "on_tick", WAIT);
        assertEquals(0, r.step("on_configure", 0).status());
        long configureRoot = r.record("on_configure").contextId();
        tck.evidence("on_tick(root " + configureRoot + ")", r.record("on_tick").args().toString());
        assertEquals(configureRoot, r.record("on_tick").contextId());
    }

    @ConformanceCase(
            id = "SharedQueueEnqueueNotifiesOwner",
            description =
                    "an item enqueued on a queue the root context registered triggers proxy_on_queue_ready(root, queue id); dequeue returns the item, then EMPTY",
            features = {Feature.SHARED_QUEUE, Feature.TIMERS},
            hostCalls = {
                "proxy_register_shared_queue",
                "proxy_resolve_shared_queue",
                "proxy_enqueue_shared_queue",
                "proxy_dequeue_shared_queue",
                "proxy_on_queue_ready"
            },
            spec = "spec v0.2.1 \"Shared Queues\"; ABI.md §2.7",
            profile = Profile.BACKGROUND)
    void queue(TckCase tck) {
        ProbeScenario s =
                ProbeScenario.create()
                        .on(
                                "on_configure",
                                cb ->
                                        cb.callAndSave(
                                                        "q",
                                                        "proxy_register_shared_queue",
                                                        str("pwtck.queue"),
                                                        outU32())
                                                .call(
                                                        "proxy_resolve_shared_queue",
                                                        str(""),
                                                        str("pwtck.queue"),
                                                        outU32())
                                                .call("proxy_set_tick_period_milliseconds", num(20))
                                                .report("shared_data"))
                        .on(
                                "on_tick",
                                cb ->
                                        cb.call(
                                                        "proxy_enqueue_shared_queue",
                                                        var("q"),
                                                        str("hello"))
                                                .call("proxy_set_tick_period_milliseconds", num(0))
                                                .once())
                        .on(
                                "on_queue_ready",
                                cb -> {
                                    for (int i = 0; i < QUEUE_DEQUEUES; i++) {
                                        cb.call(
                                                "proxy_dequeue_shared_queue",
                                                var("queue_id"),
                                                outData());
                                    }
                                    cb.report("shared_data").once();
                                });
        ProbeReport r = tck.awaitRootRecord(tck.deployProbe(s), "on_queue_ready", WAIT);
        var configure = r.record("on_configure");
        long registered = configure.step(0).out(0).value();
        assertEquals(0, configure.step(0).status(), "register");
        assertEquals(0, configure.step(1).status(), "resolve with an empty vm id");
        assertEquals(
                registered, configure.step(1).out(0).value(), "resolve returns the registered id");
        var ready = r.record("on_queue_ready");
        StringBuilder dequeues = new StringBuilder();
        for (int i = 0; i < QUEUE_DEQUEUES; i++) {
            dequeues.append(' ').append(ready.step(i));
        }
        tck.evidence(
                "on_queue_ready(root, " + registered + "), dequeue hello (once per VM) then EMPTY",
                ready.args() + dequeues.toString());
        assertEquals(
                configure.contextId(),
                ready.args().get(0),
                "delivered to the registering root context");
        assertEquals(registered, ready.args().get(1), "queue id");
        assertEquals(0, ready.step(0).status());
        assertEquals("hello", ready.step(0).out(0).text());
        // A host with several VMs per plugin (Envoy: one on the main thread and one per worker)
        // runs on_configure and on_tick in each, so each VM may have enqueued its "hello" before
        // this first on_queue_ready dequeues. What the case checks does not depend on how many
        // did: every item dequeued is "hello", and once the queue is drained it answers EMPTY (7)
        // and stays EMPTY.
        boolean drained = false;
        for (int i = 1; i < QUEUE_DEQUEUES; i++) {
            var step = ready.step(i);
            if (drained) {
                assertEquals(7, step.status(), "dequeue " + (i + 1) + " after EMPTY is EMPTY");
            } else if (step.status() == 7) {
                drained = true;
            } else {
                assertEquals(0, step.status(), "dequeue " + (i + 1) + " is OK or EMPTY");
                assertEquals("hello", step.out(0).text(), "dequeue " + (i + 1));
            }
        }
        assertTrue(
                drained,
                "no EMPTY after "
                        + QUEUE_DEQUEUES
                        + " dequeues: more than "
                        + (QUEUE_DEQUEUES - 1)
                        + " VMs enqueued, or the queue never drains");
    }

    /**
     * Dequeues in the first on_queue_ready: more than the VMs a host runs per plugin at the TCK's
     * concurrency (Envoy with one worker: three), so the queue is drained and EMPTY is seen.
     */
    private static final int QUEUE_DEQUEUES = 8;

    @ConformanceCase(
            id = "UnknownQueueIsNotFound",
            description =
                    "enqueue and dequeue on a queue id never registered return NOT_FOUND; resolving an unknown name returns NOT_FOUND",
            features = Feature.SHARED_QUEUE,
            hostCalls = {
                "proxy_enqueue_shared_queue",
                "proxy_dequeue_shared_queue",
                "proxy_resolve_shared_queue"
            },
            spec = "ABI.md §2.7",
            profile = Profile.ROBUSTNESS)
    void unknownQueue(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_enqueue_shared_queue",
                                                                num(987654),
                                                                str("x"))
                                                        .call(
                                                                "proxy_dequeue_shared_queue",
                                                                num(987654),
                                                                outData())
                                                        .call(
                                                                "proxy_resolve_shared_queue",
                                                                str(""),
                                                                str("pwtck.never"),
                                                                outU32())
                                                        .reportLocalResponse(200)),
                        org.pwtck.tck.http.TckRequest.get("/"));
        for (int i = 0; i < 3; i++) {
            assertEquals(1, r.step("on_request_headers", i).status(), "step " + i);
        }
    }

    @ConformanceCase(
            id = "RecordMetricOnGauge",
            description = "proxy_record_metric sets a gauge to the recorded value",
            features = Feature.METRICS,
            hostCalls = {"proxy_define_metric", "proxy_record_metric", "proxy_get_metric"},
            spec = "spec v0.2.1 \"Metrics\"; ABI.md §2.8")
    void recordGauge(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.callAndSave(
                                                                "g",
                                                                "proxy_define_metric",
                                                                num(1),
                                                                str(
                                                                        "pwtck_recorded_"
                                                                                + tck.language()),
                                                                outU32())
                                                        .call(
                                                                "proxy_record_metric",
                                                                var("g"),
                                                                num(42))
                                                        .call(
                                                                "proxy_get_metric",
                                                                var("g"),
                                                                outU64())
                                                        .reportLocalResponse(200)),
                        org.pwtck.tck.http.TckRequest.get("/"));
        assertEquals(0, r.step("on_request_headers", 1).status());
        assertEquals(42, r.step("on_request_headers", 2).out(0).value());
    }
}
