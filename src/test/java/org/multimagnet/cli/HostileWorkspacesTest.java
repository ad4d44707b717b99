package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;

/**
 * The hostile-workspace fuzz suite: {@value #WORKSPACE_CASES} seeded tampered workspaces and
 * {@value #ARGUMENT_CASES} bad command lines ({@link HostileWorkspaces}), each run through the command line in one
 * child JVM with a 1 GiB heap ({@link HostileWorkspacesMain}). Every case must be refused with exit code 2 and exactly
 * one line on standard error, starting {@code error: } and naming the tampered file or the option, within 30 s;
 * every path of the workspace the case did not tamper with must be as it was, and the file outside the workspace
 * that planted links point to must never be written.
 */
class HostileWorkspacesTest {
    static final long SEED = 15;
    static final int WORKSPACE_CASES = 216;
    static final int ARGUMENT_CASES = 146;

    @TempDir
    Path tmp;

    @Test
    void everyHostileWorkspaceAndArgumentIsRefusedInOneLineAndTouchesNothingElse() throws Exception {
        assumeTrue(Files.isRegularFile(TestWorkspaces.DEMO.resolve("workspace.json")), "no demo workspace");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mkfifo")) || Files.isExecutable(Path.of("/bin/mkfifo")),
                "no mkfifo to make FIFOs");
        Path base = baseWorkspace(tmp.resolve("base"));
        Path results = tmp.resolve("results.jsonl");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx1g", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), HostileWorkspacesMain.class.getName(), base.toString(),
                tmp.resolve("scratch").toString(), Long.toString(SEED), Integer.toString(WORKSPACE_CASES),
                Integer.toString(ARGUMENT_CASES), results.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        boolean done = p.waitFor(15, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String log = tail(tmp.resolve("child.log"));
        assertTrue(done, "the suite did not finish: " + log);
        assertEquals(0, p.exitValue(), log);

        List<HostileWorkspacesMain.Result> all = HostileWorkspacesMain.read(results);
        assertEquals(WORKSPACE_CASES + ARGUMENT_CASES, all.size(), log);
        List<String> failures = new ArrayList<>();
        for (HostileWorkspacesMain.Result r : all) {
            String why = failure(r);
            if (why != null) {
                failures.add("#" + r.index() + " " + r.group() + " " + r.kind() + " " + r.args() + ": " + why);
            }
        }
        double slowest = all.stream().mapToDouble(HostileWorkspacesMain.Result::seconds).max().orElse(0);
        System.err.printf("HostileWorkspacesTest: %d workspace cases (%d kinds), %d argument cases, %d refused "
                        + "cleanly, slowest %.1f s%n", WORKSPACE_CASES, HostileWorkspaces.workspaceKinds(),
                ARGUMENT_CASES, all.size() - failures.size(), slowest);
        assertEquals(List.of(), failures);
    }

    /** @return why a case was not refused cleanly, or null */
    static String failure(HostileWorkspacesMain.Result r) {
        if (!r.problems().isEmpty()) {
            return String.join("; ", r.problems());
        }
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        if (r.exit() != 2) {
            return "exit " + r.exit() + ", expected 2; stderr: " + firstLines(r.err());
        }
        if (lines.size() != 1) {
            return lines.size() + " lines on stderr, expected 1: " + firstLines(r.err());
        }
        String line = lines.get(0);
        if (!line.startsWith("error: ")) {
            return "stderr does not start with 'error: ': " + line;
        }
        String named = r.named().endsWith("/") ? r.named().substring(0, r.named().length() - 1) : r.named();
        if (!line.contains(named)) {
            return "the message does not name '" + named + "': " + line;
        }
        if (r.seconds() > HostileWorkspacesMain.CASE_SECONDS) {
            return "took " + r.seconds() + " s";
        }
        return null;
    }

    private static String firstLines(String s) {
        return s.lines().limit(4).reduce((a, b) -> a + " | " + b).orElse("");
    }

    /** The demo workspace with the files the cases read: models, one attack's sets and calibration. */
    static Path baseWorkspace(Path base) throws IOException {
        Path demo = TestWorkspaces.DEMO;
        Files.createDirectories(base);
        Files.copy(demo.resolve("workspace.json"), base.resolve("workspace.json"));
        for (String dir : List.of("models", "calibration/" + HostileWorkspaces.ATTACK,
                "attacks/" + HostileWorkspaces.ATTACK + "-validation", "attacks/" + HostileWorkspaces.ATTACK + "-test")) {
            Files.createDirectories(base.resolve(dir));
            try (var files = Files.list(demo.resolve(dir))) {
                for (Path f : files.toList()) {
                    Files.copy(f, base.resolve(dir).resolve(f.getFileName().toString()));
                }
            }
        }
        return base;
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        String s = Files.readString(log, StandardCharsets.UTF_8);
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
