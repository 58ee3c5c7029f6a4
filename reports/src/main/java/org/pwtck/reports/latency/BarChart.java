package org.pwtck.reports.latency;

import java.util.List;

/**
 * Horizontal grouped bars in SVG: one group per row (an arm), one bar per series (e.g. Δp50, Δp99),
 * a zero line, negative values to the left; each bar is labelled with its value.
 */
final class BarChart {
    /** One row of bars; {@code values} follow the chart's series. */
    record Row(String label, List<Double> values) {}

    private static final int WIDTH = 1100;
    private static final int LEFT = 300;
    private static final int RIGHT = 120;
    private static final int BAR = 14;

    private BarChart() {}

    /**
     * @param format renders a value next to its bar
     */
    static String svg(
            String title,
            List<String> series,
            List<Row> rows,
            java.util.function.DoubleFunction<String> format) {
        double min = 0;
        double max = 0;
        for (Row r : rows) {
            for (double v : r.values()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (max - min == 0) {
            max = 1;
        }
        int group = BAR * series.size() + 10;
        int top = 50;
        int height = top + group * rows.size() + 30;
        double plotW = WIDTH - LEFT - RIGHT;
        double zero = LEFT + plotW * (-min) / (max - min);
        StringBuilder out = new StringBuilder();
        out.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(height)
                .append("\">");
        out.append(Svg.text(10, 18, "start", "title", title));
        for (int s = 0; s < series.size(); s++) {
            double lx = LEFT + s * 140;
            out.append("<rect x=\"")
                    .append(Svg.n(lx))
                    .append("\" y=\"28\" width=\"12\" height=\"12\" fill=\"")
                    .append(Svg.color(s))
                    .append("\"/>");
            out.append(Svg.text(lx + 18, 38, "start", "", series.get(s)));
        }
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            double y0 = top + i * group;
            out.append(Svg.text(LEFT - 8, y0 + group / 2.0 + 2, "end", "", r.label()));
            for (int s = 0; s < r.values().size(); s++) {
                double v = r.values().get(s);
                double x = LEFT + plotW * (v - min) / (max - min);
                double y = y0 + s * BAR;
                out.append("<rect x=\"")
                        .append(Svg.n(Math.min(x, zero)))
                        .append("\" y=\"")
                        .append(Svg.n(y))
                        .append("\" width=\"")
                        .append(Svg.n(Math.max(1, Math.abs(x - zero))))
                        .append("\" height=\"")
                        .append(BAR - 2)
                        .append("\" fill=\"")
                        .append(Svg.color(s))
                        .append("\"/>");
                // Right of the bar, or right of the zero line for a negative one: the row labels
                // own the space on the left.
                out.append(
                        Svg.text(
                                Math.max(x, zero) + 4,
                                y + BAR - 4,
                                "start",
                                "small",
                                format.apply(v)));
            }
        }
        out.append(Svg.line(zero, top - 4, zero, height - 24, "axis"));
        return out.append("</svg>").toString();
    }
}
