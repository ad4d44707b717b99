package org.multimagnet.ui.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Json;
import org.multimagnet.ui.RecordingDialogs;
import org.multimagnet.ui.common.DefaultComputeExecutor;
import org.multimagnet.ui.common.ImagePayload;
import org.multimagnet.ui.common.WorkspaceModel;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Deployment pane over the engine on a demo copy whose fgsm calibration records another checksum for member 3
 * than its file has: the pane refuses it in its status line, and "Allow a stale calibration" lets it decide, with
 * the warning shown above the votes until the box is cleared again.
 */
@ExtendWith(ApplicationExtension.class)
class StaleCalibrationWindowTest {
    @TempDir
    static Path tmp;
    private DeploymentViewModel model;

    @Start
    void start(Stage stage) throws Exception {
        javafx.application.Application.setUserAgentStylesheet(
                new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        for (String file : new String[] {"cbest.json", "cbest-magnet.json"}) {
            Path c = ws.resolve("calibration/fgsm/" + file);
            ObjectNode o = (ObjectNode) Json.mapper().readTree(c.toFile());
            ((ObjectNode) o.get("inputs")).put("models/ae-03.zip", "1".repeat(64));
            Files.writeString(c, o.toString());
        }
        DefaultComputeExecutor sync = DefaultComputeExecutor.synchronous();
        RecordingDialogs dialogs = new RecordingDialogs();
        model = new DeploymentViewModel(new EngineDeploymentService(), sync, dialogs, new WorkspaceModel(ws), 3L);
        model.calibrationProperty().set("fgsm");
        stage.setScene(new Scene(new StackPane(new DeploymentView(model, dialogs, sync)), 1280, 800));
        stage.show();
    }

    @Test
    void theRefusalOffersTheAllowanceAndTheWarningStaysInSight(FxRobot robot) {
        robot.interact(() -> model.ensureOpen());
        String refused = robot.lookup("#deployment-status").queryAs(Label.class).getText();
        assertTrue(refused.contains("cbest.json: calibrated with models that changed since: ae-03 (member 3) changed")
                && refused.endsWith("or allow a stale calibration (--allow-stale) to use it anyway"), refused);
        assertNull(model.setupProperty().get());
        Label warning = robot.lookup("#deployment-stale-warning").queryAs(Label.class);
        assertFalse(warning.isVisible());

        robot.clickOn("#deployment-allow-stale");
        assertTrue(model.allowStaleProperty().get());
        DeploymentService.Setup setup = model.setupProperty().get();
        assertNotNull(setup, model.statusProperty().get());
        assertTrue(warning.isVisible());
        assertEquals(setup.warning(), warning.getText());
        assertTrue(warning.getText().startsWith("warning: ") && warning.getText().contains("ae-03 (member 3) changed")
                && warning.getText().endsWith("used anyway, as a stale calibration is allowed (--allow-stale)"),
                warning.getText());
        robot.interact(() -> model.dropImage(ImagePayload.of(new float[setup.shape().size()], setup.shape(), -1,
                "blank")));
        assertNotNull(model.resultProperty().get(), model.statusProperty().get());

        robot.clickOn("#deployment-allow-stale");
        assertFalse(robot.lookup("#deployment-allow-stale").queryAs(CheckBox.class).isSelected());
        assertNull(model.setupProperty().get());
        assertNull(model.resultProperty().get(), "no decision stays on screen with a refused calibration");
        assertFalse(warning.isVisible());
        assertEquals(refused, robot.lookup("#deployment-status").queryAs(Label.class).getText());
    }
}
