package org.pwtck.tck.hosts.envoy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Envoy's log, read line by line as Envoy writes it. Envoy runs with {@link #FORMAT} and {@code
 * --log-format-escaped}, so each record is one line {@code time|level|logger|message} (ENVOY.md
 * §2.4). Keeps the last {@value #MAX_LINES} records.
 */
final class EnvoyLog {
    /** The {@code --log-format} the adapter passes to Envoy. */
    static final String FORMAT = "%Y-%m-%dT%T.%f|%l|%n|%v";

    static final int MAX_LINES = 20_000;

    /** One log record. */
    record Line(String time, String level, String logger, String message) {
        static Line parse(String raw) {
            String[] parts = raw.split("\\|", 4);
            if (parts.length < 4) {
                return new Line("", "", "", raw);
            }
            return new Line(parts[0], parts[1], parts[2], parts[3]);
        }

        boolean isWasm() {
            return logger.equals("wasm");
        }

        /** The V8 integration's per-call tracing at wasm:trace ({@code [host->vm] …}). */
        boolean isAbiTrace() {
            return message.startsWith("[host->vm]")
                    || message.startsWith("[vm->host]")
                    || message.startsWith("[vm<-host]")
                    || message.startsWith("[host<-vm]");
        }

        boolean isProblem() {
            return level.equals("error") || level.equals("critical");
        }

        /** A {@code proxy_log} record or WASI output: {@code wasm log<prefix>: message}. */
        boolean isFilterLog() {
            return message.startsWith("wasm log");
        }

        boolean isWarningOrWorse() {
            return level.equals("warning") || isProblem();
        }

        /**
         * The filter's view: {@code wasm log <prefix>: msg} becomes {@code INFO <prefix>: msg} (the
         * reference host's shape: level, plugin, message); other wasm-logger records keep their
         * text behind the level.
         */
        String filterView() {
            String lvl =
                    switch (level) {
                        case "warning" -> "WARN";
                        default -> level.toUpperCase(Locale.ROOT);
                    };
            if (message.startsWith("wasm log")) {
                // What the filter logged, byte for byte: undo --log-format-escaped.
                String rest = unescape(message.substring("wasm log".length()).stripLeading());
                return lvl + " " + rest;
            }
            return lvl + " envoy: " + message;
        }

        @Override
        public String toString() {
            return level + " [" + logger + "] " + message;
        }
    }

    private final Deque<Line> lines = new ArrayDeque<>();
    private final Thread reader;

    /**
     * Reads {@code stream} on a daemon thread; every raw line is also appended to {@code copy} (the
     * run directory's {@code envoy.log}, kept with {@code pwtck.envoy.keep=true}).
     */
    EnvoyLog(InputStream stream, String threadName, Path copy) {
        reader = new Thread(() -> pump(stream, copy), threadName);
        reader.setDaemon(true);
        reader.start();
    }

    /** Reads until the end; never stops early, or Envoy would block on a full pipe. */
    private void pump(InputStream stream, Path copy) {
        Writer out = null;
        try {
            out = Files.newBufferedWriter(copy, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // no copy on disk; the lines are still kept in memory
        }
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String raw;
            while ((raw = r.readLine()) != null) {
                add(Line.parse(raw));
                if (out != null) {
                    try {
                        out.write(raw);
                        out.write('\n');
                    } catch (IOException e) {
                        out = null;
                    }
                }
            }
        } catch (IOException e) {
            // the process went away; what was read stays
        } finally {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException e) {
                    // best effort
                }
            }
        }
    }

    /** For tests: a log fed by hand. */
    EnvoyLog() {
        reader = null;
    }

    synchronized void add(Line line) {
        if (lines.size() == MAX_LINES) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    synchronized List<Line> lines() {
        return new ArrayList<>(lines);
    }

    List<Line> lines(Predicate<Line> filter) {
        return lines().stream().filter(filter).toList();
    }

    /**
     * The wasm filter's lines: its proxy_log records and WASI output at every level, and the wasm
     * logger's warnings and errors (traps, failed callbacks); with {@code abiTrace} also the
     * per-call ABI tracing. The VM bookkeeping at debug level is left out.
     */
    List<String> filterLines(boolean abiTrace) {
        return lines(
                        l ->
                                l.isWasm()
                                        && (l.isFilterLog()
                                                || l.isWarningOrWorse()
                                                || abiTrace && l.isAbiTrace()))
                .stream()
                .map(Line::filterView)
                .toList();
    }

    /**
     * Undoes {@code --log-format-escaped} (C escapes: {@code \\n \\t \\" \\\\ \\x41 \\101}), so a
     * filter's log record reads as it was written (a JSON report keeps its quotes).
     */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] != '\\' || i + 1 == b.length) {
                out.write(b[i]);
                continue;
            }
            byte c = b[++i];
            switch (c) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'x' -> {
                    int v = 0;
                    int n = 0;
                    while (n < 2 && i + 1 < b.length && Character.digit(b[i + 1], 16) >= 0) {
                        v = v * 16 + Character.digit(b[++i], 16);
                        n++;
                    }
                    out.write(v);
                }
                default -> {
                    if (c >= '0' && c <= '7') {
                        int v = c - '0';
                        for (int n = 1;
                                n < 3 && i + 1 < b.length && b[i + 1] >= '0' && b[i + 1] <= '7';
                                n++) {
                            v = v * 8 + (b[++i] - '0');
                        }
                        out.write(v);
                    } else {
                        out.write(c); // \\ \" \' and anything else: the character itself
                    }
                }
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Waits briefly for the reader to reach the end of the stream (after the process exited). */
    void drain(long millis) {
        if (reader != null) {
            try {
                reader.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The first error/critical records of a crash (signal, version), else {@link #reason}. */
    String crashReason(int max) {
        List<Line> problems = lines(Line::isProblem);
        if (problems.isEmpty()) {
            return reason(max);
        }
        return String.join(
                " | ",
                problems.subList(0, Math.min(max, problems.size())).stream()
                        .map(Line::toString)
                        .toList());
    }

    /**
     * Why Envoy refused or died, in its own words: its error and critical records (the config error
     * and the wasm loader's reason), else the last lines.
     */
    String reason(int max) {
        List<Line> all = lines();
        List<Line> problems = all.stream().filter(Line::isProblem).toList();
        List<Line> pick = problems.isEmpty() ? all : problems;
        List<Line> tail = pick.subList(Math.max(0, pick.size() - max), pick.size());
        if (tail.isEmpty()) {
            return "(Envoy wrote no log)";
        }
        return String.join(" | ", tail.stream().map(Line::toString).toList());
    }
}
