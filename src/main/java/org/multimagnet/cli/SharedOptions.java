package org.multimagnet.cli;

import org.multimagnet.common.UserException;
import org.multimagnet.defense.DefenseKind;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the stage commands (a picocli mixin). */
public final class SharedOptions {
    @Option(names = "--workspace", paramLabel = "W", description = "The workspace folder (default: ${DEFAULT-VALUE}).",
            defaultValue = "workspaces/demo-mnist")
    public Path workspace;

    @Option(names = "--json", description = "Print one JSON value instead of text.")
    public boolean json;

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
}
