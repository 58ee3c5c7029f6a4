package org.pwtck.host.context;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared queues for all VMs of one host process. */
public final class InMemorySharedQueues implements SharedQueues {
    private record Key(String vmId, String name) {}

    private record QueueState(QueueOwner owner, Queue<byte[]> items) {}

    private final Map<Key, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, QueueState> queues = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();

    @Override
    public int register(String vmId, String name, QueueOwner owner) {
        return ids.computeIfAbsent(
                new Key(vmId, name),
                k -> {
                    int id = nextId.incrementAndGet();
                    queues.put(id, new QueueState(owner, new ConcurrentLinkedQueue<>()));
                    return id;
                });
    }

    @Override
    public OptionalInt resolve(String vmId, String name) {
        Integer id = ids.get(new Key(vmId, name));
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public boolean enqueue(int queueId, byte[] item) {
        QueueState q = queues.get(queueId);
        if (q == null) {
            return false;
        }
        q.items().add(item.clone());
        q.owner().onQueueReady(queueId);
        return true;
    }

    @Override
    public Optional<Optional<byte[]>> dequeue(int queueId) {
        QueueState q = queues.get(queueId);
        if (q == null) {
            return Optional.empty();
        }
        return Optional.of(Optional.ofNullable(q.items().poll()));
    }
}
