package org.pwtck.tck.api;

/** Bundles of features a host can claim as a whole (Gateway API's profiles). */
public enum Profile {
    /** HTTP filters: headers, bodies, local responses, stream control, the core host calls. */
    HTTP_FILTER,
    /** Network (L4) filters. */
    TCP_FILTER,
    /** Root-context work: ticks, queues, shared data, calls made from the root. */
    BACKGROUND,
    /** How a host treats bad input: bad enums, bad pointers, bad modules, traps. */
    ROBUSTNESS
}
