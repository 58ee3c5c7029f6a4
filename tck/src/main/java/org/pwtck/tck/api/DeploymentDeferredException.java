package org.pwtck.tck.api;

/**
 * The host recorded the deployment for later instead of making it (an external proxy's bundle
 * phase): the case is SKIPPED with this message, not failed.
 */
public class DeploymentDeferredException extends DeploymentException {
    private static final long serialVersionUID = 1L;

    public DeploymentDeferredException(String message) {
        super(message);
    }
}
