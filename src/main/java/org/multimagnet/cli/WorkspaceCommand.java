package org.multimagnet.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.multimagnet.common.Json;
import org.multimagnet.workspace.Artifact;
import org.multimagnet.workspace.ArtifactHistory;
import org.multimagnet.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code workspace}: the versions of a workspace's artifacts. Every replaced model, adversarial set, calibration,
 * evaluation and report is kept ({@link ArtifactHistory}); {@code history} lists them, {@code restore} brings one
 * back byte for byte.
 */
@Command(name = "workspace", mixinStandardHelpOptions = true,
        description = "List the kept versions of a workspace's artifacts and restore one.",
        subcommands = {WorkspaceCommand.HistoryCommand.class, WorkspaceCommand.RestoreCommand.class})
final class WorkspaceCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand (history, restore)");
    }

    /** {@code workspace history}: every artifact, what it holds now and its kept versions. */
    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "List every artifact of the workspace with its kept (replaced) versions.")
    static final class HistoryCommand implements Callable<Integer> {
        @Mixin
        SharedOptions shared;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Workspace ws = Workspace.open(shared.reading());
            List<ArtifactHistory.Entry> entries = new ArtifactHistory(ws.root()).list();
            PrintWriter out = spec.commandLine().getOut();
            if (shared.json) {
                out.println(Json.write(entries));
                return 0;
            }
            for (ArtifactHistory.Entry e : entries) {
                out.printf("%s%n  current: %s%n", e.artifact(), e.current() == null ? "(none)" : e.current());
                for (ArtifactHistory.Version v : e.versions()) {
                    out.printf(Locale.ROOT, "  %3d  %s  %s; kept %s (%s, %,d bytes)%n", v.version(),
                            v.keptAt().length() >= 16 ? v.keptAt().substring(0, 16).replace('T', ' ') : v.keptAt(),
                            v.description(), "when " + v.reason(), v.files().size() + " file"
                                    + (v.files().size() == 1 ? "" : "s"), v.bytes());
                }
            }
            if (entries.isEmpty()) {
                out.println("nothing stored in " + ws.root() + " yet");
            }
            return 0;
        }
    }

    /** {@code workspace restore ARTIFACT VERSION}: brings a kept version back, keeping the current one. */
    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Bring a kept version of an artifact back, byte for byte; the version it replaces is kept.")
    static final class RestoreCommand implements Callable<Integer> {
        @Mixin
        SharedOptions shared;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ARTIFACT",
                description = "As 'workspace history' lists it: models/ae-01, attacks/fgsm-test, calibration/fgsm, "
                        + "evaluations/fgsm-multimagnet, report.")
        String artifact;

        @Parameters(index = "1", paramLabel = "VERSION", description = "The version number 'workspace history' shows.")
        int version;

        @Override
        public Integer call() {
            Artifact a = Artifact.parse(artifact);
            Workspace ws = Workspace.openForWriting(shared.writing("workspace restore"));
            ArtifactHistory history = new ArtifactHistory(ws.root());
            Optional<ArtifactHistory.Version> kept = history.restore(a, version);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("restored %s version %d: %s%n", a.id(), version, history.current(a).orElse("?"));
            kept.ifPresent(k -> out.printf("the version it replaced is kept as version %d: %s%n", k.version(),
                    k.description()));
            return 0;
        }
    }
}
