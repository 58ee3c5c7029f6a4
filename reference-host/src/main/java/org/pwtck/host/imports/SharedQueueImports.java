package org.pwtck.host.imports;

import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.RootContext;

/**
 * Shared queues (ABI.md §2.7). A queue belongs to the root context that registered it, and {@code
 * proxy_on_queue_ready} runs on that root context's VM, whichever VM enqueued.
 */
final class SharedQueueImports {
    private SharedQueueImports() {}

    static void register(HostFunctionTable t) {
        t.put(AbiFunction.PROXY_REGISTER_SHARED_QUEUE, SharedQueueImports::register);
        t.put(AbiFunction.PROXY_RESOLVE_SHARED_QUEUE, SharedQueueImports::resolve);
        t.put(AbiFunction.PROXY_ENQUEUE_SHARED_QUEUE, SharedQueueImports::enqueue);
        t.put(AbiFunction.PROXY_DEQUEUE_SHARED_QUEUE, SharedQueueImports::dequeue);
    }

    static int register(HostEnvironment env, long[] args) {
        String name = Args.string(env, args[0], args[1]);
        long retPtr = Args.u32(args[2]);
        env.memory().checkRange(retPtr, 4);
        RootContext root = env.rootOf(env.effectiveContext());
        HostEnvironment.Deliveries d = env.deliveries();
        int id =
                env.services()
                        .sharedQueues()
                        .register(
                                env.pluginInfo().vmId(),
                                name,
                                queueId ->
                                        env.vmExecutor()
                                                .execute(() -> d.queueReady(root, queueId)));
        env.memory().writeU32(retPtr, Integer.toUnsignedLong(id));
        return Status.OK.code();
    }

    /** An empty vm id means the caller's own. */
    static int resolve(HostEnvironment env, long[] args) {
        String vmId = Args.string(env, args[0], args[1]);
        String name = Args.string(env, args[2], args[3]);
        long retPtr = Args.u32(args[4]);
        env.memory().checkRange(retPtr, 4);
        var id =
                env.services()
                        .sharedQueues()
                        .resolve(vmId.isEmpty() ? env.pluginInfo().vmId() : vmId, name);
        if (id.isEmpty()) {
            return Status.NOT_FOUND.code();
        }
        env.memory().writeU32(retPtr, Integer.toUnsignedLong(id.getAsInt()));
        return Status.OK.code();
    }

    static int enqueue(HostEnvironment env, long[] args) {
        byte[] item = Args.bytes(env, args[1], args[2]);
        return env.services().sharedQueues().enqueue((int) args[0], item)
                ? Status.OK.code()
                : Status.NOT_FOUND.code();
    }

    static int dequeue(HostEnvironment env, long[] args) {
        env.memory().checkRange(Args.u32(args[1]), 4);
        env.memory().checkRange(Args.u32(args[2]), 4);
        var item = env.services().sharedQueues().dequeue((int) args[0]);
        if (item.isEmpty()) {
            return Status.NOT_FOUND.code();
        }
        if (item.get().isEmpty()) {
            return Status.EMPTY.code();
        }
        env.memory().copyOut(Args.u32(args[1]), Args.u32(args[2]), item.get().get());
        return Status.OK.code();
    }
}
