package org.pwtck.tck.latency.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process's CPU time and resident memory from Linux's {@code /proc}: {@code stat} fields 14 and
 * 15 (user and system time of all threads, in clock ticks) and {@code status} {@code VmRSS} /
 * {@code VmHWM}. Empty where there is no {@code /proc} (not Linux) or the process is gone.
 */
record ProcStats(long cpuNanos, long rssKb, long rssPeakKb) {
    /** Linux's USER_HZ; 100 on every mainstream architecture ({@code getconf CLK_TCK}). */
    private static final long TICKS_PER_SECOND = 100;

    static Optional<ProcStats> of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces; fields are counted after its ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            long rss = 0;
            long hwm = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kb(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kb(line);
                }
            }
            return Optional.of(new ProcStats(ticks * 1_000_000_000L / TICKS_PER_SECOND, rss, hwm));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
