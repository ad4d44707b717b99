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
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.seed;
    }

    @Test
    void aGivenSeedIsUsedAsItIsAndAnnouncedNowhere() {
        StringWriter err = new StringWriter();
        SeedOption s = parse("--seed", "42");
        assertEquals(42, s.seed(new PrintWriter(err, true)));
        assertEquals(42, s.seed(new PrintWriter(err, true)));
        assertFalse(s.isDrawn());
        assertEquals("", err.toString());
    }

    @Test
    void aMissingSeedIsDrawnOnceAnnouncedAndNeverNegative() {
        StringWriter err = new StringWriter();
        SeedOption s = parse();
        long first = s.seed(new PrintWriter(err, true));
        assertEquals(first, s.seed(new PrintWriter(err, true)), "one draw per run");
        assertTrue(first >= 0, "passes back as --seed " + first);
        assertTrue(s.isDrawn());
        assertEquals("seed: " + first + " (drawn; pass --seed " + first + " to repeat)" + System.lineSeparator(),
                err.toString(), "announced once");
        assertNotEquals(first, parse().seed(new PrintWriter(new StringWriter(), true)), "another run, another draw");
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
