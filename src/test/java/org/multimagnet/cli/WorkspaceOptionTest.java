package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.multimagnet.TestWorkspaces;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --workspace}: a command that writes needs it (no default can send it into the committed demo, which a run
 * from the repository's root would otherwise write into); a command that only reads falls back to the demo.
 */
class WorkspaceOptionTest {
    /** Each writer, otherwise well-formed, without --workspace. */
    private static final List<List<String>> WRITERS = List.of(
            List.of("attack", "--attack", "fgsm", "--count", "5"),
            List.of("train", "--what", "classifier", "--epochs", "1"),
            List.of("calibrate", "--attack", "fgsm"),
            List.of("evaluate", "--attack", "fgsm"),
            List.of("reproduce", "--quick"),
            List.of("workspace", "restore", "models/ae-01", "1"));

    @Test
    void everyWriterWithoutAWorkspaceIsRefusedInOneLineAndTheDemoStaysAsItWas() throws IOException {
        Map<String, String> before = listing(TestWorkspaces.DEMO);
        for (List<String> args : WRITERS) {
            String command = args.get(0).equals("workspace") ? "workspace restore" : args.get(0);
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(Cli.EXIT_BAD_INPUT, r.exit(), args + ": " + r.err());
            assertEquals("error: --workspace: required for '" + command + "' (it writes into the workspace); "
                    + "e.g. --workspace workspaces/my-study" + System.lineSeparator(), r.err(), args.toString());
            assertEquals("", r.out(), args.toString());
        }
        assertEquals(before, listing(TestWorkspaces.DEMO), "no file of the demo created, changed or removed");
    }

    @Test
    void aReaderWithoutAWorkspaceReadsTheDemo() {
        CliRun r = CliRun.of("models", "list", "--json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\"id\" : 10") || r.out().contains("\"id\":10"), r.out());
    }

    @Test
    void everyCommandStatesTheSameRuleInItsHelp() {
        int seen = 0;
        for (CommandSpec c : commands(new CommandLine(new Cli()).getCommandSpec())) {
            OptionSpec o = c.findOption("--workspace");
            if (o != null) {
                assertEquals(SharedOptions.WORKSPACE_DESCRIPTION, String.join(" ", o.description()), c.qualifiedName());
                assertTrue(o.defaultValue() == null, c.qualifiedName() + ": no default value");
                seen++;
            }
        }
        assertEquals(10, seen, "train, models list, attack, calibrate, deploy, evaluate, adaptive, reproduce, "
                + "workspace history, workspace restore");
    }

    /** The command and all its subcommands, depth first. */
    static List<CommandSpec> commands(CommandSpec root) {
        List<CommandSpec> all = new java.util.ArrayList<>();
        all.add(root);
        for (CommandLine sub : root.subcommands().values()) {
            if (!all.contains(sub.getCommandSpec())) {
                all.addAll(commands(sub.getCommandSpec()));
            }
        }
        return all.stream().distinct().toList();
    }

    /** Every path under {@code dir}, the lock included, with its size and modification time. */
    private static Map<String, String> listing(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (var files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                out.put(dir.relativize(p).toString(), Files.size(p) + " " + Files.getLastModifiedTime(p));
            }
        }
        return out;
    }
}
