package org.pwtck.host.plugin;

/**
 * The filter's VM trapped (or had trapped before) and cannot serve this call. The stream it was
 * serving gets the plugin's fail policy; other VMs and plugins are unaffected.
 */
public final class FilterFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FilterFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
