package org.pwtck.host.imports;

import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.SharedDataStore;

/** Shared key/value data, namespaced by vm id (ABI.md §2.7). */
final class SharedDataImports {
    private SharedDataImports() {}

    static void register(HostFunctionTable t) {
        t.put(AbiFunction.PROXY_GET_SHARED_DATA, SharedDataImports::get);
        t.put(AbiFunction.PROXY_SET_SHARED_DATA, SharedDataImports::set);
    }

    static int get(HostEnvironment env, long[] args) {
        String key = Args.string(env, args[0], args[1]);
        var entry = env.services().sharedData().get(env.pluginInfo().vmId(), key);
        if (entry.isEmpty()) {
            return Status.NOT_FOUND.code();
        }
        SharedDataStore.Entry e = entry.get();
        env.memory().checkRange(Args.u32(args[4]), 4);
        env.memory().copyOut(Args.u32(args[2]), Args.u32(args[3]), e.value());
        env.memory().writeU32(Args.u32(args[4]), Integer.toUnsignedLong(e.cas()));
        return Status.OK.code();
    }

    /** No delete: a null or empty value stores an empty value (cpp-host). */
    static int set(HostEnvironment env, long[] args) {
        String key = Args.string(env, args[0], args[1]);
        byte[] value = Args.bytes(env, args[2], args[3]);
        int cas = (int) args[4];
        return env.services().sharedData().set(env.pluginInfo().vmId(), key, value, cas).code();
    }
}
