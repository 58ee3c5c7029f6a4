package org.pwtck.host.imports;

import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.abi.Status;

/** {@code proxy_log}, {@code proxy_get_log_level} (ABI.md §2.2). */
final class LoggingImports {
    private LoggingImports() {}

    static void register(HostFunctionTable t) {
        t.put(AbiFunction.PROXY_LOG, LoggingImports::log);
        t.put(AbiFunction.PROXY_GET_LOG_LEVEL, LoggingImports::getLogLevel);
    }

    static int log(HostEnvironment env, long[] args) {
        LogLevel level = Args.logLevel(args[0]);
        String message = Args.string(env, args[1], args[2]);
        if (level.code() >= env.pluginInfo().logLevel().code()) {
            env.services().log().log(env.pluginInfo().name(), level, message);
        }
        return Status.OK.code();
    }

    static int getLogLevel(HostEnvironment env, long[] args) {
        env.memory().writeU32(Args.u32(args[0]), env.pluginInfo().logLevel().code());
        return Status.OK.code();
    }
}
