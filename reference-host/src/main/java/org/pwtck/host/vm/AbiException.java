package org.pwtck.host.vm;

import org.pwtck.host.abi.Status;

/**
 * Ends a host call early with a status: a bad guest pointer, an out-of-range enum, a map that is
 * not available. Thrown by host-function code and turned into the returned status in exactly one
 * place; it never reaches the guest or the embedder as an exception.
 */
public final class AbiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Status status;

    public AbiException(Status status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public Status status() {
        return status;
    }
}
