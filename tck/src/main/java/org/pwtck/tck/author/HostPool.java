package org.pwtck.tck.author;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.pwtck.reports.model.HostInfo;
import org.pwtck.tck.api.HostUnderTest;
import org.pwtck.tck.api.HostUnderTestProvider;
import org.pwtck.tck.api.TckConfig;
import org.pwtck.tck.http.EchoBackend;

/**
 * The hosts a filter author's run uses, found through the same {@link HostUnderTestProvider} SPI as
 * the TCK's, each started once with its own echo upstream. A host that cannot be created or started
 * (no Envoy binary, no Docker) is {@link Slot#unavailable() unavailable} with the reason, so
 * callers report it as skipped, never as passed.
 */
public final class HostPool implements AutoCloseable {
    private final TckConfig config;
    private final Map<String, Slot> slots = new LinkedHashMap<>();

    /** A host ready for deployments, or the reason it is not. */
    public record Slot(
            String id,
            Optional<HostUnderTest> host,
            Optional<EchoBackend> echo,
            HostInfo info,
            Optional<String> unavailable) {}

    public HostPool(TckConfig config) {
        this.config = config;
    }

    /** Options from system properties only ({@code pwtck.envoy.bin}, …). */
    public static HostPool fromSystemProperties() {
        return new HostPool(new TckConfig(k -> Optional.empty()));
    }

    /** Every host id a provider on the class path offers. */
    public static List<String> knownIds() {
        List<String> ids = new ArrayList<>();
        ServiceLoader.load(HostUnderTestProvider.class).forEach(p -> ids.add(p.id()));
        return ids;
    }

    /**
     * The host with this id, started on first use.
     *
     * @throws IllegalArgumentException when no provider has this id (a usage error, not a skip)
     */
    public synchronized Slot get(String id) {
        Slot slot = slots.get(id);
        if (slot == null) {
            slot = start(id);
            slots.put(id, slot);
        }
        return slot;
    }

    private Slot start(String id) {
        HostUnderTestProvider provider = null;
        for (HostUnderTestProvider p : ServiceLoader.load(HostUnderTestProvider.class)) {
            if (p.id().equals(id)) {
                provider = p;
            }
        }
        if (provider == null) {
            throw new IllegalArgumentException(
                    "unknown host \"" + id + "\"; known hosts: " + String.join(", ", knownIds()));
        }
        HostUnderTest host = null;
        EchoBackend echo = new EchoBackend();
        try {
            host = provider.create(config);
            echo.start("127.0.0.1", host.echoPort());
            host.start(echo);
            return new Slot(
                    id, Optional.of(host), Optional.of(echo), host.info(), Optional.empty());
        } catch (Exception | LinkageError e) {
            // LinkageError: an optional dependency of the adapter (Testcontainers) is absent.
            echo.close();
            HostInfo info =
                    host != null
                            ? host.info()
                            : new HostInfo(id, id, "unknown", "unknown", Map.of());
            closeQuietly(host);
            return new Slot(
                    id,
                    Optional.empty(),
                    Optional.empty(),
                    info,
                    Optional.of("host " + id + " is not available: " + e.getMessage()));
        }
    }

    @Override
    public synchronized void close() {
        for (Slot s : slots.values()) {
            s.host().ifPresent(HostPool::closeQuietly);
            s.echo().ifPresent(EchoBackend::close);
        }
        slots.clear();
    }

    private static void closeQuietly(HostUnderTest host) {
        if (host == null) {
            return;
        }
        try {
            host.close();
        } catch (Exception e) {
            // Closing a host that failed or finished: nothing more to report.
        }
    }
}
