package org.pwtck.host.imports;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.pwtck.host.abi.Header;
import org.pwtck.host.context.CallbackScope;
import org.pwtck.host.context.FilterContext;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.context.PluginInfo;
import org.pwtck.host.context.RootContext;
import org.pwtck.host.context.Upstreams;
import org.pwtck.host.vm.GuestMemory;

/**
 * Everything a host function may touch: guest memory, the current callback, the effective context,
 * the plugin and the host services. Implemented by the VM that runs the guest.
 */
public interface HostEnvironment {

    GuestMemory memory();

    /** The callback running now. */
    CallbackScope scope();

    /**
     * The context host calls act on: the one whose callback is running, or the one chosen with
     * {@code proxy_set_effective_context} during this callback (ABI.md §1.6).
     */
    FilterContext effectiveContext();

    Optional<FilterContext> context(int id);

    RootContext rootOf(FilterContext context);

    /**
     * @return false when no context has that id
     */
    boolean setEffectiveContext(int id);

    PluginInfo pluginInfo();

    HostServices services();

    /** Runs an action on this VM's thread after the current callback has returned. */
    void afterCallback(Runnable action);

    /** Runs an action on this VM's thread; safe to call from any thread. */
    Executor vmExecutor();

    /** A new token for an HTTP or gRPC call, unique in this VM. */
    int nextToken();

    /** Finishes a context whose {@code proxy_on_done} returned false. */
    void finishDeferredDone(FilterContext context);

    /** Calls back into the guest; every method must run on the VM's thread. */
    Deliveries deliveries();

    /** The guest callbacks that report asynchronous events to a root context. */
    interface Deliveries {
        void httpCallResponse(RootContext root, int token, Upstreams.HttpCallResult result);

        void grpcInitialMetadata(RootContext root, int token, List<Header> metadata);

        void grpcMessage(RootContext root, int token, byte[] message);

        void grpcTrailingMetadata(RootContext root, int token, List<Header> metadata);

        void grpcClose(RootContext root, int token, int status, String message);

        void tick(RootContext root);

        void queueReady(RootContext root, int queueId);
    }
}
