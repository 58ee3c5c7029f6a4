package org.pwtck.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.pwtck.tck.cases.FilterBehaviourCases;
import org.pwtck.tck.http.RealHttpbin;

/**
 * Without Python's httpbin the real-httpbin arm of the Org/Product cases is SKIPPED with the
 * install command as the reason, never passed, and the report's provenance says so.
 */
class RealHttpbinSkipTest {
    @TempDir Path reports;

    @Test
    void aMissingPythonIsAReasonNamingTheInstallCommand() {
        RealHttpbin.Start s =
                RealHttpbin.start("/nonexistent/python3", "127.0.0.1", 0, Duration.ofSeconds(5));
        assertTrue(s.httpbin().isEmpty());
        assertTrue(s.reason().contains(RealHttpbin.INSTALL), s.reason());
    }

    @Test
    void realHttpbinCasesAreSkippedWithTheInstallCommand() throws Exception {
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(selectClass(FilterBehaviourCases.class))
                                .configurationParameter("pwtck.host", "reference")
                                .configurationParameter("pwtck.report.dir", reports.toString())
                                .configurationParameter("pwtck.languages", "rust")
                                .configurationParameter("pwtck.cases", "OrgProduct.*")
                                .configurationParameter(
                                        "pwtck.httpbin.python", "/nonexistent/python3")
                                .build());
        JsonNode report =
                new ObjectMapper().readTree(reports.resolve("reference/report.json").toFile());
        int real = 0;
        for (JsonNode r : report.path("results")) {
            String id = r.path("caseId").asText();
            if (id.endsWith("RealHttpbin")) {
                real++;
                assertEquals("SKIPPED", r.path("outcome").asText(), id);
                assertTrue(
                        r.path("evidence").path("message").asText().contains(RealHttpbin.INSTALL),
                        id + ": " + r.path("evidence"));
            } else {
                assertEquals("PASS", r.path("outcome").asText(), id);
            }
        }
        assertEquals(2, real, "the two real-httpbin cases");
        assertTrue(
                report.path("provenance")
                        .path("upstreams")
                        .path("httpbin_real")
                        .asText()
                        .contains(RealHttpbin.INSTALL));
    }
}
