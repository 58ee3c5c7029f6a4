package org.pwtck.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code pwtck} in process and keeps the exit code and both streams. */
record Cli(int exitCode, String out, String err) {

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(code, out.toString(), err.toString());
    }

    /** Both streams, for assertion messages. */
    String all() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
