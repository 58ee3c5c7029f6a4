package org.pwtck.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code pwtck}: gate a filter release in CI. {@code check} reads the module and judges its imports
 * against the published host reports; {@code test} loads it on each host and sends a request
 * through it; {@code gate} does that and holds it to a latency budget. Exit codes: 0 compatible /
 * passed, 1 incompatible / failed, 2 bad input (a message names the input and why).
 */
@Command(
        name = "pwtck",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Check, test and latency-gate a proxy-wasm filter before it ships.",
        subcommands = {CheckCommand.class, TestCommand.class, GateCommand.class})
public final class Main implements Callable<Integer> {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    @Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code, printing to the process's streams. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs a command line with the given output streams (for tests). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        // The hosts log through slf4j-simple; a CI log wants the verdicts, not the hosts' chatter.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(
                (e, commandLine, parsed) -> {
                    if (e instanceof BadInputException) {
                        commandLine.getErr().println("pwtck: " + e.getMessage());
                        commandLine.getErr().flush();
                        return BAD_INPUT;
                    }
                    throw e;
                });
        // picocli's own usage errors (unknown option, missing parameter) exit 2 as well.
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return BAD_INPUT;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"pwtck " + (v != null ? v : "0.1.0-SNAPSHOT")};
        }
    }
}
