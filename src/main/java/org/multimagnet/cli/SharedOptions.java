package org.multimagnet.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the stage commands (a picocli mixin). */
public final class SharedOptions {
    @Option(names = "--workspace", paramLabel = "W", description = "The workspace folder (default: ${DEFAULT-VALUE}).",
            defaultValue = "workspaces/demo-mnist")
    public Path workspace;

    @Option(names = "--json", description = "Print one JSON value instead of text.")
    public boolean json;
}
