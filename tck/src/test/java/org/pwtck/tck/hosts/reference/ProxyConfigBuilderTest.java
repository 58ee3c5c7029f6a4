package org.pwtck.tck.hosts.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.config.ConfigLoader;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.vm.EngineMode;

/** What ProxyConfigBuilder writes, as the reference host's own loader reads it. */
class ProxyConfigBuilderTest {
    @TempDir Path dir;

    private HostConfig load(ProxyConfigBuilder builder) throws Exception {
        Path file = dir.resolve("host.yaml");
        Files.writeString(file, builder.toYaml());
        return ConfigLoader.load(file);
    }

    @Test
    void everyFieldReachesTheLoader() throws Exception {
        Files.write(dir.resolve("filter.wasm"), new byte[] {0, 'a', 's', 'm'});
        HostConfig.Endpoint echo = new HostConfig.Endpoint("127.0.0.1", 4711);
        HostConfig.Endpoint grpc = new HostConfig.Endpoint("localhost", 4712);
        ProxyConfigBuilder builder =
                new ProxyConfigBuilder()
                        .listener("main", "127.0.0.1", 0)
                        .listener("second", "0.0.0.0", 18080)
                        .admin("127.0.0.1", 19901)
                        .workers(3)
                        .pausedStreamTimeout(Duration.ofMillis(1500))
                        .callbackDeadline(Duration.ofSeconds(60))
                        .cluster("upstream", List.of(echo))
                        .cluster("grpc", List.of(grpc, echo));
        builder.filter("f", Path.of("filter.wasm"))
                .config("{\"k\": 1}")
                .vmConfig("vm")
                .rootId("root")
                .vmId("vm-id")
                .engine(EngineMode.COMPILER)
                .logLevel(LogLevel.TRACE)
                .failPolicy(HostConfig.FailPolicy.OPEN);
        builder.route("all", "/", "upstream", List.of("f"));

        HostConfig c = load(builder);

        assertEquals(
                List.of(
                        new HostConfig.Listener("main", "127.0.0.1", 0, true),
                        new HostConfig.Listener("second", "0.0.0.0", 18080, true)),
                c.listeners());
        assertEquals(new HostConfig.Admin("127.0.0.1", 19901), c.admin());
        assertEquals(3, c.workers());
        assertEquals(Duration.ofMillis(1500), c.limits().pausedStreamTimeout());
        assertEquals(Duration.ofSeconds(60), c.limits().callbackDeadline());
        assertEquals(List.of("upstream", "grpc"), List.copyOf(c.clusters().keySet()));
        assertEquals(List.of(echo), c.clusters().get("upstream").endpoints());
        assertEquals(List.of(grpc, echo), c.clusters().get("grpc").endpoints());
        HostConfig.Filter f = c.filters().get("f");
        assertEquals(dir.resolve("filter.wasm").toAbsolutePath(), f.path());
        assertEquals("{\"k\": 1}", f.pluginConfig());
        assertEquals("vm", f.vmConfig());
        assertEquals("root", f.rootId());
        assertEquals("vm-id", f.vmId());
        assertEquals(EngineMode.COMPILER, f.engine());
        assertEquals(LogLevel.TRACE, f.logLevel());
        assertEquals(HostConfig.FailPolicy.OPEN, f.failPolicy());
        assertEquals(
                List.of(
                        new HostConfig.Route(
                                "all",
                                "/",
                                "upstream",
                                List.of(new HostConfig.ChainEntry("f", Optional.empty())))),
                c.routes());
    }

    @Test
    void awkwardConfigurationsArriveByteForByte() throws Exception {
        Path wasm = dir.resolve("filter.wasm");
        Files.write(wasm, new byte[] {0});
        String awkward = "a \"quote\", a \\ and\nnew line\t tab\u0001\u007f: - [x] # ü €";
        // long enough that a YAML writer folds the line: folding must not change the spaces
        String long_ = awkward + "  two  spaces ".repeat(30) + "\u2028 end ";
        ProxyConfigBuilder builder =
                new ProxyConfigBuilder()
                        .listener("main", "127.0.0.1", 0)
                        .cluster("up", List.of(new HostConfig.Endpoint("127.0.0.1", 1)));
        builder.filter("f", wasm).config(long_).vmConfig("").rootId("").vmId("");
        builder.route("r", "/", "up", List.of("f"));

        HostConfig.Filter f = load(builder).filters().get("f");

        assertEquals(long_, f.pluginConfig());
        assertEquals("", f.vmConfig());
        assertEquals(wasm, f.path());
    }

    @Test
    void unsetFieldsTakeTheLoadersDefaults() throws Exception {
        Files.write(dir.resolve("m.wasm"), new byte[] {0});
        ProxyConfigBuilder builder =
                new ProxyConfigBuilder()
                        .listener("main", "127.0.0.1", 0)
                        .cluster("up", List.of(new HostConfig.Endpoint("127.0.0.1", 1)));
        builder.filter("f", Path.of("m.wasm"));
        builder.route("r", "/", "up", List.of());

        HostConfig c = load(builder);

        assertEquals(HostConfig.Limits.defaults(), c.limits());
        assertEquals(new HostConfig.Admin("127.0.0.1", 0), c.admin());
        HostConfig.Filter f = c.filters().get("f");
        assertEquals(EngineMode.INTERPRETER, f.engine());
        assertEquals(HostConfig.FailPolicy.CLOSED, f.failPolicy());
        assertEquals(LogLevel.INFO, f.logLevel());
        assertEquals(Map.of(), f.environment());
        assertTrue(c.routes().get(0).filters().isEmpty());
    }
}
