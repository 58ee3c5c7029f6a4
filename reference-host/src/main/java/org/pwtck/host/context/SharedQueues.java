package org.pwtck.host.context;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Shared queues (ABI.md §2.7): registered by a root context, resolved by (vm id, name) from any VM,
 * and when an item is enqueued the owner is told through {@link QueueOwner#onQueueReady}.
 */
public interface SharedQueues {

    /** Whoever registered a queue; told on its own thread when an item arrives. */
    interface QueueOwner {
        void onQueueReady(int queueId);
    }

    /**
     * Registers (or re-opens) a queue: re-registering returns the existing id, keeps its items and
     * makes the new caller the owner that is notified (cpp-host).
     */
    int register(String vmId, String name, QueueOwner owner);

    OptionalInt resolve(String vmId, String name);

    /**
     * @return false when the id is unknown
     */
    boolean enqueue(int queueId, byte[] item);

    /** Empty optional when the id is unknown; an empty inner optional when the queue is empty. */
    Optional<Optional<byte[]>> dequeue(int queueId);
}
