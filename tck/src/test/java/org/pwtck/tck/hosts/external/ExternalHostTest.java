package org.pwtck.tck.hosts.external;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pwtck.tck.api.DeploymentDeferredException;
import org.pwtck.tck.api.DeploymentException;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.http.EchoBackend;
import org.pwtck.tck.wat.WatProbe;

/** The two phases of an external run: the bundle it writes, and finding deployments in it. */
class ExternalHostTest {
    @TempDir Path dir;

    private static FilterSpec spec(int status) {
        return WatProbe.v021().body("i32.const " + status).spec("ext-" + status);
    }

    @Test
    void bundlePhaseDefersEveryDeploymentAndWritesTheConfigs() throws Exception {
        try (EchoBackend echo = new EchoBackend().start("127.0.0.1", 0)) {
            ExternalHostUnderTest host =
                    new ExternalHostUnderTest(
                            dir, Optional.empty(), 18100, Duration.ofSeconds(5), "test", 0);
            host.start(echo);
            DeploymentDeferredException e =
                    assertThrows(DeploymentDeferredException.class, () -> host.deploy(spec(1)));
            assertTrue(e.getMessage().contains("on port 18100"), e.getMessage());
            assertThrows(DeploymentDeferredException.class, () -> host.deploy(spec(2)));
            assertThrows(
                    DeploymentDeferredException.class,
                    () -> host.deploy(spec(1))); // same content, same port
            host.close();

            var ports = Bundle.ports(dir);
            assertEquals(2, ports.size(), "two distinct deployments");
            assertEquals(18100, ports.get(Bundle.key(spec(1))));
            assertEquals(18101, ports.get(Bundle.key(spec(2))));
            String envoy = Files.readString(dir.resolve("envoy.yaml"));
            assertTrue(
                    envoy.contains("port_value: 18100") && envoy.contains("port_value: 18101"),
                    envoy);
            assertTrue(envoy.contains("port_value: " + echo.port()), "clusters point at the echo");
            assertTrue(
                    Files.readString(dir.resolve("istio-wasmplugins.yaml"))
                            .contains("number: 18101"));
            assertTrue(Files.readString(dir.resolve("nginx.conf")).contains("listen 18100;"));
            assertTrue(Files.exists(dir.resolve("filters").resolve(Bundle.key(spec(1)) + ".wasm")));
        }
    }

    @Test
    void trafficPhaseRefusesADeploymentTheBundleLacks() throws Exception {
        try (EchoBackend echo = new EchoBackend().start("127.0.0.1", 0)) {
            ExternalHostUnderTest writer =
                    new ExternalHostUnderTest(
                            dir, Optional.empty(), 18100, Duration.ofSeconds(5), "test", 0);
            writer.start(echo);
            assertThrows(DeploymentDeferredException.class, () -> writer.deploy(spec(1)));
            writer.close();

            ExternalHostUnderTest runner =
                    new ExternalHostUnderTest(
                            dir,
                            Optional.of(URI.create("http://127.0.0.1")),
                            18100,
                            Duration.ofSeconds(5),
                            "test",
                            0);
            runner.start(echo);
            runner.deploy(spec(1)).close();
            DeploymentException missing =
                    assertThrows(DeploymentException.class, () -> runner.deploy(spec(3)));
            assertTrue(missing.getMessage().contains("is not in " + dir), missing.getMessage());
        }
    }

    @Test
    void trafficPhaseWithoutABundleSaysHowToWriteOne() {
        ExternalHostUnderTest runner =
                new ExternalHostUnderTest(
                        dir,
                        Optional.of(URI.create("http://127.0.0.1")),
                        18100,
                        Duration.ofSeconds(5),
                        "test",
                        0);
        var e = assertThrows(java.io.IOException.class, () -> runner.start(new EchoBackend()));
        assertTrue(e.getMessage().contains("write the bundle first"), e.getMessage());
    }
}
