package org.pwtck.host.imports;

import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.FilterContext;

/** {@code proxy_done}, {@code proxy_set_effective_context} (ABI.md §2.1). */
final class ContextImports {
    private ContextImports() {}

    static void register(HostFunctionTable t) {
        t.put(AbiFunction.PROXY_DONE, ContextImports::done);
        t.put(AbiFunction.PROXY_SET_EFFECTIVE_CONTEXT, ContextImports::setEffectiveContext);
        t.put(AbiFunction.EMSCRIPTEN_NOTIFY_MEMORY_GROWTH, (env, args) -> 0);
    }

    /** Completes a context whose {@code on_done} returned false; NOT_FOUND when none waits. */
    static int done(HostEnvironment env, long[] args) {
        FilterContext ctx = env.effectiveContext();
        if (ctx.lifecycle() != FilterContext.Lifecycle.PENDING_DONE) {
            return Status.NOT_FOUND.code();
        }
        env.finishDeferredDone(ctx);
        return Status.OK.code();
    }

    static int setEffectiveContext(HostEnvironment env, long[] args) {
        return env.setEffectiveContext((int) args[0])
                ? Status.OK.code()
                : Status.BAD_ARGUMENT.code();
    }
}
