package org.pwtck.tck.cases;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/**
 * A table of probe calls, each with a label and the exact status it must return, made in one
 * callback and judged together: the case fails once, with every row that differs and the whole
 * table as evidence.
 */
final class StepTable {
    private record Row(String label, int status, String function, JsonNode[] args, boolean goToo) {}

    private final List<Row> rows = new ArrayList<>();

    /** A call that must return {@code status}. */
    StepTable expect(String label, int status, String function, JsonNode... args) {
        rows.add(new Row(label, status, function, args, true));
        return this;
    }

    /** Like {@link #expect}, for a function the Go probe does not import (proxy_get_log_level). */
    StepTable expectNotGo(String label, int status, String function, JsonNode... args) {
        rows.add(new Row(label, status, function, args, false));
        return this;
    }

    /** Adds the calls to a callback, in order; returns the number of steps added. */
    int addTo(String language, ProbeScenario.CallbackSteps cb) {
        int n = 0;
        for (Row r : rows) {
            if (r.goToo() || probeImportsGetLogLevel(language)) {
                cb.call(r.function(), r.args());
                n++;
            }
        }
        return n;
    }

    /** Judges the steps from {@code firstStep} on; fails with every differing row. */
    void check(TckCase tck, ProbeReport.Record record, int firstStep) {
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, String> actual = new LinkedHashMap<>();
        List<String> wrong = new ArrayList<>();
        int step = firstStep;
        for (Row r : rows) {
            if (!r.goToo() && !probeImportsGetLogLevel(tck.language())) {
                continue;
            }
            ProbeReport.Step s = record.step(step++);
            expected.put(r.label(), HostCallMatrix.name(r.status()));
            String got =
                    s.error().isPresent()
                            ? "not made: " + s.error().get()
                            : HostCallMatrix.name(s.status());
            actual.put(r.label(), got);
            if (!got.equals(HostCallMatrix.name(r.status()))) {
                wrong.add(r.label());
            }
        }
        tck.evidence(expected.toString(), actual.toString());
        if (!wrong.isEmpty()) {
            throw new AssertionError(
                    "differs in " + wrong + "; expected " + expected + ", got " + actual);
        }
    }

    /**
     * The Go and TinyGo probes are 0.2.0 modules and cannot import proxy_get_log_level (PROBE.md).
     */
    static boolean probeImportsGetLogLevel(String language) {
        return !language.equals("go") && !language.equals("tinygo");
    }
}
