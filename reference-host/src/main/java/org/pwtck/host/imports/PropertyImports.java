package org.pwtck.host.imports;

import java.util.List;
import java.util.Optional;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.PropertyPath;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.FilterContext;

/**
 * {@code proxy_get_property} and {@code proxy_set_property} (ABI.md §5). Well-known paths are
 * answered by {@link WellKnownProperties} with Envoy's encodings; anything else is what {@code
 * proxy_set_property} stored on the context (or its root), else NOT_FOUND.
 */
final class PropertyImports {
    private PropertyImports() {}

    static void register(HostFunctionTable t) {
        t.put(AbiFunction.PROXY_GET_PROPERTY, PropertyImports::get);
        t.put(AbiFunction.PROXY_SET_PROPERTY, PropertyImports::set);
    }

    static int get(HostEnvironment env, long[] args) {
        List<String> path = PropertyPath.decode(Args.bytes(env, args[0], args[1]));
        Optional<byte[]> value = WellKnownProperties.resolve(env, path);
        if (value.isEmpty()) {
            value = stored(env, path);
        }
        if (value.isEmpty()) {
            return Status.NOT_FOUND.code();
        }
        env.memory().copyOut(Args.u32(args[2]), Args.u32(args[3]), value.get());
        return Status.OK.code();
    }

    /** Stores raw bytes on the effective context; well-known paths are read-only. */
    static int set(HostEnvironment env, long[] args) {
        List<String> path = PropertyPath.decode(Args.bytes(env, args[0], args[1]));
        byte[] value = Args.bytes(env, args[2], args[3]);
        if (WellKnownProperties.isWellKnown(path)) {
            return Status.BAD_ARGUMENT.code();
        }
        env.effectiveContext().filterState().put(key(path), value);
        return Status.OK.code();
    }

    private static Optional<byte[]> stored(HostEnvironment env, List<String> path) {
        FilterContext ctx = env.effectiveContext();
        byte[] value = ctx.filterState().get(key(path));
        if (value == null && !ctx.isRoot()) {
            value = env.rootOf(ctx).filterState().get(key(path));
        }
        return Optional.ofNullable(value).map(byte[]::clone);
    }

    private static String key(List<String> path) {
        return String.join("\0", path);
    }
}
