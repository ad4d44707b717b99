package org.multimagnet.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One in-process run of the command line, with what it printed.
 *
 * @param exit the exit code
 * @param out  standard output
 * @param err  standard error
 */
record CliRun(int exit, String out, String err) {

    /** Runs {@code args} through {@link Cli#run(PrintWriter, PrintWriter, String...)}. */
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
