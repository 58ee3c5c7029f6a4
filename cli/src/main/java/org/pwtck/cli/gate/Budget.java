package org.pwtck.cli.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A latency budget: the most a filter may add, per percentile, over the no-op baseline on the same
 * host, e.g. {@code p99=2ms,p50=500us}.
 */
public record Budget(List<Limit> limits) {

    /** What {@link #parse} accepts, for error messages and help. */
    public static final String SYNTAX =
            "pNN=<number><unit>[,pNN=<number><unit>…] with pNN one of p50, p90, p99, p99.9 and"
                    + " unit us, ms or s, e.g. p99=2ms or p99=2ms,p50=500us";

    private static final Pattern ENTRY =
            Pattern.compile("p(50|90|99|99\\.9)=([0-9]+(?:\\.[0-9]+)?)(us|µs|ms|s)");

    /** At most {@code micros} added at {@code percentile}. */
    public record Limit(double percentile, String label, double micros) {
        public String describe() {
            return label + " ≤ " + Budget.format(micros);
        }
    }

    public static Budget parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("--budget is empty; accepted: " + SYNTAX);
        }
        Map<String, Limit> limits = new LinkedHashMap<>();
        for (String part : text.split(",", -1)) {
            Matcher m = ENTRY.matcher(part.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "--budget \""
                                + text
                                + "\": cannot read \""
                                + part.strip()
                                + "\"; accepted: "
                                + SYNTAX);
            }
            String label = "p" + m.group(1);
            if (limits.containsKey(label)) {
                throw new IllegalArgumentException(
                        "--budget \"" + text + "\": " + label + " is given twice");
            }
            double value = Double.parseDouble(m.group(2));
            double micros =
                    switch (m.group(3)) {
                        case "s" -> value * 1_000_000;
                        case "ms" -> value * 1_000;
                        default -> value;
                    };
            limits.put(label, new Limit(Double.parseDouble(m.group(1)), label, micros));
        }
        return new Budget(List.copyOf(new ArrayList<>(limits.values())));
    }

    /** Microseconds as people read them: {@code 850 µs}, {@code 2.31 ms}. */
    public static String format(double micros) {
        return Math.abs(micros) < 1000
                ? String.format(java.util.Locale.ROOT, "%.0f µs", micros)
                : String.format(java.util.Locale.ROOT, "%.2f ms", micros / 1000);
    }
}
