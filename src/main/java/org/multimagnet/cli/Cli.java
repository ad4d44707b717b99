package org.multimagnet.cli;

import java.io.PrintWriter;
import java.util.concurrent.CancellationException;
import org.multimagnet.common.BuildInfo;
import org.multimagnet.common.UserException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: one subcommand per pipeline stage (STYLE.md point 15). Exit codes: 0 success, 1 failure of
 * the program, 2 bad input (a message naming the file and what was wrong; never a stack trace), 130 cancelled.
 */
@Command(name = "multimagnet", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "MultiMagNet: detect adversarial images with a random ensemble of autoencoders.",
        subcommands = {
                DataCommand.class,
                TrainCommand.class,
                ModelsCommand.class,
                AttackCommand.class,
                CalibrateCommand.class,
                DeployCommand.class,
                EvaluateCommand.class,
                ReproduceCommand.class,
                BenchCommand.class,
        })
public final class Cli implements Runnable {
    /** Exit code for bad input. */
    public static final int EXIT_BAD_INPUT = UserException.EXIT_CODE;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "Missing a command");
    }

    /** Runs the command line with standard output and error. */
    public static int run(String... args) {
        // SameDiff prints "Added differentiated op ..." on System.out when it first builds a gradient; keep
        // standard output for the program's own results (JSON must stay parseable) and send library noise to stderr
        java.io.PrintStream stdout = System.out;
        System.setOut(System.err);
        return run(new PrintWriter(stdout, true), new PrintWriter(System.err, true), args);
    }

    /**
     * Runs the command line, printing to the given writers (tests pass their own).
     *
     * @return the exit code
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Cli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable t = ex;
            while (t != null && !(t instanceof UserException) && t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            if (t instanceof UserException) {
                commandLine.getErr().println("error: " + t.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof CancellationException) {
                commandLine.getErr().println("cancelled");
                return 130;
            }
            commandLine.getErr().println("error: " + ex);
            ex.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cl.execute(args);
    }

    /** Prints the version and the ND4J build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"MultiMagNet Workbench " + BuildInfo.version(), "ND4J: " + BuildInfo.backend()};
        }
    }
}
