package org.pwtck.reports.latency;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The percentile distribution of several histograms in one SVG, as HdrHistogram's plotter draws it:
 * the x axis is {@code 1/(1-percentile)} on a log scale (0%, 90%, 99%, 99.9%, … equally spaced),
 * the y axis latency, also on a log scale so that arms from 100 µs to 100 ms fit.
 */
final class PercentileChart {
    /** One curve: its name, its line style (solid, dashed, dotted) and its histogram. */
    record Series(String name, String dash, Histogram histogram) {}

    private static final int WIDTH = 1100;
    private static final int HEIGHT = 460;
    private static final int LEFT = 70;
    private static final int RIGHT = 330; // room for the legend
    private static final int TOP = 30;
    private static final int BOTTOM = 50;

    /** The x axis ends at 99.999%. */
    private static final double X_DECADES = 5;

    private PercentileChart() {}

    static String svg(String title, List<Series> series) {
        double lo = Double.MAX_VALUE;
        double hi = 1;
        List<List<double[]>> curves = new ArrayList<>();
        for (Series s : series) {
            List<double[]> points = points(s.histogram());
            curves.add(points);
            for (double[] p : points) {
                lo = Math.min(lo, p[1]);
                hi = Math.max(hi, p[1]);
            }
        }
        if (lo == Double.MAX_VALUE) {
            lo = 1;
        }
        double yMin = Math.pow(10, Math.floor(Math.log10(Math.max(1, lo))));
        double yMax = Math.pow(10, Math.ceil(Math.log10(Math.max(hi, yMin * 10))));
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder out = new StringBuilder();
        out.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(HEIGHT)
                .append("\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\">");
        out.append(Svg.text(LEFT, 18, "start", "title", title));
        // y grid: 1, 2, 5 per decade
        for (double d = yMin; d <= yMax * 1.0001; d *= 10) {
            for (int m : new int[] {1, 2, 5}) {
                double v = d * m;
                if (v > yMax * 1.0001) {
                    break;
                }
                double y = TOP + plotH - plotH * log(v / yMin) / log(yMax / yMin);
                out.append(Svg.line(LEFT, y, LEFT + plotW, y, "grid"));
                out.append(Svg.text(LEFT - 6, y + 4, "end", "small", Svg.micros(v)));
            }
        }
        String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        for (int i = 0; i <= X_DECADES; i++) {
            double x = LEFT + plotW * i / X_DECADES;
            out.append(Svg.line(x, TOP, x, TOP + plotH, "grid"));
            out.append(Svg.text(x, TOP + plotH + 16, "middle", "small", labels[i]));
        }
        out.append(Svg.text(LEFT + plotW / 2, HEIGHT - 10, "middle", "small", "percentile"));
        out.append(Svg.line(LEFT, TOP, LEFT, TOP + plotH, "axis"));
        out.append(Svg.line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "axis"));
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            StringBuilder d = new StringBuilder();
            for (double[] p : curves.get(i)) {
                double x = LEFT + plotW * Math.min(p[0], X_DECADES) / X_DECADES;
                double y = TOP + plotH - plotH * log(p[1] / yMin) / log(yMax / yMin);
                d.append(d.length() == 0 ? "M" : "L").append(Svg.n(x)).append(' ').append(Svg.n(y));
            }
            out.append("<path class=\"series\" stroke=\"")
                    .append(Svg.color(i))
                    .append('"')
                    .append(s.dash().isEmpty() ? "" : " stroke-dasharray=\"" + s.dash() + "\"")
                    .append(" d=\"")
                    .append(d)
                    .append("\"><title>")
                    .append(org.pwtck.reports.Html.esc(s.name()))
                    .append("</title></path>");
            double ly = TOP + 8 + i * 18;
            double lx = WIDTH - RIGHT + 20;
            out.append("<path class=\"series\" stroke=\"")
                    .append(Svg.color(i))
                    .append('"')
                    .append(s.dash().isEmpty() ? "" : " stroke-dasharray=\"" + s.dash() + "\"")
                    .append(" d=\"M")
                    .append(Svg.n(lx))
                    .append(' ')
                    .append(Svg.n(ly))
                    .append(" h28\"/>");
            out.append(Svg.text(lx + 34, ly + 4, "start", "", s.name()));
        }
        return out.append("</svg>").toString();
    }

    /**
     * (x, latency µs) pairs: x = log10(1/(1-q)), q the percentile as a fraction. The last value
     * (100%) sits at the right edge.
     */
    static List<double[]> points(Histogram h) {
        List<double[]> points = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            return points;
        }
        for (HistogramIterationValue v : h.percentiles(5)) {
            double q = v.getPercentileLevelIteratedTo() / 100.0;
            double x = q >= 1 ? X_DECADES : Math.log10(1 / (1 - q));
            points.add(new double[] {Math.min(x, X_DECADES), Math.max(1, v.getValueIteratedTo())});
            if (x >= X_DECADES) {
                break;
            }
        }
        return points;
    }

    private static double log(double v) {
        return Math.log10(Math.max(v, 1e-9));
    }
}
