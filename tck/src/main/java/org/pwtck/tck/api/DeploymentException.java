package org.pwtck.tck.api;

/** A host refused or failed to load a filter; the message names the host and its reason. */
public class DeploymentException extends Exception {
    private static final long serialVersionUID = 1L;

    public DeploymentException(String message) {
        super(message);
    }

    public DeploymentException(String message, Throwable cause) {
        super(message, cause);
    }
}
