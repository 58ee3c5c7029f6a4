package org.pwtck.tck.latency.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.config.ConfigLoader;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.vm.EngineMode;

/** The bench's reference-host config, as the host's loader reads it. */
class ReferenceHostTargetConfigTest {
    @TempDir Path dir;

    private HostConfig load(String text) throws Exception {
        Path file = dir.resolve("host.yaml");
        Files.writeString(file, text);
        return ConfigLoader.load(file);
    }

    @Test
    void withAFilter() throws Exception {
        Path wasm = dir.resolve("headers.wasm");
        Files.write(wasm, new byte[] {0});
        FilterUnderTest f =
                new FilterUnderTest("headers", "rust", wasm, "{\"add\": 1}", "compiler");

        HostConfig c = load(ReferenceHostTarget.config(5050, Optional.of(f)));

        assertEquals(List.of(new HostConfig.Listener("main", "127.0.0.1", 0, true)), c.listeners());
        assertEquals(1, c.workers());
        assertEquals(Duration.ofSeconds(10), c.limits().callbackDeadline());
        HostConfig.Endpoint up = new HostConfig.Endpoint("127.0.0.1", 5050);
        assertEquals(List.of(up), c.clusters().get("up").endpoints());
        assertEquals(List.of(up), c.clusters().get("httpbin").endpoints());
        HostConfig.Filter filter = c.filters().get("headers");
        assertEquals(wasm.toAbsolutePath(), filter.path());
        assertEquals(EngineMode.COMPILER, filter.engine());
        assertEquals(LogLevel.WARN, filter.logLevel());
        assertEquals("{\"add\": 1}", filter.pluginConfig());
        HostConfig.Route route = c.routes().get(0);
        assertEquals("up", route.cluster());
        assertEquals(List.of("headers"), route.filters().stream().map(e -> e.filter()).toList());
    }

    @Test
    void withoutAFilterTheRouteHasNone() throws Exception {
        HostConfig c = load(ReferenceHostTarget.config(5050, Optional.empty()));

        assertTrue(c.filters().isEmpty());
        assertEquals(1, c.routes().size());
        assertTrue(c.routes().get(0).filters().isEmpty());
    }
}
