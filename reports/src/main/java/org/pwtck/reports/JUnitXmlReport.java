package org.pwtck.reports;

import static org.pwtck.reports.Html.esc;

import org.pwtck.reports.model.CaseResult;
import org.pwtck.reports.model.CompatibilityReport;
import org.pwtck.reports.model.Outcome;

/**
 * The report as JUnit XML for CI systems: one testcase per case and language; FAIL and XPASS are
 * failures, NOT_SUPPORTED, XFAIL and SKIPPED are skipped with their reason.
 */
public final class JUnitXmlReport {
    private JUnitXmlReport() {}

    public static String render(CompatibilityReport r) {
        var counts = r.counts();
        int failures = counts.get(Outcome.FAIL) + counts.get(Outcome.XPASS);
        int skipped =
                counts.get(Outcome.NOT_SUPPORTED)
                        + counts.get(Outcome.XFAIL)
                        + counts.get(Outcome.SKIPPED);
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<testsuite name=\"pwtck.")
                .append(esc(r.host().id()))
                .append("\" tests=\"")
                .append(r.results().size())
                .append("\" failures=\"")
                .append(failures)
                .append("\" errors=\"0\" skipped=\"")
                .append(skipped)
                .append("\" time=\"")
                .append(r.provenance().durationMillis() / 1000.0)
                .append("\">\n  <properties>\n");
        prop(x, "host.name", r.host().name());
        prop(x, "host.version", r.host().version());
        prop(x, "host.engine", r.host().engine());
        prop(x, "tck.version", r.provenance().tckVersion());
        x.append("  </properties>\n");
        for (CaseResult c : r.results()) {
            x.append("  <testcase classname=\"pwtck.")
                    .append(esc(c.area()))
                    .append("\" name=\"")
                    .append(esc(c.caseId() + " [" + c.language() + "]"))
                    .append("\" time=\"")
                    .append(c.durationMillis() / 1000.0)
                    .append("\">");
            String message = c.evidence() == null ? "" : c.evidence().message();
            switch (c.outcome()) {
                case FAIL, XPASS ->
                        x.append("<failure message=\"")
                                .append(esc(c.outcome() + ": " + message))
                                .append("\">")
                                .append(esc(details(c)))
                                .append("</failure>");
                case NOT_SUPPORTED, XFAIL, SKIPPED ->
                        x.append("<skipped message=\"")
                                .append(esc(c.outcome() + ": " + message))
                                .append("\"/>");
                default -> {}
            }
            x.append("</testcase>\n");
        }
        x.append("</testsuite>\n");
        return x.toString();
    }

    private static String details(CaseResult c) {
        if (c.evidence() == null) {
            return "";
        }
        return "expected: "
                + c.evidence().expected()
                + "\nactual: "
                + c.evidence().actual()
                + "\n"
                + String.join("\n", c.evidence().log());
    }

    private static void prop(StringBuilder x, String name, String value) {
        x.append("    <property name=\"")
                .append(esc(name))
                .append("\" value=\"")
                .append(esc(value))
                .append("\"/>\n");
    }
}
