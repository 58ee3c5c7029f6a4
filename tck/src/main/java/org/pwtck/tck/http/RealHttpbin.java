package org.pwtck.tck.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real httpbin (the Python package, served by gunicorn) as a second upstream for the filters
 * that call httpbin, next to the TCK's httpbin-compatible {@link EchoBackend}. Exposed to hosts as
 * the cluster {@code httpbin_real}. When Python, httpbin or gunicorn is missing the TCK reports the
 * cases that need it as SKIPPED with {@link #INSTALL} as the reason; it never fakes them.
 */
public final class RealHttpbin implements AutoCloseable {
    /** What to run when httpbin is missing. */
    public static final String INSTALL = "pip install httpbin gunicorn";

    private static final Pattern LISTENING = Pattern.compile("Listening at: http://[^:]+:(\\d+)");

    private final Process process;
    private final int port;
    private final String version;
    private final Path dir;

    private final Thread reaper;

    private RealHttpbin(Process process, int port, String version, Path dir) {
        this.process = process;
        this.port = port;
        this.version = version;
        this.dir = dir;
        // A JVM that exits without closing the session (Ctrl-C, a killed fork) still stops it.
        this.reaper = new Thread(process::destroyForcibly, "pwtck-httpbin-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Either a running httpbin or why there is none. */
    public record Start(Optional<RealHttpbin> httpbin, String reason) {}

    /**
     * Starts {@code <python> -m gunicorn -b <host>:<port> httpbin:app} and reads the port gunicorn
     * bound (with port 0, the one it chose) from its log; waits at most {@code timeout}.
     */
    public static Start start(String python, String host, int port, Duration timeout) {
        String version;
        try {
            version = versions(python, timeout);
        } catch (IOException e) {
            return new Start(
                    Optional.empty(),
                    "real httpbin not available ("
                            + e.getMessage()
                            + "); install it with: "
                            + INSTALL);
        }
        Path dir = null;
        Process p = null;
        try {
            dir = Files.createTempDirectory("pwtck-httpbin-");
            p =
                    new ProcessBuilder(
                                    python,
                                    "-m",
                                    "gunicorn",
                                    "-b",
                                    host + ":" + port,
                                    "--workers",
                                    "2",
                                    "--control-socket",
                                    dir.resolve("gunicorn.ctl").toString(),
                                    "httpbin:app")
                            .directory(dir.toFile())
                            .redirectErrorStream(true)
                            .start();
            p.getOutputStream().close();
            int bound = awaitPort(p, timeout);
            return new Start(Optional.of(new RealHttpbin(p, bound, version, dir)), "");
        } catch (IOException e) {
            if (p != null) {
                p.destroyForcibly();
            }
            deleteQuietly(dir);
            return new Start(
                    Optional.empty(),
                    "real httpbin did not start (" + e.getMessage() + "); " + INSTALL);
        }
    }

    /** {@code httpbin 0.10.4, gunicorn 27.0.1}, or an IOException saying what is missing. */
    private static String versions(String python, Duration timeout) throws IOException {
        Process p =
                new ProcessBuilder(
                                python,
                                "-c",
                                "import importlib.metadata as m, httpbin, gunicorn;"
                                        + " print('httpbin', m.version('httpbin') + ', gunicorn',"
                                        + " m.version('gunicorn'))")
                        .redirectErrorStream(true)
                        .start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                String last = out.strip().lines().reduce((a, b) -> b).orElse("no output");
                throw new IOException(python + " cannot import httpbin and gunicorn: " + last);
            }
            // httpbin may warn on import (e.g. flasgger missing); the answer is the last line.
            return out.strip().lines().reduce((a, b) -> b).orElse("").strip();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            p.destroyForcibly();
        }
    }

    private static int awaitPort(Process p, Duration timeout) throws IOException {
        List<String> seen = new ArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    p.getInputStream(), StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = r.readLine()) != null) {
                                    Matcher m = LISTENING.matcher(line);
                                    if (m.find()) {
                                        port.complete(Integer.parseInt(m.group(1)));
                                    } else if (!port.isDone()) {
                                        synchronized (seen) {
                                            seen.add(line);
                                        }
                                    }
                                }
                            } catch (IOException e) {
                                // the process ended; reading stops
                            }
                            port.completeExceptionally(new IOException("gunicorn exited"));
                        },
                        "pwtck-httpbin-log");
        reader.setDaemon(true); // keeps draining gunicorn's log so it never blocks on a full pipe
        reader.start();
        try {
            return port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            String log;
            synchronized (seen) {
                log = String.join(" | ", seen.subList(Math.max(0, seen.size() - 4), seen.size()));
            }
            throw new IOException(
                    "gunicorn did not report its port within " + timeout + ": " + log);
        }
    }

    public int port() {
        return port;
    }

    /** {@code httpbin <version>, gunicorn <version>}, for the report's provenance. */
    public String version() {
        return version;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is shutting down; the hook runs anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteQuietly(dir);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
