package org.multimagnet.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.prefs.Preferences;
import java.util.stream.Stream;
import javafx.scene.Scene;
import javafx.scene.control.DialogPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.cli.Cli;
import org.multimagnet.common.Checksums;
import org.multimagnet.ui.common.DefaultComputeExecutor;
import org.multimagnet.ui.common.FxDialogService;
import org.multimagnet.ui.common.RecentWorkspaces;
import org.multimagnet.ui.common.WorkspaceModel;
import org.multimagnet.workspace.Artifact;
import org.multimagnet.workspace.ArtifactHistory;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The real window over the real engine, on a copy of the demo: a 20-image attack asks before it replaces the
 * 2,000-image D_atk; refused, the set stays byte for byte; accepted, the old set is in the history and comes back.
 */
@ExtendWith(ApplicationExtension.class)
class ReplaceConsentWindowTest {
    private Workbench wb;
    private DefaultComputeExecutor executor;
    private Path ws;

    @Start
    void start(Stage stage) throws Exception {
        javafx.application.Application.setUserAgentStylesheet(
                new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());
        Path parent = Files.createTempDirectory("consent-window-");
        ws = TestWorkspaces.copy(TestWorkspaces.DEMO, parent);
        Preferences prefs = Preferences.userRoot().node("multimagnet-workbench-test-" + System.nanoTime());
        executor = DefaultComputeExecutor.fxThread();
        wb = new Workbench(WorkbenchApp.engineServices(), executor, new FxDialogService(stage), new WorkspaceModel(ws),
                new RecentWorkspaces(prefs), 42L, () -> { });
        stage.setScene(new Scene(wb.view(), 1240, 780));
        stage.show();
        prefs.removeNode();
    }

    @AfterEach
    void stop() {
        executor.shutdown();
    }


    /** @return our question's dialog, if open (a window left by another test class may hold a dialog too) */
    private static java.util.Optional<DialogPane> question(FxRobot robot) {
        return robot.lookup(".dialog-pane").queryAllAs(DialogPane.class).stream()
                .filter(p -> p.getScene() != null && p.getScene().getWindow() != null
                        && p.getScene().getWindow().isShowing() && p.getHeaderText() != null
                        && p.getHeaderText().startsWith("Replace attacks/fgsm-test?"))
                .findFirst();
    }

    /** Clicks Generate with 20 images of fgsm and waits for the question; @return its text */
    private String generateAndWaitForTheQuestion(FxRobot robot) throws TimeoutException {
        robot.interact(() -> {
            wb.view().select(2);
            wb.attack().attackProperty().set("fgsm");
            wb.attack().splitProperty().set("test");
            wb.attack().countProperty().set(20);
        });
        robot.clickOn("#attack-generate");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> question(robot).isPresent());
        DialogPane pane = question(robot).orElseThrow();
        return pane.getHeaderText() + "\n" + ((javafx.scene.control.Label) pane.getContent()).getText();
    }

    /** Clicks an answer of the open question, again while the dialog stays open (a loaded machine can drop a click). */
    private static void answer(FxRobot robot, String button) throws TimeoutException {
        for (int attempt = 0; attempt < 3 && question(robot).isPresent(); attempt++) {
            DialogPane pane = question(robot).orElseThrow();
            javafx.scene.Node node = pane.getButtonTypes().stream()
                    .filter(b -> b.getText().equals(button)).findFirst().map(pane::lookupButton).orElseThrow();
            robot.clickOn(node);
            try {
                WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> question(robot).isEmpty());
            } catch (TimeoutException e) {
                // still open: click again
            }
        }
        if (question(robot).isPresent()) {
            throw new TimeoutException("the question stayed open after three clicks on " + button);
        }
    }

    @Test
    void aSmallAttackAsksBeforeReplacingDAtkAndTheOldSetComesBack(FxRobot robot) throws Exception {
        Path set = ws.resolve("attacks/fgsm-test");
        Map<String, String> original = TestWorkspaces.snapshot(set);

        String question = generateAndWaitForTheQuestion(robot);
        assertTrue(question.contains("Replace attacks/fgsm-test?"), question);
        assertTrue(question.contains("D_atk of fgsm (2,000 images") && question.contains("with 20 images?"), question);
        answer(robot, "Cancel");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> wb.attack().statusProperty().get().startsWith("Nothing replaced"));
        assertEquals(original, TestWorkspaces.snapshot(set), "refused: byte-identical");
        assertTrue(wb.attack().statusProperty().get().startsWith("Nothing replaced"),
                wb.attack().statusProperty().get());

        generateAndWaitForTheQuestion(robot);
        answer(robot, "Replace");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> wb.attack().runProperty().get() != null
                && !wb.attack().busyProperty().get());
        assertEquals(20, wb.attack().runProperty().get().size());
        var kept = new ArtifactHistory(ws).versions(Artifact.attackSet("fgsm", "test"));
        assertEquals(1, kept.size());
        assertTrue(kept.get(0).description().startsWith("D_atk of fgsm (2,000 images"), kept.get(0).description());

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int history = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), "workspace", "history",
                "--workspace", ws.toString());
        assertEquals(0, history, err.toString());
        assertTrue(out.toString().contains("attacks/fgsm-test\n  current: D_atk of fgsm (20 images"), out.toString());
        int restore = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), "workspace", "restore",
                "--workspace", ws.toString(), "attacks/fgsm-test", "1");
        assertEquals(0, restore, err.toString());
        assertEquals(original, TestWorkspaces.snapshot(set), "restored byte for byte");
    }
}
