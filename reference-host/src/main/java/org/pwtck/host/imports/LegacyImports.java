package org.pwtck.host.imports;

import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.Status;
import org.pwtck.host.abi.StreamType;
import org.pwtck.host.context.FilterContext;
import org.pwtck.host.context.HttpContext;
import org.pwtck.host.context.StreamListener;

/**
 * The four functions only ABI 0.1.0 has. They return an i32 status, as every SDK and cpp-host
 * declare them, although the 0.1.0 spec text says they return nothing (erratum 8).
 */
final class LegacyImports {
    private LegacyImports() {}

    static void register(HostFunctionTable t) {
        t.put(AbiFunction.PROXY_GET_CONFIGURATION, LegacyImports::getConfiguration);
        t.put(
                AbiFunction.PROXY_CONTINUE_REQUEST,
                (env, args) ->
                        StreamImports.control(
                                env, StreamType.HTTP_REQUEST, StreamListener::onContinue));
        t.put(
                AbiFunction.PROXY_CONTINUE_RESPONSE,
                (env, args) ->
                        StreamImports.control(
                                env, StreamType.HTTP_RESPONSE, StreamListener::onContinue));
        t.put(AbiFunction.PROXY_CLEAR_ROUTE_CACHE, LegacyImports::clearRouteCache);
    }

    /** The plugin configuration during {@code on_configure}, the VM configuration otherwise. */
    static int getConfiguration(HostEnvironment env, long[] args) {
        byte[] config =
                env.scope().callback().equals("proxy_on_configure")
                        ? env.pluginInfo().pluginConfiguration()
                        : env.pluginInfo().vmConfiguration();
        env.memory().copyOut(Args.u32(args[0]), Args.u32(args[1]), config);
        return Status.OK.code();
    }

    static int clearRouteCache(HostEnvironment env, long[] args) {
        FilterContext ctx = env.effectiveContext();
        if (!(ctx instanceof HttpContext http)) {
            return Status.NOT_FOUND.code();
        }
        env.afterCallback(() -> http.listener().onClearRouteCache());
        return Status.OK.code();
    }
}
