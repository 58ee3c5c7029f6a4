package org.pwtck.reports.model;

import java.util.List;

/**
 * Why a case got its outcome: what it expected and what it saw, the failure message, the reading of
 * the spec it checks where the spec is unclear, and relevant log lines.
 */
public record Evidence(
        String expected, String actual, String message, String reading, List<String> log) {

    public static Evidence none() {
        return new Evidence(null, null, null, null, List.of());
    }
}
