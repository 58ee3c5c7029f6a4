package org.pwtck.tck.latency.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.vm.EngineMode;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.hosts.reference.ProxyConfigBuilder;

/**
 * The reference host as its own process ({@code pwtck-host run --config …} on this JVM's
 * classpath), so that its CPU time and resident memory are its own: one listener, one worker (as
 * Envoy runs with {@code --concurrency 1}), the upstream and the {@code httpbin} cluster both on
 * the bench upstream, and at most one filter on the only route.
 */
final class ReferenceHostTarget implements Target {
    private static final Pattern LISTENING = Pattern.compile("pwtck-host: main (http://\\S+)");
    private static final String MAIN = "org.pwtck.host.cli.Main";

    private final Process process;
    private final URI uri;
    private final String describe;

    private ReferenceHostTarget(Process process, URI uri, String describe) {
        this.process = process;
        this.uri = uri;
        this.describe = describe;
    }

    /** The config file's content (YAML). */
    static String config(int upstreamPort, Optional<FilterUnderTest> filter) {
        List<HostConfig.Endpoint> upstream =
                List.of(new HostConfig.Endpoint("127.0.0.1", upstreamPort));
        ProxyConfigBuilder config =
                new ProxyConfigBuilder()
                        .listener("main", "127.0.0.1", 0)
                        .workers(1)
                        // A Go module's start-up on the interpreter can pass the default 1 s on a
                        // slow machine; the bench measures requests, so start-up may take longer
                        // (per-request callbacks are far below either limit).
                        .callbackDeadline(Duration.ofSeconds(10))
                        .cluster("up", upstream)
                        .cluster(FilterSpec.HTTPBIN_CLUSTER, upstream);
        filter.ifPresent(
                f ->
                        config.filter(f.name(), f.wasm().toAbsolutePath())
                                .engine(EngineMode.valueOf(f.engine().toUpperCase(Locale.ROOT)))
                                .logLevel(LogLevel.WARN)
                                .config(f.config()));
        List<String> chain = filter.map(f -> List.of(f.name())).orElse(List.of());
        return config.route("bench", "/", "up", chain).toYaml();
    }

    static ReferenceHostTarget start(
            Path dir,
            int upstreamPort,
            Optional<FilterUnderTest> filter,
            List<String> jvmArgs,
            Duration readyTimeout)
            throws IOException, InterruptedException {
        Path config = dir.resolve("host.yaml");
        Files.writeString(config, config(upstreamPort, filter));
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MAIN);
        cmd.add("run");
        cmd.add("--config");
        cmd.add(config.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Children.track(p);
        p.getOutputStream().close();
        CompletableFuture<URI> listening = new CompletableFuture<>();
        ArrayDeque<String> last = new ArrayDeque<>();
        Path log = dir.resolve("pwtck-host.log");
        Thread reader =
                new Thread(() -> pump(p, log, last, listening), "pwtck-bench-host-log-" + p.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            URI uri = listening.get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ReferenceHostTarget(
                    p,
                    uri,
                    "pwtck-host run --config host.yaml (JVM args "
                            + (jvmArgs.isEmpty() ? "default" : String.join(" ", jvmArgs))
                            + ", workers 1)");
        } catch (ExecutionException | TimeoutException e) {
            // Its output ended (ExecutionException): give the process a moment to be reaped.
            boolean exited = e instanceof ExecutionException && p.waitFor(2, TimeUnit.SECONDS);
            stop(p);
            synchronized (last) {
                throw new IOException(
                        (exited
                                        ? "the reference host exited with code "
                                                + p.exitValue()
                                                + " before it listened"
                                        : "the reference host did not listen within "
                                                + readyTimeout.toSeconds()
                                                + " s")
                                + ": "
                                + String.join(" | ", last));
            }
        }
    }

    /** Copies the host's output to its log, keeps the last lines, and spots the listener. */
    private static void pump(
            Process p, Path log, ArrayDeque<String> last, CompletableFuture<URI> listening) {
        try (BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                synchronized (last) {
                    last.add(line);
                    if (last.size() > 6) {
                        last.poll();
                    }
                }
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    listening.complete(URI.create(m.group(1)));
                }
            }
        } catch (IOException e) {
            // the process went away; the waiting side reports it
        }
        listening.completeExceptionally(new IOException("exited"));
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process p) {
        Children.stop(p);
    }
}
