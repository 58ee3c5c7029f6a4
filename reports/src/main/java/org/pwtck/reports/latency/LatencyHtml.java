package org.pwtck.reports.latency;

import static org.pwtck.reports.Html.esc;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.pwtck.reports.Html;
import org.pwtck.reports.latency.LatencyReport.Arm;
import org.pwtck.reports.latency.LatencyReport.ColdStart;
import org.pwtck.reports.latency.LatencyReport.Goal;
import org.pwtck.reports.latency.LatencyReport.Run;

/**
 * The latency report as one self-contained HTML page: provenance, goals, per load point the
 * percentile distribution of every arm and the delta of every filter against its baseline, the
 * saturation throughput, the full table, cold starts and the JMH comparison. Plots are SVG written
 * here; nothing is fetched.
 */
public final class LatencyHtml {
    private LatencyHtml() {}

    public static void write(LatencyReport report, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, render(report));
    }

    public static String render(LatencyReport r) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        h.append("<title>pwtck latency report</title><style>")
                .append(Html.STYLE)
                .append(Svg.STYLE)
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}")
                .append(".met{background:#dafbe1}.missed{background:#ffebe9}")
                .append("</style></head><body>");
        h.append("<h1>pwtck latency report</h1>");
        h.append("<p class=\"muted\">")
                .append(esc(r.mode()))
                .append(" run, ")
                .append(esc(r.generated()))
                .append(", took ")
                .append(String.format(Locale.ROOT, "%.1f", r.durationMillis() / 60000.0))
                .append(
                        " min. Latency is measured from each request's intended send time"
                                + " (open loop, no coordinated omission); the saturation run is closed"
                                + " loop and gives the throughput.</p>");
        provenance(h, r);
        goals(h, r);
        for (String point : r.points()) {
            if (point.equals(Run.SATURATION)) {
                continue;
            }
            pointSection(h, r, point);
        }
        saturation(h, r);
        table(h, r);
        coldStarts(h, r);
        jmh(h, r.jmh());
        reading(h);
        if (r.notes() != null && !r.notes().isEmpty()) {
            h.append("<h2>Notes</h2><ul>");
            r.notes().forEach(n -> h.append("<li>").append(esc(n)).append("</li>"));
            h.append("</ul>");
        }
        return h.append("</body></html>\n").toString();
    }

    private static void provenance(StringBuilder h, LatencyReport r) {
        h.append("<h2>Where and how</h2><table>");
        LatencyReport.Machine m = r.machine();
        row(
                h,
                "machine",
                m.os()
                        + " "
                        + m.arch()
                        + ", "
                        + m.cpus()
                        + " CPUs, "
                        + m.memoryKb() / 1024
                        + " MiB");
        row(h, "JDK", m.jdk() + " (" + m.jvm() + ")");
        row(h, "load average before / after", m.loadBefore() + " / " + m.loadAfter());
        r.versions().forEach((k, v) -> row(h, k, v));
        LatencyReport.Plan p = r.plan();
        row(h, "load points", loadPoints(p));
        row(
                h,
                "per run",
                "arm warm-up "
                        + p.armWarmupMillis()
                        + " ms of saturating load (not counted), then per run warm-up "
                        + p.warmupMillis()
                        + " ms (not counted), measured "
                        + p.durationMillis()
                        + " ms; saturation "
                        + p.saturationMillis()
                        + " ms");
        row(
                h,
                "client",
                p.connections()
                        + " kept-alive HTTP/1.1 connections on "
                        + p.clientThreads()
                        + " event-loop thread(s)");
        row(h, "upstream", p.upstream());
        row(h, "proxy workers", p.hostWorkers());
        row(h, "command", r.command());
        h.append("</table>");
    }

    private static String loadPoints(LatencyReport.Plan p) {
        List<String> pts = new ArrayList<>();
        for (double f : p.loadFractions()) {
            pts.add(String.format(Locale.ROOT, "%.0f%% (%.0f req/s)", f * 100, f * p.baseRate()));
        }
        String basis =
                p.rateBasis().startsWith("--rate")
                        ? "given with --rate"
                        : "the lower saturation throughput of " + p.rateBasis();
        return String.join(", ", pts)
                + String.format(
                        Locale.ROOT,
                        " of %.0f req/s, %s; every arm gets the same rates",
                        p.baseRate(),
                        basis);
    }

    private static void goals(StringBuilder h, LatencyReport r) {
        if (r.goals() == null || r.goals().isEmpty()) {
            return;
        }
        h.append(
                "<h2>Goals (measured, not asserted)</h2><table><tr><th>goal</th><th>target</th>"
                        + "<th>measured</th><th>verdict</th><th>from</th></tr>");
        for (Goal g : r.goals()) {
            h.append("<tr class=\"")
                    .append(
                            g.verdict().equals("met")
                                    ? "met"
                                    : g.verdict().equals("missed") ? "missed" : "")
                    .append("\"><td>")
                    .append(esc(g.description()))
                    .append("</td><td>")
                    .append(esc(g.target()))
                    .append("</td><td class=\"n\">")
                    .append(
                            g.measured() == null
                                    ? "–"
                                    : String.format(Locale.ROOT, "%.2f", g.measured())
                                            + " "
                                            + esc(g.unit()))
                    .append("</td><td>")
                    .append(esc(g.verdict()))
                    .append("</td><td class=\"muted\">")
                    .append(esc(g.basis()))
                    .append("</td></tr>");
        }
        h.append("</table>");
    }

    private static void pointSection(StringBuilder h, LatencyReport r, String point) {
        List<PercentileChart.Series> series = new ArrayList<>();
        List<BarChart.Row> deltas = new ArrayList<>();
        double rate = 0;
        for (Arm a : r.arms()) {
            Optional<Run> run = a.run(point);
            if (run.isEmpty() || run.get().histogram() == null) {
                continue;
            }
            rate = run.get().requestedRate();
            series.add(
                    new PercentileChart.Series(
                            a.label(),
                            dash(a.host()),
                            HistogramCodec.decode(run.get().histogram())));
            Deltas.of(r, a, point)
                    .ifPresent(
                            d ->
                                    deltas.add(
                                            new BarChart.Row(
                                                    a.label(),
                                                    List.of((double) d.p50(), (double) d.p99()))));
        }
        h.append("<h2>At ")
                .append(esc(point))
                .append(" load (")
                .append(String.format(Locale.ROOT, "%.0f", rate))
                .append(" req/s)</h2>");
        h.append(PercentileChart.svg("Latency by percentile, " + point + " load", series));
        if (!deltas.isEmpty()) {
            h.append(
                    BarChart.svg(
                            "What each filter adds to its host's no-filter arm, " + point + " load",
                            List.of("Δ p50", "Δ p99"),
                            deltas,
                            v -> (v > 0 ? "+" : "") + Svg.micros(v)));
        }
    }

    private static String dash(String host) {
        return switch (host) {
            case "envoy" -> "6 3";
            case "direct" -> "2 3";
            default -> "";
        };
    }

    private static void saturation(StringBuilder h, LatencyReport r) {
        List<BarChart.Row> rows = new ArrayList<>();
        for (Arm a : r.arms()) {
            a.run(Run.SATURATION)
                    .ifPresent(
                            s -> rows.add(new BarChart.Row(a.label(), List.of(s.achievedRate()))));
        }
        if (rows.isEmpty()) {
            return;
        }
        h.append("<h2>Saturation throughput</h2>");
        h.append(
                BarChart.svg(
                        "Requests per second with every connection kept busy (closed loop)",
                        List.of("req/s"),
                        rows,
                        v -> String.format(Locale.ROOT, "%.0f/s", v)));
    }

    private static void table(StringBuilder h, LatencyReport r) {
        h.append(
                "<h2>Every run</h2><table><tr><th>arm</th><th>point</th><th>requested/s</th><th>achieved/s</th>"
                        + "<th>errors</th><th>timeouts</th><th>p50</th><th>p90</th><th>p99</th>"
                        + "<th>p99.9</th><th>max</th><th>Δp50</th><th>Δp99</th><th>CPU %</th>"
                        + "<th>CPU µs/req</th><th>RSS MiB (peak)</th></tr>");
        for (Arm a : r.arms()) {
            if (a.error() != null) {
                h.append("<tr><td>")
                        .append(esc(a.label()))
                        .append("</td><td colspan=\"15\" class=\"missed\">")
                        .append(esc(a.error()))
                        .append("</td></tr>");
                continue;
            }
            for (Run run : a.runs()) {
                Optional<Deltas> d = Deltas.of(r, a, run.point());
                h.append("<tr><td>").append(esc(a.label())).append("</td>");
                cell(h, run.point());
                num(
                        h,
                        run.saturation()
                                ? "–"
                                : String.format(Locale.ROOT, "%.0f", run.requestedRate()));
                num(h, String.format(Locale.ROOT, "%.0f", run.achievedRate()));
                num(h, run.errors());
                num(h, run.timeouts());
                LatencyReport.Latency l = run.latency();
                num(h, Svg.micros(l.p50()));
                num(h, Svg.micros(l.p90()));
                num(h, Svg.micros(l.p99()));
                num(h, Svg.micros(l.p999()));
                num(h, Svg.micros(l.max()));
                num(h, d.map(x -> signed(x.p50())).orElse("–"));
                num(h, d.map(x -> signed(x.p99())).orElse("–"));
                LatencyReport.Resources res = run.resources();
                num(h, res == null ? "–" : String.format(Locale.ROOT, "%.0f", res.cpuPercent()));
                num(
                        h,
                        res == null
                                ? "–"
                                : String.format(Locale.ROOT, "%.0f", res.cpuMicrosPerRequest()));
                num(
                        h,
                        res == null
                                ? "–"
                                : String.format(
                                        Locale.ROOT,
                                        "%d (%d)",
                                        res.rssKb() / 1024,
                                        res.rssPeakKb() / 1024));
                h.append("</tr>");
            }
        }
        h.append("</table>");
        h.append("<details><summary>configurations</summary><table>");
        for (Arm a : r.arms()) {
            for (Map.Entry<String, String> e : a.config().entrySet()) {
                h.append("<tr><td>")
                        .append(esc(a.label()))
                        .append("</td><td>")
                        .append(esc(e.getKey()))
                        .append("</td><td><code>")
                        .append(esc(e.getValue()))
                        .append("</code></td></tr>");
            }
        }
        h.append("</table></details>");
    }

    private static String signed(long us) {
        return (us > 0 ? "+" : "") + Svg.micros(us);
    }

    private static void coldStarts(StringBuilder h, LatencyReport r) {
        if (r.coldStarts() == null || r.coldStarts().isEmpty()) {
            return;
        }
        h.append(
                "<h2>Filter cold start (reference host library, ms)</h2>"
                        + "<p class=\"muted\">first = module cache empty (parse, validate, compile);"
                        + " cached = the same module again (another worker or a reload). load ="
                        + " <code>Plugin.build()</code>, start = instantiate + <code>_initialize</code> +"
                        + " <code>on_vm_start</code> + <code>on_configure</code>, request = the first"
                        + " request's callbacks.</p>");
        h.append(
                "<table><tr><th>filter</th><th>engine</th><th>module KiB</th><th>first load</th>"
                        + "<th>first start</th><th>first request</th><th>first ready</th>"
                        + "<th>cached load</th><th>cached start</th><th>cached request</th>"
                        + "<th>cached ready</th></tr>");
        for (ColdStart c : r.coldStarts()) {
            h.append("<tr>");
            cell(h, c.filter() + " (" + c.language() + ")");
            cell(h, c.engine());
            num(h, c.moduleBytes() / 1024);
            for (double v :
                    new double[] {
                        c.firstLoadMillis(),
                        c.firstStartMillis(),
                        c.firstRequestMillis(),
                        c.firstReadyMillis(),
                        c.cachedLoadMillis(),
                        c.cachedStartMillis(),
                        c.cachedRequestMillis(),
                        c.cachedReadyMillis()
                    }) {
                num(h, String.format(Locale.ROOT, "%.1f", v));
            }
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private static void jmh(StringBuilder h, JsonNode jmh) {
        h.append("<h2>Callback path, JMH (reference host vs proxy-wasm-java-host)</h2>");
        if (jmh == null || !jmh.isArray() || jmh.isEmpty()) {
            h.append(
                    "<p class=\"muted\">No JMH result was given to this run (see the README for"
                            + " the JMH command and <code>--jmh</code>).</p>");
            return;
        }
        h.append(
                "<table><tr><th>benchmark</th><th>params</th><th>mode</th><th>score</th>"
                        + "<th>± error</th><th>unit</th></tr>");
        for (JsonNode b : jmh) {
            h.append("<tr>");
            cell(h, b.path("benchmark").asText());
            cell(h, b.path("params").isMissingNode() ? "" : b.path("params").toString());
            cell(h, b.path("mode").asText());
            JsonNode m = b.path("primaryMetric");
            num(h, String.format(Locale.ROOT, "%.3f", m.path("score").asDouble()));
            num(h, String.format(Locale.ROOT, "%.3f", m.path("scoreError").asDouble()));
            cell(h, m.path("scoreUnit").asText());
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private static void reading(StringBuilder h) {
        h.append(
                "<h2>How to read this</h2><ul>"
                        + "<li>Each curve is one arm's latency distribution: the left end is the median"
                        + " side, the right end the tail (99.9%, 99.99%). A curve that bends up early"
                        + " has a heavy tail. Solid: reference host, dashed: Envoy, dotted: direct.</li>"
                        + "<li>Δ bars are an arm minus its host's no-filter arm at the same offered rate:"
                        + " what the filter costs. Small negative values are noise.</li>"
                        + "<li>achieved/s below requested/s, errors or timeouts mean the arm could not"
                        + " keep up at that rate; its tail then grows with the queue.</li>"
                        + "<li>CPU % is the proxy process's CPU time over the measured window (100% = one"
                        + " core); RSS is its resident memory at the end of the run.</li>"
                        + "<li>The raw histograms are in the JSON (<code>histogram</code>: HdrHistogram"
                        + " compressed, base64); decode them with"
                        + " <code>Histogram.decodeFromCompressedByteBuffer</code>.</li></ul>");
    }

    private static void row(StringBuilder h, String k, Object v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    private static void cell(StringBuilder h, Object v) {
        h.append("<td>").append(esc(v)).append("</td>");
    }

    private static void num(StringBuilder h, Object v) {
        h.append("<td class=\"n\">").append(esc(v)).append("</td>");
    }
}
