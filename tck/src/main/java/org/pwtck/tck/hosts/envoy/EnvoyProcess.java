package org.pwtck.tck.hosts.envoy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.pwtck.tck.api.DeploymentException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Envoy process on a bootstrap file (ENVOY.md §2): started with ephemeral ports, hot restart
 * off and one worker; ready once the admin answers {@code /ready} with {@code LIVE}; its listener
 * port read from {@code /listeners}; stopped with SIGTERM (then SIGKILL). Public for the latency
 * bench, which runs Envoy with and without a filter.
 */
public final class EnvoyProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(EnvoyProcess.class);

    /**
     * Envoys still running; a JVM that exits without closing them (Ctrl-C, a killed fork) kills
     * them.
     */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> LIVE.forEach(Process::destroyForcibly),
                                "pwtck-envoy-reaper"));
    }

    private final Process process;
    private final EnvoyLog log;
    private final URI admin;
    private final int listenerPort;
    private final long readyMillis;

    private EnvoyProcess(
            Process process, EnvoyLog log, URI admin, int listenerPort, long readyMillis) {
        this.process = process;
        this.log = log;
        this.admin = admin;
        this.listenerPort = listenerPort;
        this.readyMillis = readyMillis;
    }

    /** The command line for a local process (ENVOY.md §2.1). */
    static List<String> command(
            Path binary, Path config, Path adminAddressFile, String wasmLogLevel) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(arguments(config.toString(), wasmLogLevel));
        cmd.add("--admin-address-path");
        cmd.add(adminAddressFile.toString());
        return cmd;
    }

    /** Envoy's arguments for a bootstrap file, shared by the local and the container host. */
    static List<String> arguments(String config, String wasmLogLevel) {
        List<String> cmd = new ArrayList<>();
        cmd.add("-c");
        cmd.add(config);
        cmd.add("--disable-hot-restart"); // many Envoys side by side, no base-id clash (§2.6)
        cmd.add("--concurrency");
        cmd.add("1"); // one worker: one thread-local VM per plugin, plus the canary (§3.1)
        cmd.add("--log-level");
        cmd.add("info");
        cmd.add("--component-log-level");
        cmd.add("wasm:" + wasmLogLevel); // proxy_log at every level reaches the log
        cmd.add("--log-format");
        cmd.add(EnvoyLog.FORMAT);
        cmd.add("--log-format-escaped"); // one record per line
        cmd.add("--drain-time-s");
        cmd.add("0");
        cmd.add("--drain-strategy");
        cmd.add("immediate");
        cmd.add("--local-address-ip-version");
        cmd.add("v4");
        return cmd;
    }

    /**
     * Starts Envoy and waits until it is ready; if it exits first or is not ready in time, it is
     * stopped and the exception carries Envoy's own reason.
     */
    public static EnvoyProcess start(
            Path binary,
            Path runDir,
            Path config,
            String wasmLogLevel,
            Duration readyTimeout,
            HttpClient http)
            throws DeploymentException {
        Path adminFile = runDir.resolve("admin.addr");
        List<String> cmd = command(binary, config, adminFile, wasmLogLevel);
        long t0 = System.nanoTime();
        Process p;
        try {
            p =
                    new ProcessBuilder(cmd)
                            .directory(runDir.toFile())
                            .redirectErrorStream(true)
                            .start();
            p.getOutputStream().close();
        } catch (IOException e) {
            throw new DeploymentException(
                    "Envoy did not start (" + binary + "): " + e.getMessage(), e);
        }
        EnvoyLog log =
                new EnvoyLog(
                        p.getInputStream(),
                        "pwtck-envoy-log-" + p.pid(),
                        runDir.resolve("envoy.log"));
        try {
            long spawned = System.nanoTime();
            URI admin = awaitAdmin(p, log, adminFile, t0, readyTimeout);
            long adminUp = System.nanoTime();
            awaitReady(p, log, admin, http, t0, readyTimeout);
            long readyMillis = (System.nanoTime() - t0) / 1_000_000;
            LOG.debug(
                    "envoy pid {}: spawned {} ms, admin address {} ms, ready {} ms",
                    p.pid(),
                    (spawned - t0) / 1_000_000,
                    (adminUp - t0) / 1_000_000,
                    readyMillis);
            int port = listenerPort(admin, http);
            return new EnvoyProcess(p, log, admin, port, readyMillis);
        } catch (DeploymentException e) {
            stop(p, log);
            throw e;
        } catch (InterruptedException e) {
            stop(p, log);
            Thread.currentThread().interrupt();
            throw new DeploymentException("interrupted while Envoy started", e);
        } catch (IOException | RuntimeException e) {
            stop(p, log);
            throw new DeploymentException(
                    "Envoy started but could not be queried: "
                            + e
                            + "; Envoy log: "
                            + log.reason(8),
                    e);
        }
    }

    private static URI awaitAdmin(
            Process p, EnvoyLog log, Path adminFile, long t0, Duration timeout)
            throws DeploymentException, InterruptedException, IOException {
        while (true) {
            if (Files.exists(adminFile)) {
                String addr = Files.readString(adminFile, StandardCharsets.UTF_8).strip();
                if (!addr.isEmpty()) {
                    return URI.create("http://" + addr);
                }
            }
            checkAlive(p, log, t0, timeout, "its admin address");
            Thread.sleep(10);
        }
    }

    private static void awaitReady(
            Process p, EnvoyLog log, URI admin, HttpClient http, long t0, Duration timeout)
            throws DeploymentException, InterruptedException {
        HttpRequest ready =
                HttpRequest.newBuilder(admin.resolve("/ready"))
                        .timeout(Duration.ofSeconds(2))
                        .build();
        String last = "no answer";
        while (true) {
            try {
                HttpResponse<String> r = http.send(ready, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body().strip();
            } catch (IOException e) {
                last = e.toString();
            }
            checkAlive(p, log, t0, timeout, "/ready (last: " + last + ")");
            Thread.sleep(10);
        }
    }

    private static void checkAlive(
            Process p, EnvoyLog log, long t0, Duration timeout, String waitingFor)
            throws DeploymentException, InterruptedException {
        if (!p.isAlive()) {
            log.drain(2000);
            throw new DeploymentException(
                    "Envoy exited with code "
                            + p.exitValue()
                            + " before it was ready: "
                            + log.reason(6));
        }
        if (System.nanoTime() - t0 > timeout.toNanos()) {
            throw new DeploymentException(
                    "Envoy was not ready within "
                            + timeout.toMillis()
                            + " ms (waiting for "
                            + waitingFor
                            + "); Envoy log: "
                            + log.reason(8));
        }
    }

    private static int listenerPort(URI admin, HttpClient http)
            throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(admin.resolve("/listeners?format=json"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return listenerPort(JSON.readTree(r.body()), EnvoyBootstrap.LISTENER);
    }

    /** The port of the named listener in an admin {@code /listeners?format=json} answer. */
    static int listenerPort(JsonNode listeners, String name) throws IOException {
        for (JsonNode l : listeners.path("listener_statuses")) {
            if (l.path("name").asText().equals(name)) {
                int port =
                        l.path("local_address").path("socket_address").path("port_value").asInt(0);
                if (port > 0) {
                    return port;
                }
            }
        }
        throw new IOException("no listener " + name + " with a port in " + listeners);
    }

    URI admin() {
        return admin;
    }

    public int listenerPort() {
        return listenerPort;
    }

    public long readyMillis() {
        return readyMillis;
    }

    /**
     * Empty while Envoy runs; else its exit code and last error lines (a crash's signal and
     * backtrace header). Waits up to 500 ms for a process that is going down to finish.
     */
    Optional<String> deathReason() {
        try {
            process.waitFor(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (process.isAlive()) {
            return Optional.empty();
        }
        log.drain(2000);
        return Optional.of("exit code " + process.exitValue() + "; " + log.crashReason(4));
    }

    EnvoyLog log() {
        return log;
    }

    /** The process id, e.g. for its CPU time and resident memory in {@code /proc}. */
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        stop(process, log);
    }

    /** SIGTERM, up to 5 s for a clean exit (ENVOY.md §2.5), then SIGKILL. */
    private static void stop(Process p, EnvoyLog log) {
        try {
            terminate(p);
        } finally {
            LIVE.remove(p);
        }
        log.drain(1000);
    }

    /** SIGTERM, up to 5 s, then SIGKILL: how every child process of the TCK is stopped. */
    public static void terminate(Process p) {
        if (p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
