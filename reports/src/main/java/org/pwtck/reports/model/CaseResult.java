package org.pwtck.reports.model;

import java.util.List;

/** One case in one filter language: its identity, what it exercises, and its outcome. */
public record CaseResult(
        String caseId,
        String description,
        String area,
        List<String> hostCalls,
        List<String> features,
        String specSection,
        String profile,
        String language,
        Outcome outcome,
        long durationMillis,
        Evidence evidence) {}
