package org.pwtck.host.imports;

import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.ForeignFunctions;

/** {@code proxy_call_foreign_function}: an unknown name is NOT_FOUND (ABI.md §2.9). */
final class ForeignFunctionImports {
    private ForeignFunctionImports() {}

    static void register(HostFunctionTable t) {
        t.put(AbiFunction.PROXY_CALL_FOREIGN_FUNCTION, ForeignFunctionImports::call);
    }

    /**
     * A result pointer of 0 discards the result. Out pointers are checked before the function runs:
     * a function may have effects, which must not happen for a call that then fails.
     */
    static int call(HostEnvironment env, long[] args) {
        String name = Args.string(env, args[0], args[1]);
        byte[] arguments = Args.bytes(env, args[2], args[3]);
        long retPtr = Args.u32(args[4]);
        if (retPtr != 0) {
            env.memory().checkRange(retPtr, 4);
            env.memory().checkRange(Args.u32(args[5]), 4);
        }
        var function = env.services().foreignFunctions().lookup(name);
        if (function.isEmpty()) {
            return Status.NOT_FOUND.code();
        }
        ForeignFunctions.Result result = function.get().call(arguments);
        if (result.status() == Status.OK && retPtr != 0) {
            env.memory().copyOut(retPtr, Args.u32(args[5]), result.value());
        }
        return result.status().code();
    }
}
