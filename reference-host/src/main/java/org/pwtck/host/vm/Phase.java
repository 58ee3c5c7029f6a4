package org.pwtck.host.vm;

/** What the VM is doing, which decides the host calls a guest may make. */
public enum Phase {
    /** {@code _initialize}, {@code _start}, {@code main}: only logging and some WASI calls. */
    START,
    /** Inside the guest's allocator, called by the host: only logging, time and fd_write. */
    ALLOCATOR,
    /** A callback: every host call the ABI version has. */
    CALLBACK,
    /** Not inside the guest. */
    IDLE
}
