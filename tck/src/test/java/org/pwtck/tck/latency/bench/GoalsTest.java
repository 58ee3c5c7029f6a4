package org.pwtck.tck.latency.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pwtck.reports.latency.LatencyReport;
import org.pwtck.reports.latency.LatencyReport.Goal;

/** The callback-path goal pairs JMH results by module and engine, never across them. */
class GoalsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void callbackPathRatioIsTheSmallestOverPairsMeasuredInBothHosts() throws Exception {
        JsonNode jmh =
                JSON.readTree(
                        "["
                                + result("reference", "COMPILER", "wat", 2.0)
                                + ","
                                + result("java-host", "COMPILER", "wat", 6.0)
                                + ","
                                + result("reference", "INTERPRETER", "rust", 80.0)
                                + ","
                                + result("java-host", "INTERPRETER", "rust", 40.0)
                                // measured in one host only: no pair, ignored
                                + ","
                                + result("java-host", "COMPILER", "go", 1.0)
                                + "]");
        Goal goal = callbackGoal(jmh);
        assertEquals(0.5, goal.measured(), 1e-9); // rust/INTERPRETER: 40 / 80; wat gives 3.0
        assertEquals("missed", goal.verdict());
    }

    @Test
    void withoutAJmhFileTheGoalIsNotMeasured() {
        Goal goal = callbackGoal(null);
        assertNull(goal.measured());
        assertEquals("not measured", goal.verdict());
    }

    private static Goal callbackGoal(JsonNode jmh) {
        LatencyReport report =
                new LatencyReport(
                        LatencyReport.SCHEMA,
                        "",
                        "smoke",
                        "",
                        0,
                        null,
                        Map.of(),
                        null,
                        List.of(),
                        List.of(),
                        List.of(),
                        jmh,
                        List.of());
        return Goals.of(report).stream()
                .filter(g -> g.id().equals("callback-path-vs-java-host"))
                .findFirst()
                .orElseThrow();
    }

    private static String result(String host, String engine, String module, double score) {
        return "{\"benchmark\": \"org.pwtck.host.bench.CallbackPathBenchmark.request\","
                + " \"mode\": \"avgt\", \"params\": {\"host\": \""
                + host
                + "\", \"engine\": \""
                + engine
                + "\", \"module\": \""
                + module
                + "\"}, \"primaryMetric\": {\"score\": "
                + score
                + "}}";
    }
}
