package org.pwtck.host.vm;

/**
 * The guest trapped (unreachable, out-of-bounds access, a restricted host call, proc_exit, a host
 * deadline) while running a callback. The VM that threw it must not be used again.
 */
public final class GuestTrapException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GuestTrapException(String message, Throwable cause) {
        super(message, cause);
    }
}
