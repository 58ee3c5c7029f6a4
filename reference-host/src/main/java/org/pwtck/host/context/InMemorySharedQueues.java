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

    /** The owner is replaced by each registration; the items stay. */
    private static final class QueueState {
        volatile QueueOwner owner;
        final Queue<byte[]> items = new ConcurrentLinkedQueue<>();

        QueueState(QueueOwner owner) {
            this.owner = owner;
        }
    }

    private final Map<Key, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, QueueState> queues = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();

    /**
     * Re-registering a name returns the same id and makes the caller the owner, as cpp-host does:
     * with one VM per worker thread, each registers in its start-up and the last one is notified; a
     * VM that went away does not keep the notifications.
     */
    @Override
    public int register(String vmId, String name, QueueOwner owner) {
        int[] created = {0};
        int id =
                ids.computeIfAbsent(
                        new Key(vmId, name),
                        k -> {
                            int fresh = nextId.incrementAndGet();
                            queues.put(fresh, new QueueState(owner));
                            created[0] = fresh;
                            return fresh;
                        });
        if (created[0] == 0) {
            queues.get(id).owner = owner;
        }
        return id;
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
        q.items.add(item.clone());
        q.owner.onQueueReady(queueId);
        return true;
    }

    @Override
    public Optional<Optional<byte[]>> dequeue(int queueId) {
        QueueState q = queues.get(queueId);
        if (q == null) {
            return Optional.empty();
        }
        return Optional.of(Optional.ofNullable(q.items.poll()));
    }
}
