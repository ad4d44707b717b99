package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;

class NextStepTest {
    @TempDir
    Path tmp;

    @Test
    void eachStageLeadsToTheNext() throws Exception {
        Path w = Files.createDirectories(tmp.resolve("new"));
        assertEquals(NextStep.Stage.CREATE, NextStep.of(w));
        Files.writeString(w.resolve(Workspace.CONFIG), "{\"dataset\":\"sample:mnist\"}");
        assertEquals(NextStep.Stage.TRAIN, NextStep.of(w));

        assumeTrue(Files.isDirectory(TestWorkspaces.DEMO.resolve("calibration")), "no demo workspace");
        Path demo = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        assertEquals(NextStep.Stage.READY, NextStep.of(demo));
        // a member replaced after the calibration: calibrate again
        Files.copy(demo.resolve("models/ae-04.zip"), demo.resolve("models/ae-03.zip"),
                StandardCopyOption.REPLACE_EXISTING);
        assertEquals(NextStep.Stage.RECALIBRATE, NextStep.of(demo));
    }
}
