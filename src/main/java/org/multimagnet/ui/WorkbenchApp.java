package org.multimagnet.ui;

import atlantafx.base.theme.PrimerLight;
import java.nio.file.Path;
import java.util.prefs.Preferences;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.multimagnet.ui.common.DefaultComputeExecutor;
import org.multimagnet.ui.common.FxDialogService;
import org.multimagnet.ui.common.RecentWorkspaces;
import org.multimagnet.ui.common.WorkspaceModel;
import org.multimagnet.ui.attack.EngineAttackService;
import org.multimagnet.ui.calibration.EngineCalibrationService;
import org.multimagnet.ui.dataset.EngineDatasetService;
import org.multimagnet.ui.deployment.EngineDeploymentService;
import org.multimagnet.ui.experiments.ExperimentRunner;
import org.multimagnet.ui.training.EngineTrainingService;

/**
 * The JavaFX workbench: wires the engine services, the compute thread and the dialogs once, and opens the window
 * on {@code workspaces/demo-mnist} (relative to the working folder), or on the folder the system property
 * {@value #WORKSPACE_PROPERTY} names. Models load lazily on the compute thread, so the window draws at once.
 */
public final class WorkbenchApp extends Application {
    /** The system property naming the workspace to open at start, e.g. {@code workspaces/demo-cifar10}. */
    public static final String WORKSPACE_PROPERTY = "multimagnet.workspace";
    /** The workspace opened at start. */
    public static final Path DEFAULT_WORKSPACE = Path.of(System.getProperty(WORKSPACE_PROPERTY,
            "workspaces/demo-mnist"));

    private DefaultComputeExecutor executor;
    private org.multimagnet.ui.common.WorkspaceWatcher watcher;

    /** Opens the workbench window; returns when it closes. */
    public static void launchWorkbench(String[] args) {
        Application.launch(WorkbenchApp.class, args);
    }

    /** @return the panes' services over the real engine */
    public static Services engineServices() {
        return new Services(new EngineDatasetService(), new EngineTrainingService(), new EngineAttackService(),
                new EngineCalibrationService(), new EngineDeploymentService(), ExperimentRunner.engine());
    }

    @Override
    public void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        executor = DefaultComputeExecutor.fxThread();
        Workbench wb = new Workbench(engineServices(), executor, new FxDialogService(stage),
                new WorkspaceModel(DEFAULT_WORKSPACE),
                new RecentWorkspaces(Preferences.userRoot().node("multimagnet-workbench")),
                System.nanoTime(), Platform::exit);
        Scene scene = new Scene(wb.view(), 1360, 860);
        stage.setTitle("MultiMagNet Workbench");
        stage.setScene(scene);
        stage.fullScreenProperty().addListener((o, a, b) -> wb.model().presentationModeProperty().set(b));
        wb.model().presentationModeProperty().addListener((o, a, b) -> stage.setFullScreen(b));
        // Esc belongs to the Task menu (cancel first, leave presentation mode only when nothing runs): the stage's
        // own full-screen exit on Esc would do both at once
        stage.setFullScreenExitKeyCombination(javafx.scene.input.KeyCombination.NO_MATCH);
        stage.setFullScreenExitHint("Presentation mode: Esc cancels a running task, then leaves; F11 leaves.");
        stage.setOnCloseRequest(e -> {
            if (!wb.model().mayQuit()) {
                e.consume();
            }
        });
        watcher = wb.watchWorkspace(java.time.Duration.ofSeconds(1));
        stage.show();
        // After the first frame: the dataset loads on the compute thread while the window is already usable.
        Platform.runLater(() -> wb.dataset().loadFor(wb.model().workspace().folder()));
        wb.model().workspace().folderProperty().addListener((o, a, b) -> wb.dataset().loadFor(b));
        wb.model().workspace().presentProperty().addListener((o, a, b) -> {
            if (b) {
                wb.dataset().loadFor(wb.model().workspace().folder());
            }
        });
    }

    @Override
    public void stop() {
        if (watcher != null) {
            watcher.close();
        }
        if (executor != null) {
            executor.shutdown();
        }
    }
}
