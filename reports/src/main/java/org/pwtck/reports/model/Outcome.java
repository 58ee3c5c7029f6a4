package org.pwtck.reports.model;

/** What happened to one case on one host in one filter language. */
public enum Outcome {
    /** The host behaved as the case expects. */
    PASS,
    /** The host did not, and no expectation file says it is known. */
    FAIL,
    /** The host declares it does not support a feature the case needs; not a failure. */
    NOT_SUPPORTED,
    /** A known failure listed in the host's expectation file, with a reason. */
    XFAIL,
    /** Listed as a known failure but passed: the expectation file is out of date. */
    XPASS,
    /** Not run, with a reason (e.g. no filter for that language, no Envoy binary). */
    SKIPPED
}
