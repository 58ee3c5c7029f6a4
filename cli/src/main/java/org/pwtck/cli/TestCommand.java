package org.pwtck.cli;

import java.util.concurrent.Callable;
import org.pwtck.cli.smoke.SmokeRun;
import org.pwtck.tck.author.FilterRunReport;
import org.pwtck.tck.author.HostPool;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code pwtck test filter.wasm}: the smoke behaviour on each host, no test code needed. */
@Command(
        name = "test",
        description = {
            "Load and configure the filter on each host, send one request, and check it "
                    + "passes through (or gets --expect-status from the filter). Writes the report per "
                    + "host.",
            "Exit 0 passed, 1 failed (or no host available), 2 bad input."
        })
final class TestCommand implements Callable<Integer> {
    @Mixin RunOptions options;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws BadInputException {
        FilterInput filter = options.filter();
        SmokeRun smoke = options.smoke(filter);
        FilterRunReport report =
                new FilterRunReport("pwtck test " + options.wasm).addFilter(SmokeRun.info(filter));
        try (HostPool pool = HostPool.fromSystemProperties()) {
            for (String host : options.hostIds()) {
                smoke.run(pool.get(host), report);
            }
        }
        return RunSummary.finish(
                report, options.reportDir, options.requireAllHosts, spec.commandLine().getOut());
    }
}
