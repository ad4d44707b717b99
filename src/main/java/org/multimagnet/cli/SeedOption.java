package org.multimagnet.cli;

import java.io.PrintWriter;
import java.security.SecureRandom;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --seed}, with one meaning in every command (a picocli mixin). A seed not given is drawn from a
 * {@link SecureRandom}: a command that draws ensembles must not draw the same ones on every run by default (an
 * attacker who knows the default knows the draw), and one default for all commands keeps the rule simple. The drawn
 * seed is printed ({@link #announceDrawn}) and recorded with what the command writes, so that every run can be
 * repeated.
 */
public final class SeedOption {
    /** The option's description, the same in every command's help. */
    static final String DESCRIPTION = "Seeds every random choice the command makes: the same S on the same inputs "
            + "gives the same result. Default: drawn at random, recorded with what the command writes or prints, and "
            + "printed on standard error when the command ends.";

    @Option(names = "--seed", paramLabel = "S", description = DESCRIPTION)
    Long given;

    private Long drawn;

    /** @return the seed given, else one drawn at random (the same on every call) */
    public long seed() {
        if (given != null) {
            return given;
        }
        if (drawn == null) {
            drawn = new SecureRandom().nextLong() & Long.MAX_VALUE; // not negative: easy to pass back as --seed
        }
        return drawn;
    }

    /** @return whether the seed was drawn rather than given */
    public boolean isDrawn() {
        return given == null;
    }

    /**
     * Prints the seed the command that ran drew, if it drew one. Called once the command has finished or was
     * cancelled: a refused command still says only its one line, and a long one has recorded the seed with what it
     * wrote by then.
     */
    static void announceDrawn(CommandLine.ParseResult parsed, PrintWriter err) {
        CommandLine.ParseResult last = parsed;
        while (last != null && last.hasSubcommand()) {
            last = last.subcommand();
        }
        if (last == null) {
            return;
        }
        for (CommandLine.Model.CommandSpec mixin : last.commandSpec().mixins().values()) {
            if (mixin.userObject() instanceof SeedOption s && s.given == null && s.drawn != null) {
                err.println("seed: " + s.drawn + " (drawn; pass --seed " + s.drawn + " to repeat)");
                err.flush();
            }
        }
    }
}
