package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.workspace.ChildJvm;
import org.multimagnet.workspace.LockHolderMain;

/**
 * Commands that write take the workspace's lock before their first computation: while another process holds it,
 * {@code evaluate} and {@code calibrate} are refused at once in one line and write nothing (they used to run their
 * forward passes or whole grid first).
 */
class WritersLockFirstTest {
    @TempDir
    Path tmp;

    @Test
    void evaluateAndCalibrateAreRefusedAtOnceWhileAnotherProcessWrites() throws Exception {
        assumeTrue(Files.isRegularFile(TestWorkspaces.DEMO.resolve("workspace.json")), "no demo workspace");
        Path w = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        List<String> before = listing(w);
        try (ChildJvm holder = ChildJvm.start(LockHolderMain.class, w.toString())) {
            assertTrue(holder.awaitLine("locked", 30_000), holder.output());
            for (String[] args : List.of(
                    new String[] {"evaluate", "--workspace", w.toString(), "--attack", "bim"},
                    new String[] {"calibrate", "--workspace", w.toString(), "--attack", "bim"})) {
                long t0 = System.nanoTime();
                CliRun r = CliRun.of(args);
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertEquals(2, r.exit(), r.err());
                assertEquals(1, r.err().lines().count(), r.err());
                assertTrue(r.err().startsWith("error: workspace " + w.toAbsolutePath().normalize() + " is in use by process "
                        + holder.process.pid()), r.err());
                assertTrue(seconds < 5, args[0] + " took " + seconds + " s before refusing");
            }
        }
        assertEquals(before, listing(w), "nothing was written");
    }

    /**
     * A save killed after its commit point leaves the manifest naming {@code .ae-01.zip.pending}; calibrate, as it
     * takes the lock, finishes the rename and deletes killed writes' temporary files, before anything else (here
     * before it refuses a missing grid).
     */
    @Test
    void calibrateFinishesAKilledModelSaveAndTidiesLeftoversAsItTakesTheLock() throws Exception {
        assumeTrue(Files.isRegularFile(TestWorkspaces.DEMO.resolve("workspace.json")), "no demo workspace");
        Path w = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        Path model = w.resolve("models/ae-01.zip");
        byte[] committed = Files.readAllBytes(model);
        Path pending = w.resolve("models/.ae-01.zip.pending");
        Files.write(pending, committed);
        Files.write(model, new byte[] {1, 2, 3}); // the old file, not yet replaced when the save was killed
        Path tmpFile = Files.writeString(w.resolve("calibration/bim/.cbest.json." + (ProcessHandle.current().pid() + 1)
                + "-1.tmp"), "half written by a process since killed");
        CliRun r = CliRun.of("calibrate", "--replace", "--workspace", w.toString(), "--attack", "bim", "--grid",
                tmp.resolve("none.json").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("none.json: file not found"), r.err());
        org.junit.jupiter.api.Assertions.assertArrayEquals(committed, Files.readAllBytes(model));
        assertTrue(!Files.exists(pending) && !Files.exists(tmpFile), "leftovers are gone");
    }

    private static List<String> listing(Path w) throws Exception {
        try (Stream<Path> s = Files.walk(w)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(".lock"))
                    .map(p -> w.relativize(p) + " " + p.toFile().length() + " " + p.toFile().lastModified()).sorted()
                    .toList();
        }
    }
}
