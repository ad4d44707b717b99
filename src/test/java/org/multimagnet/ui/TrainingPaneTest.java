package org.multimagnet.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multimagnet.ui.common.DefaultComputeExecutor;
import org.multimagnet.ui.common.RecentWorkspaces;
import org.multimagnet.ui.common.WorkspaceModel;
import org.multimagnet.ui.training.TrainingService;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Training pane on the real compute thread: start a training, see losses arrive, cancel it. */
@ExtendWith(ApplicationExtension.class)
class TrainingPaneTest {
    private Workbench wb;
    private DefaultComputeExecutor executor;
    private final FakeServices.FakeTraining training = new FakeServices.FakeTraining();

    @Start
    void start(Stage stage) {
        javafx.application.Application.setUserAgentStylesheet(
                new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());
        executor = DefaultComputeExecutor.fxThread();
        training.batchMillis = 20;
        Services s = FakeServices.create();
        Preferences prefs = Preferences.userRoot().node("multimagnet-workbench-test");
        wb = new Workbench(new Services(s.dataset(), training, s.attack(), s.calibration(),
                s.deployment(), s.experiments()), executor, new RecordingDialogs(),
                new WorkspaceModel(Path.of("target", "no-such-workspace")), new RecentWorkspaces(prefs), 1L, () -> { });
        stage.setScene(new Scene(wb.view(), 1240, 780));
        stage.show();
    }

    @AfterEach
    void stop() {
        executor.shutdown();
    }

    @Test
    void startThenCancelTraining(FxRobot robot) throws Exception {
        robot.interact(() -> wb.view().select(1));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> wb.training().models().size() == 11);
        @SuppressWarnings("unchecked")
        TableView<TrainingService.ModelRow> table = robot.lookup("#training-models").queryAs(TableView.class);
        robot.interact(() -> {
            wb.training().epochsProperty().set(500); // 5,000 batches of 20 ms: far longer than the test
            table.getSelectionModel().select(1);
        });
        robot.clickOn("#training-train-selected");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> wb.training().losses().size() >= 3);
        assertTrue(wb.training().trainingProperty().get());
        robot.clickOn("#training-cancel");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !wb.training().trainingProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        int seen = wb.training().losses().size();
        assertTrue(seen < 5000, "stopped early, saw " + seen + " of 5,000 batches");
        assertTrue(wb.training().statusProperty().get().contains("cancelled"), wb.training().statusProperty().get());
        assertEquals(null, wb.training().outcomeProperty().get());
        // every loss point reached the chart's list in order (coalesced progress must not drop points)
        for (int i = 0; i < seen; i++) {
            assertEquals(i + 1, wb.training().losses().get(i).batch() + 10 * (wb.training().losses().get(i).epoch() - 1));
        }
    }

    @Test
    void shortTrainingShowsReconstructions(FxRobot robot) throws Exception {
        training.batchMillis = 1;
        robot.interact(() -> wb.view().select(1));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> wb.training().models().size() == 11);
        robot.interact(() -> wb.training().train(java.util.List.of(3)));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> wb.training().outcomeProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(10, wb.training().losses().size(), "1 epoch of 10 batches");
        var grid = robot.lookup("#training-samples").queryAs(javafx.scene.layout.GridPane.class);
        assertEquals(3 + 3 * 4, grid.getChildren().size());
        assertFalse(wb.training().trainingProperty().get());
    }
}
