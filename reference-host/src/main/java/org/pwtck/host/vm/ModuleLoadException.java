package org.pwtck.host.vm;

/** A module was refused at load time; the message names the module and the reason. */
public final class ModuleLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModuleLoadException(String message) {
        super(message);
    }

    public ModuleLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
