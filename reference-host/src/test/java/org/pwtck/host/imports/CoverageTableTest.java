package org.pwtck.host.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The checked-in coverage table is exactly what the host's one list of functions says. */
class CoverageTableTest {
    private static final Path DOC = Path.of("..", "docs", "reference-host-coverage.json");

    @Test
    void everySpecFunctionIsImplemented() {
        HostFunctionTable table = HostFunctionTable.reference();
        table.coverage()
                .forEach(c -> assertTrue(c.implemented(), c.name() + " is not implemented"));
        assertEquals(
                44, table.coverage().size(), "43 spec functions + emscripten_notify_memory_growth");
    }

    @Test
    void checkedInTableMatchesTheCode() throws Exception {
        String expected = HostFunctionTable.reference().coverageJson();
        if (Boolean.getBoolean("pwtck.updateCoverage")) {
            Files.writeString(DOC, expected);
        }
        assertTrue(Files.exists(DOC), DOC + " is missing: run with -Dpwtck.updateCoverage=true");
        assertEquals(
                expected,
                Files.readString(DOC),
                DOC
                        + " is out of date: run mvn -pl reference-host test -Dtest=CoverageTableTest -Dpwtck.updateCoverage=true");
    }
}
