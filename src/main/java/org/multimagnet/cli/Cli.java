package org.multimagnet.cli;

import java.io.PrintWriter;
import java.util.concurrent.CancellationException;
import org.multimagnet.common.BuildInfo;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.UserException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: one subcommand per pipeline stage. Exit codes: 0 success, 1 failure of
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
                AdaptiveCommand.class,
                ReproduceCommand.class,
                WorkspaceCommand.class,
                BenchCommand.class,
                SweepCommand.class,
        })
public final class Cli implements Runnable {
    /** Exit code for bad input. */
    public static final int EXIT_BAD_INPUT = UserException.EXIT_CODE;
    /** Exit code of a command cancelled by Ctrl-C (SIGINT) or SIGTERM. */
    public static final int EXIT_CANCELLED = 130;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "Missing a command");
    }

    /** The running command's cancellation: set by {@link #run(PrintWriter, PrintWriter, String...)}. */
    private static volatile Cancellation current = new Cancellation();

    /** @return what a command checks to stop early: cancelled by Ctrl-C (SIGINT) or SIGTERM */
    static Cancellation cancellation() {
        return current;
    }

    /**
     * Runs the command line with standard output and error. Ctrl-C or SIGTERM cancels the command instead of cutting
     * it off: a shutdown hook cancels it and waits (up to {@link #SHUTDOWN_WAIT_MS} ms) until it has unwound —
     * printed "cancelled", left every artifact it had not finished as it was — and the process then exits with 130.
     */
    public static int run(String... args) {
        // standard output carries the program's own results (JSON must stay parseable); whatever a library prints
        // on System.out goes to stderr
        java.io.PrintStream stdout = System.out;
        System.setOut(System.err);
        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            if (finished.getCount() == 0) {
                return; // the command ended and the process exits with its code: nothing to cancel
            }
            current.cancel();
            try {
                finished.await(SHUTDOWN_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // the JVM would exit with 128 + the signal's number (130 for SIGINT, 143 for SIGTERM); a cancelled
            // command exits with 130 whichever signal cancelled it
            Runtime.getRuntime().halt(EXIT_CANCELLED);
        }, "cli-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(new PrintWriter(stdout, true), new PrintWriter(System.err, true), args);
        } finally {
            finished.countDown();
        }
    }

    /** How long an interrupted command may take to unwind before the process ends anyway. */
    static final long SHUTDOWN_WAIT_MS = 5_000;

    /**
     * Runs the command line, printing to the given writers (tests pass their own).
     *
     * @return the exit code
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        current = new Cancellation();
        CommandLine cl = new CommandLine(new Cli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(out);
        cl.setErr(err);
        // a mistyped option is told in one line, like every other bad input; --help has the usage
        cl.setParameterExceptionHandler((ex, args2) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + oneLine(ex.getMessage()) + " (see '"
                    + c.getCommandSpec().qualifiedName() + " --help')");
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable t = ex;
            while (t != null && !(t instanceof UserException) && t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            if (t instanceof UserException) {
                commandLine.getErr().println("error: " + oneLine(t.getMessage()));
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof CancellationException) {
                commandLine.getErr().println("cancelled");
                return EXIT_CANCELLED;
            }
            if (ex instanceof java.io.UncheckedIOException io) {
                // a full disk, a read-only folder, a file that vanished: the user's to fix, told in one line
                commandLine.getErr().println("error: " + oneLine(io.getMessage()));
                return EXIT_BAD_INPUT;
            }
            commandLine.getErr().println("error: " + ex);
            ex.printStackTrace(commandLine.getErr());
            return 1;
        });
        try {
            int code = cl.execute(args);
            if ((code == 0 || code == EXIT_CANCELLED) && cl.getParseResult() != null) {
                SeedOption.announceDrawn(cl.getParseResult(), err);
            }
            return code;
        } catch (OutOfMemoryError e) {
            // every reader bounds its input by the heap; should something still not fit, say so in one line
            err.println("error: out of memory (" + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB heap): "
                    + oneLine(e.getMessage()) + "; give Java more memory (-Xmx) or the command a smaller input");
            err.flush();
            return 1;
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    /** Prints the version and the ND4J build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"MultiMagNet Workbench " + BuildInfo.version(), "ND4J: " + BuildInfo.backend()};
        }
    }
}
