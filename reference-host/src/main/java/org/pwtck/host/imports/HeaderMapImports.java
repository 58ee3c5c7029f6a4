package org.pwtck.host.imports;

import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.MapType;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.HeaderMap;

/**
 * The header, trailer and metadata map functions (ABI.md §2.4). A map that has not arrived or is
 * not the callback's is BAD_ARGUMENT, except that {@code get_header_map_pairs} then returns an
 * empty map (as Envoy does, and as SDKs that panic on other statuses expect).
 */
final class HeaderMapImports {
    private HeaderMapImports() {}

    static void register(HostFunctionTable t) {
        t.put(AbiFunction.PROXY_GET_HEADER_MAP_SIZE, HeaderMapImports::size);
        t.put(AbiFunction.PROXY_GET_HEADER_MAP_PAIRS, HeaderMapImports::getPairs);
        t.put(AbiFunction.PROXY_SET_HEADER_MAP_PAIRS, HeaderMapImports::setPairs);
        t.put(AbiFunction.PROXY_GET_HEADER_MAP_VALUE, HeaderMapImports::getValue);
        t.put(AbiFunction.PROXY_ADD_HEADER_MAP_VALUE, HeaderMapImports::addValue);
        t.put(AbiFunction.PROXY_REPLACE_HEADER_MAP_VALUE, HeaderMapImports::replaceValue);
        t.put(AbiFunction.PROXY_REMOVE_HEADER_MAP_VALUE, HeaderMapImports::removeValue);
    }

    /** Reading of the spec: the size of the serialized pairs, in bytes (erratum 10). */
    static int size(HostEnvironment env, long[] args) {
        MapType type = Args.mapType(args[0]);
        HeaderMap map = readable(env, type);
        env.memory().writeU32(Args.u32(args[1]), map.serializedSize());
        return Status.OK.code();
    }

    static int getPairs(HostEnvironment env, long[] args) {
        MapType type = Args.mapType(args[0]);
        byte[] data = StreamData.map(env, type).map(HeaderMap::serialize).orElse(new byte[0]);
        env.memory().copyOut(Args.u32(args[1]), Args.u32(args[2]), data);
        return Status.OK.code();
    }

    /** Replaces the whole map; a malformed serialized map is BAD_ARGUMENT and changes nothing. */
    static int setPairs(HostEnvironment env, long[] args) {
        MapType type = Args.mapType(args[0]);
        HeaderMap map = writable(env, type);
        map.setAll(Args.pairs(env, args[1], args[2]));
        return Status.OK.code();
    }

    /** First value of a key; a missing key is NOT_FOUND (0.2.x) or OK and empty (0.1.0). */
    static int getValue(HostEnvironment env, long[] args) {
        MapType type = Args.mapType(args[0]);
        HeaderMap map = readable(env, type);
        byte[] key = Args.bytes(env, args[1], args[2]);
        var value = map.getBytes(key);
        if (value.isEmpty() && env.pluginInfo().abiVersion() != AbiVersion.V0_1_0) {
            return Status.NOT_FOUND.code();
        }
        env.memory().copyOut(Args.u32(args[3]), Args.u32(args[4]), value.orElse(new byte[0]));
        return Status.OK.code();
    }

    static int addValue(HostEnvironment env, long[] args) {
        MapType type = Args.mapType(args[0]);
        HeaderMap map = writable(env, type);
        map.add(Args.bytes(env, args[1], args[2]), Args.bytes(env, args[3], args[4]));
        return Status.OK.code();
    }

    static int replaceValue(HostEnvironment env, long[] args) {
        MapType type = Args.mapType(args[0]);
        HeaderMap map = writable(env, type);
        map.replace(Args.bytes(env, args[1], args[2]), Args.bytes(env, args[3], args[4]));
        return Status.OK.code();
    }

    /** Removing an absent key is OK. */
    static int removeValue(HostEnvironment env, long[] args) {
        MapType type = Args.mapType(args[0]);
        HeaderMap map = writable(env, type);
        map.remove(Args.bytes(env, args[1], args[2]));
        return Status.OK.code();
    }

    private static HeaderMap readable(HostEnvironment env, MapType type) {
        return StreamData.map(env, type)
                .orElseThrow(
                        () ->
                                Args.status(
                                        Status.BAD_ARGUMENT,
                                        type + " is not available in " + env.scope().callback()));
    }

    private static HeaderMap writable(HostEnvironment env, MapType type) {
        return StreamData.writableMap(env, type)
                .orElseThrow(
                        () ->
                                Args.status(
                                        Status.BAD_ARGUMENT,
                                        type + " cannot be changed in " + env.scope().callback()));
    }
}
