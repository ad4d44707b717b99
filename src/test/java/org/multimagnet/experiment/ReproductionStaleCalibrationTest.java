package org.multimagnet.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.Checksums;
import org.multimagnet.defense.CBest;
import org.multimagnet.nn.TrainingOptions;
import org.multimagnet.workspace.CalibrationFreshness;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.ModelTraining;
import org.multimagnet.workspace.Workspace;

/**
 * The pipeline behind {@code reproduce} and the Experiments pane on the demo with member 3 retrained: the FGSM
 * calibration, made with the old member, is made again before the evaluation rather than reused, and the report
 * says so. The other calibrations are not touched (only FGSM is asked for).
 */
class ReproductionStaleCalibrationTest {
    @Test
    void aCalibrationMadeWithAnotherMemberIsMadeAgainBeforeTheEvaluation(@TempDir Path tmp) throws Exception {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        Workspace w = Workspace.openForWriting(ws);
        ModelTraining training = new ModelTraining(w, p -> { }, new Cancellation(), org.multimagnet.workspace.Consent.REPLACE);
        training.train(training.memberSpecs(List.of(3)).get(0), new TrainingOptions(1, 500, 7), m -> { });
        CalibrationStore store = new CalibrationStore(ws);
        CBest oldFgsm = store.readCBest("fgsm").orElseThrow();
        CBest oldBim = store.readCBest("bim").orElseThrow();
        assertTrue(CalibrationFreshness.check(ws, oldFgsm).stale());

        List<String> stages = new ArrayList<>();
        Reproduction.Listener listener = new Reproduction.Listener() {
            @Override
            public void stage(String name) {
                stages.add(name);
            }

            @Override
            public void progress(long done, long total, String message) {
            }
        };
        List<Path> files = new Reproduction(listener, new Cancellation()).run(new Reproduction.Options("sample:mnist",
                ws, true, 1, List.of("fgsm"), org.multimagnet.workspace.Consent.REPLACE));

        assertTrue(stages.contains("calibrate fgsm"), stages.toString());
        assertFalse(stages.stream().anyMatch(s -> s.startsWith("train") || s.startsWith("attack")), stages.toString());
        CBest newFgsm = store.readCBest("fgsm").orElseThrow();
        assertNotEquals(oldFgsm.createdAt(), newFgsm.createdAt());
        assertEquals(Checksums.sha256(ws.resolve("models/ae-03.zip")), newFgsm.inputs().get("models/ae-03.zip"));
        assertFalse(CalibrationFreshness.check(ws, newFgsm).stale());
        assertEquals(oldBim, store.readCBest("bim").orElseThrow());
        String report = Files.readString(files.stream().filter(f -> f.toString().endsWith(".md")).findFirst()
                .orElseThrow());
        assertTrue(report.contains("The calibration against fgsm was made again: ") && report.contains("ae-03 (member 3)"),
                report);
    }
}
