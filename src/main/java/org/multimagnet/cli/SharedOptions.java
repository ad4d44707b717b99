package org.multimagnet.cli;

import org.multimagnet.common.UserException;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.stage.BadRequest;
import org.multimagnet.stage.FieldNames;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the stage commands (a picocli mixin). */
public final class SharedOptions {
    /** The workspace the commands that only read open when none is given: the committed example study. */
    static final Path DEMO = Path.of("workspaces", "demo-mnist");

    /**
     * The rule for {@code --workspace}: no command writes into a folder it was not told, least of all the committed
     * demo (run from the repository's root, a default would write into it).
     */
    static final String WORKSPACE_DESCRIPTION = "The workspace folder. Required by the commands that write into it "
            + "(train, attack, calibrate, evaluate, reproduce, workspace restore); the commands that only read "
            + "(models list, deploy, adaptive, workspace history) read workspaces/demo-mnist when it is not given.";

    @Option(names = "--workspace", paramLabel = "W", description = WORKSPACE_DESCRIPTION)
    Path workspace;

    @Option(names = "--json", description = "Print one JSON value instead of text.")
    public boolean json;

    /** @return the workspace a command that only reads opens: the one given, else the demo */
    Path reading() {
        return workspace != null ? workspace : DEMO;
    }

    /**
     * @param command the command as typed, e.g. {@code attack} or {@code workspace restore}
     * @return the workspace a command that writes opens
     * @throws UserException when none was given (exit 2, before any work)
     */
    Path writing(String command) {
        if (workspace == null) {
            throw new UserException("--workspace: required for '" + command + "' (it writes into the workspace); "
                    + "e.g. --workspace workspaces/my-study");
        }
        return workspace;
    }

    /**
     * Reads a {@code --defense} value.
     *
     * @throws UserException naming the option, the value and what is expected (exit 2, not a stack trace)
     */
    static DefenseKind parseDefense(String value) {
        try {
            return DefenseKind.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UserException("--defense " + value + ": expected magnet or multimagnet");
        }
    }

    /**
     * A field a stage refused, said as the command line's option that sets it.
     *
     * @return the stage's message with each field named by its option, e.g. {@code --chunks 0: ...}
     */
    static UserException asOptions(BadRequest e) {
        return new UserException(e.message(FieldNames.OPTIONS), e);
    }
}
