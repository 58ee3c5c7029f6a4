package org.pwtck.tck.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pwtck.reports.HtmlReport;
import org.pwtck.reports.JUnitXmlReport;
import org.pwtck.reports.model.CompatibilityReport;
import org.pwtck.reports.model.ReportJson;

/**
 * Writes a run's report: {@code report.json} (canonical), {@code report.html}, {@code junit.xml}.
 */
public final class ReportWriter {
    private ReportWriter() {}

    public static Path write(CompatibilityReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        ReportJson.write(report, dir.resolve("report.json"));
        Files.writeString(dir.resolve("report.html"), HtmlReport.render(report));
        Files.writeString(dir.resolve("junit.xml"), JUnitXmlReport.render(report));
        return dir;
    }
}
