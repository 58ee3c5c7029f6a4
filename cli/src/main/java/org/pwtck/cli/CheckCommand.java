package org.pwtck.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.pwtck.cli.check.CheckOutput;
import org.pwtck.cli.check.CheckResult;
import org.pwtck.cli.check.CompatibilityCheck;
import org.pwtck.cli.check.PublishedReports;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pwtck check filter.wasm}: the static check against the published host reports. */
@Command(
        name = "check",
        description = {
            "Read a filter module (ABI marker, exports, env and WASI imports, memory) and "
                    + "judge each import against the published compatibility report of every target "
                    + "host.",
            "Exit 0 compatible, 1 incompatible, 2 bad input."
        })
final class CheckCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILTER.wasm", description = "The filter module.")
    Path wasm;

    @Option(
            names = "--hosts",
            split = ",",
            paramLabel = "HOST",
            description =
                    "Target hosts: host or host-version as published (e.g. reference,"
                            + " envoy-1.40.0); default: every published host.")
    List<String> hosts = List.of();

    @Option(
            names = "--format",
            paramLabel = "table|json|sarif",
            description = "Output format (default table).")
    String format = "table";

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Write the output to a file (the table still goes to stdout).")
    Path out;

    @Option(
            names = "--reports",
            paramLabel = "DIR",
            description =
                    "Published reports to judge against (<host>/<version>/report.json); default:"
                            + " the copy packaged with pwtck.")
    Path reports;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws BadInputException {
        CheckOutput output;
        try {
            output = CheckOutput.parse(format);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        FilterInput filter = FilterInput.read(wasm, Optional.empty());
        PublishedReports published = published();
        CheckResult result =
                CompatibilityCheck.run(
                        filter.inspection(),
                        filter.wasm(),
                        published.select(hosts),
                        published.source());
        String text = output.render(result);
        PrintWriter stdout = spec.commandLine().getOut();
        if (out == null) {
            stdout.print(text);
        } else {
            // The file is for tools; the CI log still shows people the table.
            if (output != CheckOutput.TABLE) {
                stdout.print(CheckOutput.TABLE.render(result));
            }
            try {
                if (out.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(out.toAbsolutePath().getParent());
                }
                Files.writeString(out, text);
            } catch (IOException e) {
                throw new BadInputException(out + ": cannot write the output: " + e.getMessage());
            }
            stdout.println(
                    (result.compatible() ? "compatible" : "INCOMPATIBLE")
                            + ": "
                            + wasm
                            + " with "
                            + String.join(", ", result.hosts())
                            + " ("
                            + result.findings().size()
                            + " findings, "
                            + output.name().toLowerCase(java.util.Locale.ROOT)
                            + " in "
                            + out
                            + ")");
        }
        stdout.flush();
        return result.compatible() ? Main.OK : Main.FAILED;
    }

    private PublishedReports published() throws BadInputException {
        if (reports != null) {
            return PublishedReports.fromDirectory(reports);
        }
        try {
            return PublishedReports.packaged();
        } catch (IOException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }
}
