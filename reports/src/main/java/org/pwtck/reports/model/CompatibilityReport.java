package org.pwtck.reports.model;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A TCK run against one host: the canonical JSON form ({@link #SCHEMA_VERSION}). HTML and JUnit XML
 * are rendered from it; several reports merge into one side-by-side page.
 */
public record CompatibilityReport(
        String schemaVersion,
        HostInfo host,
        Provenance provenance,
        List<FilterInfo> filters,
        List<CaseResult> results) {

    public static final String SCHEMA_VERSION = "pwtck.report/v1";

    /** How many results have each outcome. */
    public Map<Outcome, Integer> counts() {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            counts.put(o, 0);
        }
        results.forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
        return counts;
    }

    /** Green when nothing failed and no known failure unexpectedly passed. */
    public boolean isGreen() {
        return results.stream()
                .noneMatch(r -> r.outcome() == Outcome.FAIL || r.outcome() == Outcome.XPASS);
    }
}
