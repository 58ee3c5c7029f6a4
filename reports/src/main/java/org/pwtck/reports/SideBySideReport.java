package org.pwtck.reports;

import static org.pwtck.reports.Html.esc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.pwtck.reports.model.CaseResult;
import org.pwtck.reports.model.CompatibilityReport;
import org.pwtck.reports.model.Outcome;

/**
 * Several runs on one page: a summary per host, then one matrix of case × (host, language), each
 * cell linking to that host's own report; and a "host differences" page listing every case and
 * language where the hosts' outcomes differ, with the evidence of each side.
 */
public final class SideBySideReport {
    private SideBySideReport() {}

    /** A report and where its own page is, relative to the side-by-side page. */
    public record Run(CompatibilityReport report, String href) {}

    /** One case in one language whose outcome is not the same on every host. */
    public record Difference(String caseId, String language, Map<String, CaseResult> byHost) {}

    public static String index(List<Run> runs) {
        StringBuilder h = head("pwtck — hosts side by side");
        h.append("<h1>pwtck — hosts side by side</h1>");
        h.append("<p class=\"muted\">")
                .append(runs.size())
                .append(" runs · <a href=\"differences.html\">")
                .append(differences(runs).size())
                .append(" host differences</a></p>");
        h.append(
                "<h2>Hosts</h2><table><tr><th>host</th><th>version</th><th>engine</th><th>run</th>");
        for (Outcome o : Outcome.values()) {
            h.append("<th>").append(o).append("</th>");
        }
        h.append("</tr>");
        for (Run run : runs) {
            CompatibilityReport r = run.report();
            h.append("<tr><td><a href=\"")
                    .append(esc(run.href()))
                    .append("\">")
                    .append(esc(r.host().name()))
                    .append("</a></td><td>")
                    .append(esc(r.host().version()))
                    .append("</td><td>")
                    .append(esc(r.host().engine()))
                    .append("</td><td>")
                    .append(esc(r.provenance().startedAt()))
                    .append("</td>");
            r.counts()
                    .forEach(
                            (o, n) ->
                                    h.append("<td class=\"c ")
                                            .append(n > 0 ? o : "")
                                            .append("\">")
                                            .append(n)
                                            .append("</td>"));
            h.append("</tr>");
        }
        h.append("</table>");

        List<String> languages = languages(runs);
        Map<String, Map<String, CaseResult>> cells = new TreeMap<>();
        Map<String, String> areas = new TreeMap<>();
        for (int i = 0; i < runs.size(); i++) {
            for (CaseResult c : runs.get(i).report().results()) {
                cells.computeIfAbsent(c.caseId(), k -> new TreeMap<>())
                        .put(i + "/" + c.language(), c);
                areas.put(c.caseId(), c.area());
            }
        }
        Set<String> differing = new LinkedHashSet<>();
        differences(runs).forEach(d -> differing.add(d.caseId() + "/" + d.language()));

        h.append(
                "<h2>Matrix</h2><table><tr><th rowspan=\"2\">area</th><th rowspan=\"2\">case</th>");
        for (Run run : runs) {
            h.append("<th colspan=\"")
                    .append(languages.size())
                    .append("\">")
                    .append(esc(run.report().host().name()))
                    .append("</th>");
        }
        h.append("</tr><tr>");
        for (int i = 0; i < runs.size(); i++) {
            languages.forEach(l -> h.append("<th>").append(esc(l)).append("</th>"));
        }
        h.append("</tr>");
        Map<String, List<String>> byArea = new TreeMap<>();
        areas.forEach((id, area) -> byArea.computeIfAbsent(area, k -> new ArrayList<>()).add(id));
        byArea.forEach(
                (area, ids) ->
                        ids.forEach(
                                id -> {
                                    h.append("<tr><td>")
                                            .append(esc(area))
                                            .append("</td><td>")
                                            .append(esc(id))
                                            .append("</td>");
                                    for (int i = 0; i < runs.size(); i++) {
                                        for (String l : languages) {
                                            CaseResult c = cells.get(id).get(i + "/" + l);
                                            if (c == null) {
                                                h.append("<td></td>");
                                            } else {
                                                boolean diff = differing.contains(id + "/" + l);
                                                h.append("<td class=\"c ")
                                                        .append(c.outcome())
                                                        .append(diff ? " DIFF" : "")
                                                        .append("\"><a href=\"")
                                                        .append(esc(runs.get(i).href()))
                                                        .append("#")
                                                        .append(HtmlReport.anchor(c))
                                                        .append("\">")
                                                        .append(short_(c.outcome()))
                                                        .append("</a></td>");
                                            }
                                        }
                                    }
                                    h.append("</tr>");
                                }));
        h.append(
                "</table><p class=\"muted\">Outlined cells differ between hosts for the same case and language.</p>");
        return h.append("</body></html>\n").toString();
    }

