package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code --seed} means one thing in every command ({@link SeedOption}). */
class SeedOptionTest {
    @Command(name = "probe")
    static final class Probe {
        @Mixin
        SeedOption seed;
    }

    private static SeedOption parse(String... args) {
        return parsed(args).seed;
    }

    private static Probe parsed(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p;
    }

    private static String announced(String... args) {
        Probe p = new Probe();
        CommandLine.ParseResult r = new CommandLine(p).parseArgs(args);
        p.seed.seed();
        StringWriter err = new StringWriter();
        SeedOption.announceDrawn(r, new PrintWriter(err, true));
        return err.toString() + "|" + p.seed.seed();
    }

    @Test
    void aGivenSeedIsUsedAsItIsAndNotAnnounced() {
        SeedOption s = parse("--seed", "42");
        assertEquals(42, s.seed());
        assertFalse(s.isDrawn());
        assertEquals("|42", announced("--seed", "42"));
    }

    @Test
    void aMissingSeedIsDrawnOnceNeverNegativeAndAnnounced() {
        SeedOption s = parse();
        long first = s.seed();
        assertEquals(first, s.seed(), "one draw per run");
        assertTrue(first >= 0, "passes back as --seed " + first);
        assertTrue(s.isDrawn());
        assertNotEquals(first, parse().seed(), "another run, another draw");
        String[] a = announced().split("\\|");
        assertEquals("seed: " + a[1] + " (drawn; pass --seed " + a[1] + " to repeat)" + System.lineSeparator(), a[0]);
    }

    @Test
    void everyCommandWithASeedDescribesItAlike() {
        Set<String> withSeed = new TreeSet<>();
        for (CommandSpec c : WorkspaceOptionTest.commands(new CommandLine(new Cli()).getCommandSpec())) {
            OptionSpec o = c.findOption("--seed");
            if (o != null) {
                withSeed.add(c.qualifiedName());
                assertEquals(SeedOption.DESCRIPTION, String.join(" ", o.description()), c.qualifiedName());
                assertEquals("S", o.paramLabel(), c.qualifiedName());
                assertTrue(o.defaultValue() == null, c.qualifiedName() + ": no default value");
                assertEquals(Long.class, o.type(), c.qualifiedName());
            }
        }
        assertEquals(new TreeSet<>(Set.of("multimagnet adaptive", "multimagnet attack", "multimagnet calibrate",
                "multimagnet deploy", "multimagnet evaluate", "multimagnet reproduce", "multimagnet train")), withSeed);
    }
}
