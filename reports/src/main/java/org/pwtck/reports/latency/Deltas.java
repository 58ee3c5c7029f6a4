package org.pwtck.reports.latency;

import java.util.Optional;
import org.pwtck.reports.latency.LatencyReport.Arm;
import org.pwtck.reports.latency.LatencyReport.Run;

/** What an arm adds to its baseline (the same host with no filter) at one load point, in µs. */
public record Deltas(String arm, String baseline, String point, long p50, long p90, long p99) {

    /** Empty when the arm has no baseline or either side has no run at that point. */
    public static Optional<Deltas> of(LatencyReport report, Arm arm, String point) {
        if (arm.baseline() == null) {
            return Optional.empty();
        }
        Optional<Run> mine = arm.run(point);
        Optional<Run> theirs = report.arm(arm.baseline()).flatMap(b -> b.run(point));
        if (mine.isEmpty() || theirs.isEmpty()) {
            return Optional.empty();
        }
        LatencyReport.Latency a = mine.get().latency();
        LatencyReport.Latency b = theirs.get().latency();
        return Optional.of(
                new Deltas(
                        arm.id(),
                        arm.baseline(),
                        point,
                        a.p50() - b.p50(),
                        a.p90() - b.p90(),
                        a.p99() - b.p99()));
    }
}
