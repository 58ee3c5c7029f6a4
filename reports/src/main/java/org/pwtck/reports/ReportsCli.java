package org.pwtck.reports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.pwtck.reports.model.CompatibilityReport;
import org.pwtck.reports.model.ReportJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pwtck-reports merge --out DIR report.json...}: renders each run's own page and one
 * side-by-side {@code index.html} with a {@code differences.html}. {@code pwtck-reports render
 * report.json} re-renders one run's HTML and JUnit XML next to it.
 */
@Command(
        name = "pwtck-reports",
        mixinStandardHelpOptions = true,
        subcommands = {ReportsCli.Merge.class, ReportsCli.Render.class},
        description = "Render pwtck compatibility reports (the JSON is canonical).")
public final class ReportsCli {

    public static void main(String[] args) {
        System.exit(
                new CommandLine(new ReportsCli())
                        .setExecutionExceptionHandler(
                                (e, cmd, parsed) -> {
                                    cmd.getErr().println("pwtck-reports: " + e.getMessage());
                                    return 2;
                                })
                        .execute(args));
    }

    @Command(
            name = "merge",
            description = "Put several runs side by side, with a host-differences page.")
    static final class Merge implements Callable<Integer> {
        @Option(
                names = "--out",
                required = true,
                description = "Directory for index.html and differences.html")
        Path out;

        @Parameters(arity = "1..*", description = "report.json files, one per host run")
        List<Path> reports;

        @Override
        public Integer call() throws Exception {
            Files.createDirectories(out);
            List<SideBySideReport.Run> runs = new ArrayList<>();
            for (Path p : reports) {
                CompatibilityReport r = ReportJson.read(p);
                Path page = p.resolveSibling("report.html");
                Files.writeString(page, HtmlReport.render(r));
                runs.add(
                        new SideBySideReport.Run(
                                r,
                                out.toAbsolutePath().relativize(page.toAbsolutePath()).toString()));
            }
            Files.writeString(out.resolve("index.html"), SideBySideReport.index(runs));
            Files.writeString(
                    out.resolve("differences.html"), SideBySideReport.differencesPage(runs));
            System.out.println(
                    "wrote "
                            + out.resolve("index.html")
                            + " ("
                            + runs.size()
                            + " runs, "
                            + SideBySideReport.differences(runs).size()
                            + " differences)");
            return 0;
        }
    }

    @Command(name = "render", description = "Render one report's HTML and JUnit XML next to it.")
    static final class Render implements Callable<Integer> {
        @Parameters(arity = "1", description = "a report.json")
        Path report;

        @Override
        public Integer call() throws Exception {
            CompatibilityReport r = ReportJson.read(report);
            Files.writeString(report.resolveSibling("report.html"), HtmlReport.render(r));
            Files.writeString(report.resolveSibling("junit.xml"), JUnitXmlReport.render(r));
            System.out.println("wrote " + report.resolveSibling("report.html"));
            return 0;
        }
    }
}
