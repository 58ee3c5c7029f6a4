package org.pwtck.reports;

import static org.pwtck.reports.Html.esc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.pwtck.reports.model.CaseResult;
import org.pwtck.reports.model.CompatibilityReport;
import org.pwtck.reports.model.Outcome;

/**
 * One run as a self-contained HTML page: provenance, a summary per profile, the matrix of case ×
 * language grouped by area (each cell links to its evidence), then the evidence.
 */
public final class HtmlReport {
    private HtmlReport() {}

    public static String render(CompatibilityReport r) {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>pwtck — ")
                .append(esc(r.host().name()))
                .append("</title><style>")
                .append(Html.STYLE)
                .append("</style></head><body>");
        h.append("<h1>pwtck compatibility report — ").append(esc(r.host().name())).append("</h1>");
        h.append("<p class=\"muted\">")
                .append(esc(r.host().id()))
                .append(" · version ")
                .append(esc(r.host().version()))
                .append(" · engine ")
                .append(esc(r.host().engine()))
                .append(" · ")
                .append(r.isGreen() ? "<b>green</b>" : "<b>red</b>")
                .append("</p>");
        summary(h, r);
        matrix(h, r);
        evidence(h, r);
        provenance(h, r);
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void summary(StringBuilder h, CompatibilityReport r) {
        h.append("<h2>Summary</h2><p>");
        r.counts()
                .forEach(
                        (o, n) ->
                                h.append("<span class=\"badge ")
                                        .append(o)
                                        .append("\">")
                                        .append(o)
                                        .append(" ")
                                        .append(n)
                                        .append("</span>"));
        h.append("</p><table><tr><th>profile</th>");
        for (Outcome o : Outcome.values()) {
            h.append("<th>").append(o).append("</th>");
        }
        h.append("</tr>");
        Map<String, Map<Outcome, Integer>> byProfile = new TreeMap<>();
        for (CaseResult c : r.results()) {
            byProfile
                    .computeIfAbsent(c.profile(), k -> new LinkedHashMap<>())
                    .merge(c.outcome(), 1, Integer::sum);
        }
        byProfile.forEach(
                (profile, counts) -> {
                    h.append("<tr><td>").append(esc(profile)).append("</td>");
                    for (Outcome o : Outcome.values()) {
                        h.append("<td class=\"c\">")
                                .append(counts.getOrDefault(o, 0))
                                .append("</td>");
                    }
                    h.append("</tr>");
                });
        h.append("</table>");
    }

    private static void matrix(StringBuilder h, CompatibilityReport r) {
        Set<String> languages = new LinkedHashSet<>();
        for (String l : List.of("wat", "go", "rust", "tinygo")) {
            if (r.results().stream().anyMatch(c -> c.language().equals(l))) {
                languages.add(l);
            }
        }
        r.results().forEach(c -> languages.add(c.language()));
        Map<String, Map<String, Map<String, CaseResult>>> byArea = new TreeMap<>();
        for (CaseResult c : r.results()) {
            byArea.computeIfAbsent(c.area(), k -> new TreeMap<>())
                    .computeIfAbsent(c.caseId(), k -> new LinkedHashMap<>())
                    .put(c.language(), c);
        }
        h.append("<h2>Matrix</h2><table><tr><th>area</th><th>case</th><th>host calls</th>");
        languages.forEach(l -> h.append("<th>").append(esc(l)).append("</th>"));
        h.append("</tr>");
        byArea.forEach(
                (area, cases) ->
                        cases.forEach(
                                (id, byLang) -> {
                                    CaseResult any = byLang.values().iterator().next();
                                    h.append("<tr><td>")
                                            .append(esc(area))
                                            .append("</td><td title=\"")
                                            .append(esc(any.description()))
                                            .append("\">")
                                            .append(esc(id))
                                            .append(
                                                    any.evidence() != null
                                                                    && any.evidence().reading()
                                                                            != null
                                                            ? " <span class=\"muted\" title=\""
                                                                    + esc(any.evidence().reading())
                                                                    + "\">(reading)</span>"
                                                            : "")
                                            .append("</td><td><code>")
                                            .append(esc(String.join(", ", any.hostCalls())))
                                            .append("</code></td>");
                                    for (String l : languages) {
                                        CaseResult c = byLang.get(l);
                                        if (c == null) {
                                            h.append("<td></td>");
                                        } else {
                                            h.append("<td class=\"c ")
                                                    .append(c.outcome())
                                                    .append("\"><a href=\"#")
                                                    .append(anchor(c))
                                                    .append("\">")
                                                    .append(c.outcome())
                                                    .append("</a></td>");
                                        }
                                    }
                                    h.append("</tr>");
                                }));
        h.append("</table>");
    }

    private static void evidence(StringBuilder h, CompatibilityReport r) {
        h.append("<h2>Evidence</h2>");
        List<CaseResult> all = new ArrayList<>(r.results());
        for (CaseResult c : all) {
            h.append("<details id=\"")
                    .append(anchor(c))
                    .append("\"")
                    .append(
                            c.outcome() == Outcome.FAIL || c.outcome() == Outcome.XPASS
                                    ? " open"
                                    : "")
                    .append("><summary><span class=\"badge ")
                    .append(c.outcome())
                    .append("\">")
                    .append(c.outcome())
                    .append("</span><b>")
                    .append(esc(c.caseId()))
                    .append("</b> [")
                    .append(esc(c.language()))
                    .append("] — ")
                    .append(esc(c.description()))
                    .append("</summary><table>");
            row(h, "spec", c.specSection());
            row(h, "features", String.join(", ", c.features()));
            row(h, "host calls", String.join(", ", c.hostCalls()));
            row(h, "duration", c.durationMillis() + " ms");
            if (c.evidence() != null) {
                row(h, "reading", c.evidence().reading());
                row(h, "expected", c.evidence().expected());
                row(h, "actual", c.evidence().actual());
                row(h, "message", c.evidence().message());
            }
            h.append("</table>");
            if (c.evidence() != null && !c.evidence().log().isEmpty()) {
                h.append("<pre>")
                        .append(esc(String.join("\n", c.evidence().log())))
                        .append("</pre>");
            }
            h.append("</details>");
        }
    }

    private static void provenance(StringBuilder h, CompatibilityReport r) {
        h.append("<h2>Provenance</h2><table>");
        var p = r.provenance();
        row(h, "TCK", p.tckVersion() + " (" + p.tckCommit() + ")");
        row(h, "JDK", p.jdk());
        row(h, "OS", p.os() + " " + p.arch() + ", " + p.cpus() + " CPUs");
        row(h, "started", p.startedAt());
        row(h, "duration", p.durationMillis() + " ms");
        row(h, "reproduce", p.command());
        p.upstreams().forEach((k, v) -> row(h, "upstream " + k, v));
        r.host().details().forEach((k, v) -> row(h, "host " + k, v));
        h.append(
                "</table><table><tr><th>language</th><th>filter</th><th>sha256</th><th>toolchain</th><th>sdk</th></tr>");
        r.filters()
                .forEach(
                        f ->
                                h.append("<tr><td>")
                                        .append(esc(f.language()))
                                        .append("</td><td>")
                                        .append(esc(f.name()))
                                        .append("</td><td><code>")
                                        .append(esc(f.sha256()))
                                        .append("</code></td><td>")
                                        .append(esc(f.toolchain()))
                                        .append("</td><td>")
                                        .append(esc(f.sdk()))
                                        .append("</td></tr>"));
        h.append("</table>");
    }

    private static void row(StringBuilder h, String k, String v) {
        if (v != null && !v.isEmpty()) {
            h.append("<tr><th>")
                    .append(esc(k))
                    .append("</th><td>")
                    .append(esc(v))
                    .append("</td></tr>");
        }
    }

    static String anchor(CaseResult c) {
        return (c.caseId() + "-" + c.language()).replaceAll("[^A-Za-z0-9_-]", "_");
    }
}
