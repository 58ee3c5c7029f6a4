package org.pwtck.cli;

/**
 * The command line named something unusable: a file that is missing or not a wasm module, an
 * unknown host, a budget that does not parse. Exit code {@link Main#BAD_INPUT}; the message names
 * the input and the reason.
 */
public final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
