package org.pwtck.host.imports;

import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.MetricType;
import org.pwtck.host.abi.Status;

/** Metrics (ABI.md §2.8); values are 64-bit and written as 8 bytes. */
final class MetricsImports {
    private MetricsImports() {}

    static void register(HostFunctionTable t) {
        t.put(AbiFunction.PROXY_DEFINE_METRIC, MetricsImports::define);
        t.put(
                AbiFunction.PROXY_RECORD_METRIC,
                (env, args) -> env.services().metrics().record((int) args[0], args[1]).code());
        t.put(
                AbiFunction.PROXY_INCREMENT_METRIC,
                (env, args) -> env.services().metrics().increment((int) args[0], args[1]).code());
        t.put(AbiFunction.PROXY_GET_METRIC, MetricsImports::get);
    }

    static int define(HostEnvironment env, long[] args) {
        MetricType type = Args.metricType(args[0]);
        String name = Args.string(env, args[1], args[2]);
        long retPtr = Args.u32(args[3]);
        env.memory().checkRange(retPtr, 4);
        int id = env.services().metrics().define(type, name);
        env.memory().writeU32(retPtr, Integer.toUnsignedLong(id));
        return Status.OK.code();
    }

    static int get(HostEnvironment env, long[] args) {
        long retPtr = Args.u32(args[1]);
        env.memory().checkRange(retPtr, 8);
        long[] value = new long[1];
        Status status = env.services().metrics().get((int) args[0], value);
        if (status == Status.OK) {
            env.memory().writeU64(retPtr, value[0]);
        }
        return status.code();
    }
}
