package org.pwtck.reports.latency;

import java.util.List;
import java.util.Locale;
import org.pwtck.reports.Html;

/** The few SVG pieces the charts share: numbers without locale surprises, text, the palette. */
final class Svg {
    private Svg() {}

    /** Distinct colours, one per series, in series order. */
    static final List<String> PALETTE =
            List.of(
                    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                    "#17becf", "#7f7f7f", "#bcbd22", "#393b79", "#ad494a", "#637939", "#843c39",
                    "#5254a3", "#6b6ecf");

    static String color(int i) {
        return PALETTE.get(i % PALETTE.size());
    }

    static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String text(double x, double y, String anchor, String cssClass, Object content) {
        return "<text x=\""
                + n(x)
                + "\" y=\""
                + n(y)
                + "\" text-anchor=\""
                + anchor
                + "\" class=\""
                + cssClass
                + "\">"
                + Html.esc(content)
                + "</text>";
    }

    static String line(double x1, double y1, double x2, double y2, String cssClass) {
        return "<line x1=\""
                + n(x1)
                + "\" y1=\""
                + n(y1)
                + "\" x2=\""
                + n(x2)
                + "\" y2=\""
                + n(y2)
                + "\" class=\""
                + cssClass
                + "\"/>";
    }

    /** A latency in µs the way people read it: 850 µs, 1.2 ms, 3.4 s. */
    static String micros(double us) {
        double a = Math.abs(us);
        if (a >= 1_000_000) {
            return String.format(Locale.ROOT, "%.3g s", us / 1e6);
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%.3g ms", us / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f µs", us);
    }

    /** The chart styles, appended to the shared page style. */
    static final String STYLE =
            """
            svg.chart{background:#fff;border:1px solid #d0d7de;margin:.5rem 0}
            svg.chart .axis{stroke:#57606a;stroke-width:1} svg.chart .grid{stroke:#eaeef2;stroke-width:1}
            svg.chart text{font:12px system-ui,sans-serif;fill:#1b1f24} svg.chart text.small{font-size:11px;fill:#57606a}
            svg.chart text.title{font-size:14px;font-weight:600}
            svg.chart path.series{fill:none;stroke-width:2}
            """;
}
