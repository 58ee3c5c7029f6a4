package org.pwtck.host.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pwtck.host.imports.SharedDataImportsTest.sentinel;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.Callback;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.testing.TestHost;

class SharedQueueImportsTest {
    private static final AbiFunction REGISTER = AbiFunction.PROXY_REGISTER_SHARED_QUEUE;
    private static final AbiFunction RESOLVE = AbiFunction.PROXY_RESOLVE_SHARED_QUEUE;
    private static final AbiFunction ENQUEUE = AbiFunction.PROXY_ENQUEUE_SHARED_QUEUE;
    private static final AbiFunction DEQUEUE = AbiFunction.PROXY_DEQUEUE_SHARED_QUEUE;
    private static final long OUTSIDE = 0x1FFF0;

    /** on_queue_ready records (root id, queue id) and dequeues the item inside the callback. */
    static final byte[] WASM =
            RecordingModule.module(
                    List.of(REGISTER, RESOLVE, ENQUEUE, DEQUEUE),
                    RecordingModule.callback(
                            Callback.PROXY_ON_QUEUE_READY, RecordingModule.dequeue()));

    private HostServices services;
    private TestHost host;

    @BeforeEach
    void start() {
        services = HostServices.inMemory();
        host = TestHost.start(plugin("owner", "vm"), services);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private static Plugin.Builder plugin(String name, String vmId) {
        return Plugin.builder().withName(name).withVmId(vmId).withWasm(WASM, name + ".wasm");
    }

    private static int register(TestHost h, String name) {
        int n = h.put(name);
        int slot = h.slot();
        assertEquals(0, h.call(REGISTER, n, name.length(), slot));
        assertArrayEquals(sentinel(12), h.read(slot + 4, 12), "queue id is a u32");
        return (int) h.u32(slot);
    }

    /** {status, slot}. */
    private static int[] resolve(TestHost h, String vmId, String name) {
        int v = vmId.isEmpty() ? 0 : h.put(vmId);
        int n = h.put(name);
        int slot = h.slot();
        return new int[] {h.call(RESOLVE, v, vmId.length(), n, name.length(), slot), slot};
    }

    private static int enqueue(TestHost h, int queue, String item) {
        int p = item.isEmpty() ? 0 : h.put(item);
        return h.call(ENQUEUE, queue, p, item.length());
    }

    /** {status, ptrSlot, sizeSlot}. */
    private static int[] dequeue(TestHost h, int queue) {
        int p = h.slot();
        int s = h.slot();
        return new int[] {h.call(DEQUEUE, queue, p, s), p, s};
    }

    @Test
    void registerReturnsAnIdAndReRegisteringReturnsTheSameOne() {
        int a = register(host, "a");
        int b = register(host, "b");
        assertNotEquals(0, a);
        assertNotEquals(a, b);
        assertEquals(a, register(host, "a"));
    }

    @Test
    void resolveByVmIdAndNameAndEmptyVmIdMeansOwn() {
        int id = register(host, "q");
        int[] byVm = resolve(host, "vm", "q");
        assertEquals(0, byVm[0]);
        assertEquals(id, host.u32(byVm[1]));
        assertArrayEquals(sentinel(12), host.read(byVm[1] + 4, 12));
        int[] own = resolve(host, "", "q");
        assertEquals(0, own[0]);
        assertEquals(id, host.u32(own[1]));
    }

    @Test
    void resolveUnknownIsNotFoundAndWritesNothing() {
        register(host, "q");
        int[] unknownName = resolve(host, "vm", "nope");
        assertEquals(Status.NOT_FOUND.code(), unknownName[0]);
        assertArrayEquals(sentinel(16), host.read(unknownName[1], 16));
        int[] otherVm = resolve(host, "other-vm", "q");
        assertEquals(Status.NOT_FOUND.code(), otherVm[0], "queues are namespaced by vm id");
        assertArrayEquals(sentinel(16), host.read(otherVm[1], 16));
    }

    @Test
    void enqueueAndDequeueOnUnknownIdAreNotFound() {
        assertEquals(Status.NOT_FOUND.code(), enqueue(host, 4242, "x"));
        int[] d = dequeue(host, 4242);
        assertEquals(Status.NOT_FOUND.code(), d[0]);
        assertArrayEquals(sentinel(16), host.read(d[1], 16));
        assertArrayEquals(sentinel(16), host.read(d[2], 16));
    }

    @Test
    void dequeueOnEmptyQueueIsEmpty() {
        int id = register(host, "q");
        int[] d = dequeue(host, id);
        assertEquals(Status.EMPTY.code(), d[0]);
        assertArrayEquals(sentinel(16), host.read(d[1], 16));
    }

    @Test
    void itemsComeOutInFifoOrder() {
        int id = register(host, "q");
        // Enqueue on the VM thread in one go, so on_queue_ready (which dequeues) runs after.
        host.vm
                .executor()
                .call(
                        () -> {
                            for (String item : List.of("one", "two", "three")) {
                                assertEquals(0, enqueue(host, id, item));
                            }
                            for (String item : List.of("one", "two", "three")) {
                                int[] d = dequeue(host, id);
                                assertEquals(0, d[0]);
                                assertEquals(item, host.outString(d[1], d[2]));
                            }
                            assertEquals(Status.EMPTY.code(), dequeue(host, id)[0]);
                            return null;
                        });
    }

    @Test
    void enqueueNotifiesTheRegisteringRootContextWhichCanDequeue() {
        int id = register(host, "q");
        assertEquals(0, enqueue(host, id, "payload"));
        host.vm.drain();
        List<RecordingModule.Event> events = RecordingModule.events(host);
        assertEquals(1, events.size(), events.toString());
        RecordingModule.Event e = events.get(0);
        assertEquals(Callback.PROXY_ON_QUEUE_READY, e.callback());
        assertEquals(host.root(), e.args()[0]);
        assertEquals(id, e.args()[1]);
        assertEquals(0, e.probe(0, 0), "dequeue inside on_queue_ready");
        assertEquals("payload", new String(RecordingModule.probeData(host, e, 0)));
    }

    @Test
    void emptyItemIsDeliveredAsEmpty() {
        int id = register(host, "q");
        host.vm
                .executor()
                .call(
                        () -> {
                            assertEquals(0, enqueue(host, id, ""));
                            int[] d = dequeue(host, id);
                            assertEquals(0, d[0]);
                            assertEquals(0, host.u32(d[2]));
                            return null;
                        });
    }

    @Test
    void queueReadyGoesToTheRegisteringVmWhenAnotherVmEnqueues() throws Exception {
        int id = register(host, "q");
        try (TestHost other = TestHost.start(plugin("producer", "vm"), services)) {
            int[] resolved = resolve(other, "vm", "q");
            assertEquals(0, resolved[0]);
            assertEquals(id, other.u32(resolved[1]));
            assertEquals(0, enqueue(other, id, "from-producer"));
            other.vm.drain();
            host.vm.drain();
            assertEquals(0, RecordingModule.events(other).size(), "the producer is not notified");
            List<RecordingModule.Event> events = RecordingModule.events(host);
            assertEquals(1, events.size());
            assertEquals(host.root(), events.get(0).args()[0]);
            assertEquals(id, events.get(0).args()[1]);
            assertEquals(
                    "from-producer", new String(RecordingModule.probeData(host, events.get(0), 0)));
        }
    }

    @Test
    void queuesOfAnotherVmIdAreReachableByExplicitVmId() {
        int id = register(host, "q");
        try (TestHost other = TestHost.start(plugin("other", "elsewhere"), services)) {
            assertEquals(Status.NOT_FOUND.code(), resolve(other, "", "q")[0]);
            int[] r = resolve(other, "vm", "q");
            assertEquals(0, r[0]);
            assertEquals(id, other.u32(r[1]));
        }
    }

    @Test
    void reRegisteringFromAnotherVmKeepsItemsAndMovesNotifications() {
        // cpp-host: the last registration owns the queue; items already queued stay.
        int id = register(host, "q");
        host.vm
                .executor()
                .call(
                        () -> {
                            assertEquals(0, enqueue(host, id, "early"));
                            return null;
                        });
        host.vm.drain();
        try (TestHost second = TestHost.start(plugin("second", "vm"), services)) {
            assertEquals(id, register(second, "q"));
            assertEquals(0, enqueue(second, id, "late"));
            second.vm.drain();
            host.vm.drain();
            List<RecordingModule.Event> first = RecordingModule.events(host);
            List<RecordingModule.Event> now = RecordingModule.events(second);
            assertEquals(1, first.size(), "the first owner saw only the early item");
            assertEquals("early", new String(RecordingModule.probeData(host, first.get(0), 0)));
            assertEquals(1, now.size(), "the new owner is notified");
            assertEquals(second.root(), now.get(0).args()[0]);
            assertEquals("late", new String(RecordingModule.probeData(second, now.get(0), 0)));
        }
    }

    @Test
    void registerWithBadOutPointerCreatesNoQueue() {
        int n = host.put("q");
        assertEquals(Status.INVALID_MEMORY_ACCESS.code(), host.call(REGISTER, n, 1, OUTSIDE + 14));
        assertEquals(Status.NOT_FOUND.code(), resolve(host, "", "q")[0]);
        assertEquals(Status.INVALID_MEMORY_ACCESS.code(), host.call(REGISTER, OUTSIDE, 0x100, n));
    }

    @Test
    void resolveWithBadPointersIsInvalidMemoryAccess() {
        register(host, "q");
        int n = host.put("q");
        int slot = host.slot();
        assertEquals(
                Status.INVALID_MEMORY_ACCESS.code(),
                host.call(RESOLVE, OUTSIDE, 0x100, n, 1, slot));
        assertEquals(
                Status.INVALID_MEMORY_ACCESS.code(),
                host.call(RESOLVE, 0, 0, OUTSIDE, 0x100, slot));
        assertEquals(
                Status.INVALID_MEMORY_ACCESS.code(), host.call(RESOLVE, 0, 0, n, 1, OUTSIDE + 14));
    }

    @Test
    void enqueueWithBadItemPointerQueuesAndNotifiesNothing() {
        int id = register(host, "q");
        assertEquals(Status.INVALID_MEMORY_ACCESS.code(), host.call(ENQUEUE, id, OUTSIDE, 0x100));
        host.vm.drain();
        assertEquals(0, RecordingModule.events(host).size());
        assertEquals(Status.EMPTY.code(), dequeue(host, id)[0]);
    }

    @Test
    void dequeueWithBadOutPointerDoesNotLoseTheItem() {
        int id = register(host, "q");
        host.vm
                .executor()
                .call(
                        () -> {
                            assertEquals(0, enqueue(host, id, "keep"));
                            int s = host.slot();
                            assertEquals(
                                    Status.INVALID_MEMORY_ACCESS.code(),
                                    host.call(DEQUEUE, id, OUTSIDE + 14, s));
                            int p = host.slot();
                            assertEquals(
                                    Status.INVALID_MEMORY_ACCESS.code(),
                                    host.call(DEQUEUE, id, p, OUTSIDE + 14));
                            int[] d = dequeue(host, id);
                            assertEquals(0, d[0]);
                            assertEquals("keep", host.outString(d[1], d[2]));
                            return null;
                        });
        assertTrue(RecordingModule.events(host).size() <= 1);
    }
}
