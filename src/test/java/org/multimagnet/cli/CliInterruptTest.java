package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.Launcher;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.workspace.ChildJvm;

/**
 * Cancellation on the command line: Ctrl-C (SIGINT) during a long training cancels it through the engine's
 * {@code Cancellation} — the process prints "cancelled", exits with 130 within seconds, and the model it was
 * replacing is still the old one.
 */
class CliInterruptTest {
    @TempDir
    Path tmp;

    @Test
    void ctrlCDuringTrainingCancelsItAndKeepsTheStoredModel() throws Exception {
        cancelTrainingWith("-INT");
    }

    /** SIGTERM cancels the same way and exits with the documented 130, not the JVM's 143 (128 + 15). */
    @Test
    void sigtermDuringTrainingCancelsItAndExits130() throws Exception {
        cancelTrainingWith("-TERM");
    }

    private void cancelTrainingWith(String signal) throws Exception {
        assumeTrue(Files.isRegularFile(TestWorkspaces.DEMO.resolve("workspace.json")), "no demo workspace");
        assumeTrue(Files.isExecutable(Path.of("/bin/kill")) || Files.isExecutable(Path.of("/usr/bin/kill")),
                "no kill command to send SIGINT");
        Path w = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        byte[] before = Files.readAllBytes(w.resolve("models/ae-01.zip"));
        try (ChildJvm child = ChildJvm.start(Launcher.class, "train", "--replace", "--workspace", w.toString(), "--what",
                "autoencoders", "--members", "1", "--epochs", "500", "--batch-size", "32", "--seed", "3")) {
            long waitEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!child.output().contains("epoch") && System.nanoTime() < waitEnd && child.process.isAlive()) {
                Thread.sleep(20);
            }
            assertTrue(child.output().contains("epoch"), "training started: " + child.output());
            long t0 = System.nanoTime();
            new ProcessBuilder("kill", signal, Long.toString(child.process.pid())).inheritIO().start().waitFor();
            assertTrue(child.process.waitFor(15, TimeUnit.SECONDS), "the child ended after SIGINT");
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.err.printf("CliInterruptTest: ended %.2f s after %s%n", seconds, signal);
            Thread.sleep(200); // let the reader take the last lines
            assertEquals(130, child.process.exitValue(), child.output());
            assertTrue(child.output().contains("cancelled"), child.output());
            assertTrue(seconds < 5, "ended " + seconds + " s after SIGINT");
        }
        assertArrayEquals(before, Files.readAllBytes(w.resolve("models/ae-01.zip")), "the stored member is unchanged");
    }
}
