package org.pwtck.tck.latency.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pwtck.reports.latency.HistogramCodec;
import org.pwtck.reports.latency.LatencyReport;
import org.pwtck.reports.latency.LatencyReportJson;
import org.pwtck.tck.api.TckConfig;
import org.pwtck.tck.hosts.envoy.EnvoyBinary;

/**
 * The latency bench in smoke mode, every kind of arm (direct, reference host with no filter and
 * with a filter on both engines, the Org/Product mapper with its callout, Envoy with and without
 * filters): each arm must produce a histogram at every point, and the report must render. Never a
 * timing.
 */
class LatencyBenchSmokeTest {

    @Test
    void everyArmProducesAHistogramAndTheReportRenders(@TempDir Path dir) throws Exception {
        // Without Envoy the other arms still run and are checked; the test then reports itself
        // skipped, naming why the Envoy arms are missing.
        Optional<String> noEnvoy = Optional.empty();
        try {
            EnvoyBinary.locate(new TckConfig(k -> Optional.empty()));
        } catch (EnvoyBinary.NotFoundException e) {
            noEnvoy = Optional.of(e.getMessage());
        }
        LatencyBench.Options options =
                new LatencyBench.Options(
                        BenchPlan.smoke(),
                        Optional.empty(),
                        "",
                        "",
                        Optional.empty(),
                        true,
                        true,
                        Optional.empty(),
                        List.of(),
                        Optional.empty(),
                        List.of(),
                        "LatencyBenchSmokeTest");
        LatencyReport report =
                new LatencyBench(options, System.out::println).run(dir.resolve("work"));

        Set<String> ids =
                report.arms().stream().map(LatencyReport.Arm::id).collect(Collectors.toSet());
        Set<String> expected =
                new java.util.TreeSet<>(
                        Set.of(
                                "reference/none",
                                "direct",
                                "reference/headers-rust/interpreter",
                                "reference/headers-rust/compiler",
                                "reference/org-product-rust/compiler"));
        if (noEnvoy.isEmpty()) {
            expected.addAll(Set.of("envoy/none", "envoy/headers-rust", "envoy/org-product-rust"));
        }
        assertEquals(expected, new java.util.TreeSet<>(ids));
        for (LatencyReport.Arm arm : report.arms()) {
            assertNull(arm.error(), arm.id() + " failed");
            assertEquals(
                    List.of("saturation", "50%"),
                    arm.runs().stream().map(LatencyReport.Run::point).toList(),
                    arm.id());
            for (LatencyReport.Run run : arm.runs()) {
                Histogram h = HistogramCodec.decode(run.histogram());
                assertTrue(h.getTotalCount() > 0, arm.id() + " " + run.point() + ": empty");
                assertEquals(run.completed(), h.getTotalCount(), arm.id() + " " + run.point());
                assertEquals(arm.host().equals("direct"), run.resources() == null, arm.id());
            }
        }
        assertTrue(report.plan().baseRate() > 0, "the baseline's throughput sets the rates");
        assertEquals(3, report.coldStarts().size(), "one cold start per reference filter arm");
        assertEquals(4, report.goals().size());

        LatencyBench.write(report, dir);
        LatencyReport back = LatencyReportJson.read(dir.resolve("latency.json"));
        assertEquals(report.arms().size(), back.arms().size());
        String html = Files.readString(dir.resolve("latency.html"));
        assertTrue(html.contains("<svg"), "plots are inline SVG");
        for (String fetch : List.of("<script", "<link", "src=\"", "href=\"http", "url(")) {
            assertFalse(html.contains(fetch), "self-contained, no " + fetch);
        }
        for (LatencyReport.Arm arm : report.arms()) {
            assertTrue(html.contains(arm.label()), arm.label() + " is in the page");
        }
        noEnvoy.ifPresent(
                reason ->
                        Assumptions.abort(
                                "reference host and direct arms passed; the Envoy arms were not"
                                        + " run: "
                                        + reason));
    }
}
