package org.pwtck.host.imports;

/**
 * The Java side of one {@code proxy_*} host function. It returns a status code, or throws {@link
 * org.pwtck.host.vm.AbiException} to return one early; void functions return 0 and it is dropped.
 */
@FunctionalInterface
public interface HostCallHandler {
    int call(HostEnvironment env, long[] args);
}
