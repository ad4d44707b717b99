package org.multimagnet.cli;

import org.multimagnet.workspace.Consent;
import picocli.CommandLine.Option;

/** {@code --replace}: the user's consent to replace artifacts the workspace holds (a picocli mixin). */
public final class ReplaceOption {
    @Option(names = "--replace",
            description = "Replace what the workspace already holds (without it the command stops, exit 2, before any "
                    + "work). The replaced version is kept: 'workspace history' lists it, 'workspace restore' brings "
                    + "it back.")
    boolean replace;

    /** @return the consent this option gives */
    Consent consent() {
        return Consent.of(replace);
    }
}
