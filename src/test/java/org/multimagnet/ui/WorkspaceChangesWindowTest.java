package org.multimagnet.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.prefs.Preferences;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.ui.common.DefaultComputeExecutor;
import org.multimagnet.ui.common.RecentWorkspaces;
import org.multimagnet.ui.common.WorkspaceModel;
import org.multimagnet.ui.common.WorkspaceWatcher;
import org.multimagnet.ui.deployment.EngineDeploymentService;
import org.multimagnet.workspace.ChildJvm;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window follows its workspace when another process changes it: a member retrained and the models recalibrated
 * by a separate JVM (the command line's {@code train} and {@code calibrate}) show in the Deployment pane without
 * reopening the workspace, first as a refusal naming the changed member, then as the new calibration.
 */
@ExtendWith(ApplicationExtension.class)
class WorkspaceChangesWindowTest {
    @TempDir
    Path tmp;
    private Stage stage;

    @Start
    void start(Stage stage) {
        javafx.application.Application.setUserAgentStylesheet(
                new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());
        this.stage = stage;
        stage.setScene(new Scene(new StackPane(), 1280, 800));
        stage.show();
    }

    @Test
    void aModelRetrainedAndRecalibratedByAnotherProcessShowsInTheDeploymentPane(FxRobot robot) throws Exception {
        assumeTrue(Files.isDirectory(TestWorkspaces.DEMO.resolve("calibration")), "no calibrated demo workspace");
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        try (ChildJvm other = ChildJvm.start(RetrainAndRecalibrateMain.class, ws.toString(), "3", "fgsm")) {
            assertTrue(other.awaitLine("locked", 60_000), other.output());
            Workbench[] wb = new Workbench[1];
            WorkspaceWatcher[] watcher = new WorkspaceWatcher[1];
            Preferences prefs = Preferences.userRoot().node("multimagnet-workbench-test-" + System.nanoTime());
            robot.interact(() -> {
                Services fakes = FakeServices.create();
                Services services = new Services(fakes.dataset(), fakes.training(), fakes.attack(),
                        fakes.calibration(), new EngineDeploymentService(), fakes.experiments());
                wb[0] = new Workbench(services, DefaultComputeExecutor.synchronous(), new RecordingDialogs(),
                        new WorkspaceModel(ws), new RecentWorkspaces(prefs), 3L, () -> { });
                stage.getScene().setRoot(wb[0].view());
                watcher[0] = wb[0].watchWorkspace(java.time.Duration.ofMillis(200));
                wb[0].view().select(Workbench.DEPLOYMENT_TAB);
            });
            try {
                assertNotNull(wb[0].deployment().setupProperty().get(), wb[0].deployment().statusProperty().get());
                String before = header(robot);
                assertTrue(before.contains("calibrated on cw"), before);

                other.process.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
                other.process.getOutputStream().flush();
                assertTrue(other.awaitLine("trained 0", 240_000), other.output());
                // the calibration on screen was made with the old member: the pane says so, by itself
                awaitFx(() -> wb[0].deployment().statusProperty().get().contains("ae-03 (member 3) changed"),
                        () -> wb[0].deployment().statusProperty().get());
                assertEquals(null, wb[0].deployment().setupProperty().get());

                assertTrue(other.awaitLine("calibrated 0", 240_000), other.output());
                // the new calibration and the new member are used, and named in the header
                awaitFx(() -> header(robot).contains("calibrated on fgsm"), () -> header(robot)
                        + " / " + wb[0].deployment().statusProperty().get());
                String after = header(robot);
                assertTrue(after.contains("newest: ae-03, trained"), after);
                assertEquals("fgsm", wb[0].deployment().calibrationProperty().get());
                robot.interact(() -> assertEquals(org.multimagnet.ui.deployment.DeploymentService.DRAWN,
                        robot.lookup("#deployment-ensemble-size").queryAs(javafx.scene.control.ComboBox.class)
                                .getValue()));
                assertTrue(wb[0].deployment().calibrations().containsAll(java.util.List.of("cw", "fgsm")));
                assertTrue(other.process.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, other.process.exitValue(), other.output());
            } finally {
                watcher[0].close();
                prefs.removeNode();
            }
        }
    }

    private static String header(FxRobot robot) {
        StringBuilder sb = new StringBuilder();
        robot.interact(() -> {
            for (Node n : robot.lookup("#deployment-header").queryAs(FlowPane.class).getChildren()) {
                sb.append(((Label) n).getText()).append(' ');
            }
        });
        return sb.toString();
    }

    private static void awaitFx(Supplier<Boolean> condition, Supplier<String> shown) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            WaitForAsyncUtils.waitForFxEvents();
            boolean[] ok = new boolean[1];
            WaitForAsyncUtils.asyncFx(() -> ok[0] = condition.get()).get();
            if (ok[0]) {
                return;
            }
            Thread.sleep(100);
        }
        String[] text = new String[1];
        WaitForAsyncUtils.asyncFx(() -> text[0] = shown.get()).get();
        throw new AssertionError("not seen within 60 s; the pane shows: " + text[0]);
    }
}
