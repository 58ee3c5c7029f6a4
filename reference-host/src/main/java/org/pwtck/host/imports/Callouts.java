package org.pwtck.host.imports;

import org.pwtck.host.abi.Status;
import org.pwtck.host.context.FilterContext;
import org.pwtck.host.context.RootContext;

/**
 * What HTTP calls, gRPC calls and gRPC streams share: a call belongs to the caller's root context
 * and remembers which context made it; if it cannot be sent it is forgotten again and the guest
 * gets INTERNAL_FAILURE; otherwise its token is written to the guest.
 */
final class Callouts {
    private Callouts() {}

    /** Starts the call on the upstream; may throw if it cannot be sent. */
    @FunctionalInterface
    interface Starter {
        void start(RootContext root, int token);
    }

    static int dispatch(HostEnvironment env, long tokenPtr, Starter starter) {
        FilterContext caller = env.effectiveContext();
        RootContext root = env.rootOf(caller);
        int token = env.nextToken();
        root.callMadeBy(token, caller.id());
        try {
            starter.start(root, token);
        } catch (RuntimeException e) {
            root.callFinished(token);
            return Status.INTERNAL_FAILURE.code();
        }
        env.memory().writeU32(tokenPtr, token);
        return Status.OK.code();
    }
}
