package org.multimagnet.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Checksums;
import org.multimagnet.ui.calibration.CalibrationViewModel;
import org.multimagnet.ui.calibration.EngineCalibrationService;
import org.multimagnet.ui.common.DefaultComputeExecutor;
import org.multimagnet.ui.common.ReplaceQuestion;
import org.multimagnet.ui.common.WorkspaceModel;
import org.multimagnet.ui.history.HistoryViewModel;
import org.multimagnet.ui.training.EngineTrainingService;
import org.multimagnet.ui.training.TrainingViewModel;
import org.multimagnet.workspace.Artifact;
import org.multimagnet.workspace.ArtifactHistory;

/**
 * The Training and Calibration panes ask before they replace what the workspace holds, over the real engine; a
 * refusal changes nothing, and the history window restores a replaced version.
 */
class ConsentPanesTest {
    private final RecordingDialogs dialogs = new RecordingDialogs();
    private final DefaultComputeExecutor sync = DefaultComputeExecutor.synchronous();

    @TempDir
    Path tmp;


    @Test
    void trainingAndCalibrationAskAndARefusalChangesNothing() throws IOException {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        Map<String, String> before = TestWorkspaces.snapshot(ws);
        WorkspaceModel model = new WorkspaceModel(ws);

        TrainingViewModel training = new TrainingViewModel(new EngineTrainingService(), sync, dialogs, model);
        training.epochsProperty().set(1);
        dialogs.answers.add(ReplaceQuestion.CANCEL);
        training.train(List.of(1, 2));
        assertEquals(1, dialogs.questions.size());
        String q = dialogs.questions.get(0);
        assertTrue(q.startsWith("Replace models/ae-01?") && q.contains("30 epochs on 7,000 images")
                && q.contains("and 1 more trained model would be replaced: ae-02") && q.contains("with 1-epoch models?"),
                q);
        assertEquals("Nothing trained: the stored models are unchanged.", training.statusProperty().get());
        assertTrue(!training.trainingProperty().get());

        CalibrationViewModel calibration = new CalibrationViewModel(new EngineCalibrationService(), sync, dialogs,
                model);
        calibration.attackProperty().set("fgsm");
        calibration.reload();
        calibration.run(); // no answer left: the dialog is closed, which is a refusal
        assertEquals(2, dialogs.questions.size());
        assertTrue(dialogs.questions.get(1).startsWith("Replace calibration/fgsm?"), dialogs.questions.get(1));
        assertEquals("Nothing replaced: the stored C_best is unchanged.", calibration.statusProperty().get());
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
        assertEquals(before, TestWorkspaces.snapshot(ws), "refusals change nothing");
    }

    @Test
    void theHistoryWindowListsAndRestoresAKeptVersion() throws IOException {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        Map<String, String> report = TestWorkspaces.snapshot(ws.resolve("report"));
        new ArtifactHistory(ws).keep(Artifact.report(), "a test");
        Files.writeString(ws.resolve("report/report.md"), "another report");

        HistoryViewModel history = new HistoryViewModel(sync, dialogs, new WorkspaceModel(ws));
        history.reload();
        HistoryViewModel.Row kept = history.rows().stream().filter(r -> r.artifact().equals("report")
                && r.restorable()).findFirst().orElseThrow();
        assertEquals(1, kept.version());
        assertEquals("a test", kept.reason());
        assertTrue(history.rows().stream().anyMatch(r -> r.artifact().equals("attacks/cw-test") && !r.restorable()));

        history.restore(kept); // no answer: nothing happens
        assertEquals("another report", Files.readString(ws.resolve("report/report.md")));
        dialogs.answers.add("Restore");
        history.restore(kept);
        assertEquals(report, TestWorkspaces.snapshot(ws.resolve("report")));
        assertTrue(history.statusProperty().get().contains("kept as version 2"), history.statusProperty().get());
        assertEquals(2, history.rows().stream().filter(r -> r.artifact().equals("report") && r.restorable()).count());
    }
}
