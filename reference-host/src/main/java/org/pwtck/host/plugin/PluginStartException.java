package org.pwtck.host.plugin;

/**
 * A plugin could not start: start-up trapped, or {@code on_vm_start}/{@code on_configure} said no.
 */
public final class PluginStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PluginStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
