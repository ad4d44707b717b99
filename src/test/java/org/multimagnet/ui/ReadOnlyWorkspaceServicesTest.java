package org.multimagnet.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.workspace.Consent;
import org.multimagnet.ui.attack.EngineAttackService;
import org.multimagnet.ui.training.EngineTrainingService;
import org.multimagnet.ui.training.TrainingService;
import org.multimagnet.workspace.ChildJvm;
import org.multimagnet.workspace.LockHolderMain;

/**
 * In a workspace another process holds, the workbench's training and attack services refuse before doing
 * any work (not after minutes of training, at the save), naming the process, and leave the stored models as they were.
 */
class ReadOnlyWorkspaceServicesTest {
    @TempDir
    Path tmp;

    @Test
    void trainingAndAttacksAreRefusedAtOnceInAWorkspaceAnotherProcessHolds() throws Exception {
        assumeTrue(Files.isRegularFile(TestWorkspaces.DEMO.resolve("workspace.json")), "no demo workspace");
        Path w = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        byte[] before = Files.readAllBytes(w.resolve("models/ae-01.zip"));
        try (ChildJvm holder = ChildJvm.start(LockHolderMain.class, w.toString())) {
            assertTrue(holder.awaitLine("locked", 30_000), holder.output());
            String pid = "process " + holder.process.pid();
            long t0 = System.nanoTime();
            UserException train = assertThrows(UserException.class, () -> new EngineTrainingService().train(w, 1,
                    new TrainingService.TrainOptions(1, 500, 1), Consent.REPLACE, p -> { }, Cancellation.NEVER));
            assertTrue(train.getMessage().contains(pid), train.getMessage());
            UserException attack = assertThrows(UserException.class, () -> new EngineAttackService().generate(w,
                    "fgsm", Map.of(), "validation", 10, 1, Consent.REPLACE, false, ProgressListener.NONE,
                    Cancellation.NEVER));
            assertTrue(attack.getMessage().contains(pid), attack.getMessage());
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 10, "refused in " + seconds + " s");
        }
        assertArrayEquals(before, Files.readAllBytes(w.resolve("models/ae-01.zip")));
    }
}
