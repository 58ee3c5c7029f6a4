package org.pwtck.tck.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pwtck.reports.model.CaseResult;

/** Results of one run, one per case invocation, from any thread. */
public final class ResultCollector {
    private final Map<String, CaseResult> byInvocation = new ConcurrentHashMap<>();

    /** Records (or replaces) the result of one invocation, keyed by its JUnit unique id. */
    public void record(String invocationId, CaseResult result) {
        byInvocation.put(invocationId, result);
    }

    public boolean has(String invocationId) {
        return byInvocation.containsKey(invocationId);
    }

    /** Sorted by case id, then language, so reports diff cleanly. */
    public List<CaseResult> results() {
        List<CaseResult> all = new ArrayList<>(byInvocation.values());
        all.sort(Comparator.comparing(CaseResult::caseId).thenComparing(CaseResult::language));
        return all;
    }
}
