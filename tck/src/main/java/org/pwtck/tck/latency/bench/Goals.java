package org.pwtck.tck.latency.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.pwtck.reports.latency.Deltas;
import org.pwtck.reports.latency.LatencyReport;
import org.pwtck.reports.latency.LatencyReport.Goal;

/** The goals, computed from one run's numbers; measured, never asserted. */
final class Goals {
    static final String RUST_HEADERS = "reference/headers-rust/compiler";
    static final String ENVOY_RUST_HEADERS = "envoy/headers-rust";

    private Goals() {}

    static List<Goal> of(LatencyReport r) {
        List<Goal> goals = new ArrayList<>();
        goals.add(rustHeadersDelta(r));
        goals.add(saturationRatio(r));
        goals.add(callbackPath(r.jmh()));
        goals.add(goReady(r));
        return goals;
    }

    private static Goal rustHeadersDelta(LatencyReport r) {
        String basis = RUST_HEADERS + " minus " + ArmSpec.REFERENCE_NONE + ", p50 at 50% load";
        Optional<Deltas> d = r.arm(RUST_HEADERS).flatMap(a -> Deltas.of(r, a, "50%"));
        return goal(
                "rust-headers-p50",
                "The Rust headers filter adds at most 25 µs at p50 to the reference host"
                        + " (compiler) at 50% load",
                "≤ 25 µs",
                d.map(x -> (double) x.p50()),
                "µs",
                v -> v <= 25,
                basis);
    }

    private static Goal saturationRatio(LatencyReport r) {
        Optional<Double> ours = saturation(r, RUST_HEADERS);
        Optional<Double> envoy = saturation(r, ENVOY_RUST_HEADERS);
        Optional<Double> ratio =
                ours.isPresent() && envoy.isPresent() && envoy.get() > 0
                        ? Optional.of(ours.get() / envoy.get())
                        : Optional.empty();
        return goal(
                "saturation-vs-envoy",
                "With the Rust headers filter, the reference host's saturation throughput is at"
                        + " least half of Envoy's",
                "≥ 0.5×",
                ratio,
                "×",
                v -> v >= 0.5,
                "saturation of " + RUST_HEADERS + " / " + ENVOY_RUST_HEADERS);
    }

    private static Optional<Double> saturation(LatencyReport r, String arm) {
        return r.arm(arm)
                .flatMap(a -> a.run(LatencyReport.Run.SATURATION))
                .map(LatencyReport.Run::achievedRate);
    }

    /**
     * From the JMH file of CallbackPathBenchmark: for each (module, engine) measured in both hosts,
     * proxy-wasm-java-host's mean time over the reference host's; the goal holds only if it holds
     * for every pair, so the smallest ratio is reported. Not measured without a file.
     */
    private static Goal callbackPath(JsonNode jmh) {
        Map<String, Double> ours = new TreeMap<>();
        Map<String, Double> theirs = new TreeMap<>();
        if (jmh != null && jmh.isArray()) {
            for (JsonNode b : jmh) {
                JsonNode params = b.path("params");
                if (!b.path("mode").asText().equals("avgt") || !params.has("host")) {
                    continue;
                }
                String pair = params.path("module").asText() + "/" + params.path("engine").asText();
                double score = b.path("primaryMetric").path("score").asDouble();
                switch (params.path("host").asText()) {
                    case "reference" -> ours.put(pair, score);
                    case "java-host" -> theirs.put(pair, score);
                    default -> {}
                }
            }
        }
        Optional<Double> ratio =
                ours.keySet().stream()
                        .filter(theirs::containsKey)
                        .filter(k -> ours.get(k) > 0)
                        .map(k -> theirs.get(k) / ours.get(k))
                        .min(Double::compare);
        return goal(
                "callback-path-vs-java-host",
                "The reference host's callback path is at least 1.25× faster than"
                        + " proxy-wasm-java-host's on the same module and engine mode",
                "≥ 1.25×",
                ratio,
                "×",
                v -> v >= 1.25,
                jmh == null
                        ? "needs the JMH result file (--jmh)"
                        : "JMH average times, proxy-wasm-java-host / reference host, the smallest"
                                + " over the (module, engine) pairs measured in both; see the JMH"
                                + " table");
    }

    private static Goal goReady(LatencyReport r) {
        Optional<Double> ready =
                r.coldStarts() == null
                        ? Optional.empty()
                        : r.coldStarts().stream()
                                .filter(
                                        c ->
                                                c.filter().equals("headers")
                                                        && c.language().equals("go")
                                                        && c.engine().equals("compiler"))
                                .map(LatencyReport.ColdStart::cachedReadyMillis)
                                .findFirst();
        return goal(
                "go-ready-cached",
                "A Go filter is ready to serve in under 300 ms after the first load (module"
                        + " cached)",
                "< 300 ms",
                ready,
                "ms",
                v -> v < 300,
                "cold start of headers (go), compiler, cached: load + start + first request");
    }

    private static Goal goal(
            String id,
            String description,
            String target,
            Optional<Double> measured,
            String unit,
            java.util.function.DoublePredicate met,
            String basis) {
        String verdict = measured.map(v -> met.test(v) ? "met" : "missed").orElse("not measured");
        return new Goal(id, description, target, measured.orElse(null), unit, verdict, basis);
    }
}
