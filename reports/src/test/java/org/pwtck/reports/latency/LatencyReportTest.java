package org.pwtck.reports.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pwtck.reports.latency.LatencyReport.Arm;
import org.pwtck.reports.latency.LatencyReport.Run;

/** The latency report's JSON round trip, histogram encoding, deltas and HTML rendering. */
class LatencyReportTest {

    @Test
    void histogramsSurviveTheRoundTripExactly() {
        Histogram h = histogram(100, 900);
        Histogram back = HistogramCodec.decode(HistogramCodec.encode(h));
        assertEquals(h.getTotalCount(), back.getTotalCount());
        assertEquals(h.getValueAtPercentile(50), back.getValueAtPercentile(50));
        assertEquals(h.getMaxValue(), back.getMaxValue());
    }

    @Test
    void aStringThatIsNoHistogramIsRefusedWithTheReason() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> HistogramCodec.decode("bm90IGl0"));
        assertTrue(e.getMessage().contains("HdrHistogram"), e.getMessage());
    }

    @Test
    void deltasCompareAnArmWithItsBaselineAtTheSamePoint() {
        LatencyReport r = report();
        Deltas d = Deltas.of(r, r.arm("reference/headers").orElseThrow(), "50%").orElseThrow();
        Run base = r.arm("reference/none").orElseThrow().run("50%").orElseThrow();
        Run mine = r.arm("reference/headers").orElseThrow().run("50%").orElseThrow();
        assertEquals(mine.latency().p50() - base.latency().p50(), d.p50());
        assertTrue(d.p50() > 0, "the filter arm is slower by construction: " + d);
        assertTrue(
                Deltas.of(r, r.arm("reference/none").orElseThrow(), "50%").isEmpty(),
                "a baseline has no delta");
    }

    @Test
    void jsonRoundTripsAndAnotherSchemaIsRefused(@TempDir Path dir) throws IOException {
        LatencyReport r = report();
        Path file = dir.resolve("latency.json");
        LatencyReportJson.write(r, file);
        LatencyReport back = LatencyReportJson.read(file);
        assertEquals(r.arms(), back.arms());
        assertEquals(List.of("saturation", "50%"), back.points());

        Files.writeString(
                file, Files.readString(file).replace(LatencyReport.SCHEMA, "pwtck.latency/v0"));
        IOException e = assertThrows(IOException.class, () -> LatencyReportJson.read(file));
        assertTrue(e.getMessage().contains("pwtck.latency/v0"), e.getMessage());
    }

    @Test
    void htmlHasACurvePerArmAndBarsPerFilterAndFetchesNothing() {
        String html = LatencyHtml.render(report());
        assertTrue(html.contains("<svg"), "plots are inline SVG");
        // one curve per arm in the percentile chart, plus its legend swatch
        int curves = html.split("</title></path>", -1).length - 1;
        assertEquals(2, curves, "one titled curve per arm at 50%");
        assertTrue(html.contains("Δ p50"), "the delta chart");
        assertTrue(html.contains("reference host, headers (rust), compiler"));
        assertTrue(html.contains("pwtck.latency") || html.contains("latency report"));
        for (String fetch : List.of("<script", "<link", "src=\"", "href=\"http", "url(")) {
            assertTrue(!html.contains(fetch), "self-contained, no " + fetch);
        }
    }

    private static LatencyReport report() {
        Arm none = arm("reference/none", "reference host, no filter", null, 400);
        Arm headers =
                arm(
                        "reference/headers",
                        "reference host, headers (rust), compiler",
                        "reference/none",
                        450);
        return new LatencyReport(
                LatencyReport.SCHEMA,
                "2026-01-01T00:00:00Z",
                "smoke",
                "test",
                1000,
                new LatencyReport.Machine("Linux", "amd64", 2, "jdk 17", "vm", 1024, "0", "0"),
                Map.of("chicory", "1.7.5"),
                new LatencyReport.Plan(
                        0, 0, 1000, 1000, 4, 1, List.of(0.5), "reference/none", 1000, "up", "1"),
                List.of(none, headers),
                List.of(
                        new LatencyReport.ColdStart(
                                "headers", "rust", "compiler", 150_000, 900, 10, 1, 0.5, 2, 0.1)),
                List.of(
                        new LatencyReport.Goal(
                                "g", "a goal", "≤ 25 µs", 50.0, "µs", "missed", "from")),
                null,
                List.of());
    }

    private static Arm arm(String id, String label, String baseline, long p50) {
        return new Arm(
                id,
                label,
                "reference",
                baseline == null ? null : "headers",
                baseline == null ? null : "rust",
                baseline == null ? null : "compiler",
                baseline,
                Map.of(),
                List.of(run("saturation", 0, p50 * 4), run("50%", 0.5, p50)),
                null);
    }

    private static Run run(String point, double fraction, long p50) {
        Histogram h = histogram(p50, p50 * 3);
        return new Run(
                point,
                fraction,
                fraction * 1000,
                fraction * 1000,
                h.getTotalCount(),
                0,
                0,
                1000,
                new LatencyReport.Latency(
                        h.getValueAtPercentile(50),
                        h.getValueAtPercentile(90),
                        h.getValueAtPercentile(99),
                        h.getValueAtPercentile(99.9),
                        h.getMaxValue(),
                        h.getMean()),
                null,
                HistogramCodec.encode(h));
    }

    private static Histogram histogram(long low, long high) {
        Histogram h = new Histogram(60_000_000L, 3);
        for (long v = low; v <= high; v++) {
            h.recordValue(v);
        }
        return h;
    }
}