    public static String differencesPage(List<Run> runs) {
        List<Difference> diffs = differences(runs);
        StringBuilder h = head("pwtck — host differences");
        h.append(
                        "<h1>Host differences</h1><p class=\"muted\"><a href=\"index.html\">back to the matrix</a> · ")
                .append(diffs.size())
                .append(" cases where the hosts' outcomes differ</p>");
        for (Difference d : diffs) {
            h.append("<h2>")
                    .append(esc(d.caseId()))
                    .append(" [")
                    .append(esc(d.language()))
                    .append("]</h2>");
            CaseResult any = d.byHost().values().iterator().next();
            h.append("<p>")
                    .append(esc(any.description()))
                    .append("<br><span class=\"muted\">spec: ")
                    .append(esc(any.specSection()))
                    .append(
                            any.evidence() != null && any.evidence().reading() != null
                                    ? " · reading: " + esc(any.evidence().reading())
                                    : "")
                    .append("</span></p>");
            h.append(
                    "<table><tr><th>host</th><th>outcome</th><th>expected</th><th>actual</th><th>message</th></tr>");
            d.byHost()
                    .forEach(
                            (host, c) ->
                                    h.append("<tr><td>")
                                            .append(esc(host))
                                            .append("</td><td class=\"c ")
                                            .append(c.outcome())
                                            .append("\">")
                                            .append(c.outcome())
                                            .append("</td><td>")
                                            .append(
                                                    esc(
                                                            c.evidence() == null
                                                                    ? ""
                                                                    : c.evidence().expected()))
                                            .append("</td><td>")
                                            .append(
                                                    esc(
                                                            c.evidence() == null
                                                                    ? ""
                                                                    : c.evidence().actual()))
                                            .append("</td><td>")
                                            .append(
                                                    esc(
                                                            c.evidence() == null
                                                                    ? ""
                                                                    : c.evidence().message()))
                                            .append("</td></tr>"));
            h.append("</table>");
        }
        return h.append("</body></html>\n").toString();
    }

    /** Cases and languages run on at least two hosts whose outcomes are not all the same. */
    public static List<Difference> differences(List<Run> runs) {
        Map<String, Map<String, CaseResult>> byKey = new TreeMap<>();
        for (Run run : runs) {
            for (CaseResult c : run.report().results()) {
                if (c.outcome() == Outcome.SKIPPED) {
                    continue;
                }
                byKey.computeIfAbsent(c.caseId() + "\u0000" + c.language(), k -> new TreeMap<>())
                        .put(run.report().host().name(), c);
            }
        }
        List<Difference> out = new ArrayList<>();
        byKey.forEach(
                (key, byHost) -> {
                    if (byHost.size() > 1
                            && byHost.values().stream()
                                            .map(c -> passLike(c.outcome()))
                                            .distinct()
                                            .count()
                                    > 1) {
                        String[] parts = key.split("\u0000");
                        out.add(new Difference(parts[0], parts[1], byHost));
                    }
                });
        return out;
    }

    /** A known failure still means the host behaves differently from the case's reading. */
    private static boolean passLike(Outcome o) {
        return o == Outcome.PASS || o == Outcome.XPASS;
    }

    private static List<String> languages(List<Run> runs) {
        Set<String> present = new LinkedHashSet<>();
        for (String l : List.of("wat", "go", "rust", "tinygo")) {
            for (Run r : runs) {
                if (r.report().results().stream().anyMatch(c -> Objects.equals(c.language(), l))) {
                    present.add(l);
                }
            }
        }
        return new ArrayList<>(present);
    }

    private static String short_(Outcome o) {
        return switch (o) {
            case PASS -> "pass";
            case FAIL -> "FAIL";
            case NOT_SUPPORTED -> "n/s";
            case XFAIL -> "xfail";
            case XPASS -> "XPASS";
            case SKIPPED -> "skip";
        };
    }

    private static StringBuilder head(String title) {
        return new StringBuilder(
                        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title))
                .append("</title><style>")
                .append(Html.STYLE)
                .append("</style></head><body>");
    }
}
