package org.pwtck.host.upstream;

/** One-line reasons for failed connections, for answers and call statuses people read. */
public final class Causes {
    private Causes() {}

    /** The innermost cause's message (Netty and the JDK wrap the useful one several times). */
    public static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
