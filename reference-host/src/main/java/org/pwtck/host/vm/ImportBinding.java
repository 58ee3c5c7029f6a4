package org.pwtck.host.vm;

import java.util.List;
import org.pwtck.host.abi.WasmType;

/**
 * One function the host offers a module: where it is imported from, its exact signature, the code
 * that runs, and whether it may run in the restricted phases (module start-up, allocator).
 */
public record ImportBinding(
        String module,
        String name,
        List<WasmType> params,
        List<WasmType> results,
        HostCall call,
        boolean allowedAtStart,
        boolean allowedInAllocator) {

    /** The Java side of one host function; arguments arrive as longs, as in Chicory. */
    @FunctionalInterface
    public interface HostCall {
        long[] call(long[] args);
    }

    public String qualifiedName() {
        return module + "." + name;
    }
}
