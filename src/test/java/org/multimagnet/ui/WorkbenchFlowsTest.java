package org.multimagnet.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.ui.common.DefaultComputeExecutor;
import org.multimagnet.ui.common.Glossary;
import org.multimagnet.ui.common.RecentWorkspaces;
import org.multimagnet.ui.common.WorkspaceModel;
import org.multimagnet.ui.deployment.DeploymentService;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The demo's flows through the whole window with stand-in engine services: opening another workspace, sending a
 * gallery image to the Deployment pane, the header's terms explained, the calibration picker, CSV and PNG exports.
 */
@ExtendWith(ApplicationExtension.class)
class WorkbenchFlowsTest {
    @TempDir
    static Path tmp;
    private Workbench wb;
    private final RecordingDialogs dialogs = new RecordingDialogs();
    private Preferences prefs;
    private Path first;

    @Start
    void start(Stage stage) throws Exception {
        javafx.application.Application.setUserAgentStylesheet(
                new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());
        prefs = Preferences.userRoot().node("multimagnet-workbench-test-" + System.nanoTime());
        // the stand-in attack service holds 8-image sets in workspaces named "stored…"
        first = Files.createTempDirectory(tmp, "stored");
        Files.writeString(first.resolve(WorkspaceModel.MARKER), "{\"dataset\":\"sample:mnist\",\"seed\":1}");
        Services fakes = FakeServices.create();
        Services services = new Services(new org.multimagnet.ui.dataset.EngineDatasetService(), fakes.training(),
                fakes.attack(), fakes.calibration(), fakes.deployment(), fakes.experiments());
        wb = new Workbench(services, DefaultComputeExecutor.synchronous(), dialogs, new WorkspaceModel(first),
                new RecentWorkspaces(prefs), 42L, () -> { });
        stage.setScene(new Scene(wb.view(), 1280, 800));
        stage.show();
    }

    @AfterEach
    void forgetPrefs() throws Exception {
        prefs.removeNode();
    }

    @Test
    void theAttackPaneOpensOnTheSetTheWorkspaceHolds(FxRobot robot) {
        robot.interact(() -> wb.view().select(2));
        assertEquals(8, wb.attack().gallery().size());
        assertTrue(wb.attack().statusProperty().get().startsWith("Stored set: fgsm on 8 images"),
                wb.attack().statusProperty().get());
    }

    @Test
    void openingASecondWorkspaceClearsTheFirstOnesResults(FxRobot robot) throws Exception {
        // results of the first workspace on three panes
        robot.interact(() -> wb.view().select(2));
        assertEquals(8, wb.attack().gallery().size());
        robot.interact(() -> wb.view().select(3));
        robot.interact(() -> wb.calibration().run());
        assertNotNull(wb.calibration().outcomeProperty().get());
        robot.interact(() -> wb.view().select(4));
        robot.interact(() -> wb.deployment().dropImage(wb.attack().payload(1)));
        robot.clickOn("#deployment-stream");
        assertNotNull(wb.deployment().resultProperty().get());
        assertEquals(5, robot.lookup("#deployment-cards").queryAs(FlowPane.class).getChildren().size());

        Path second = Files.createDirectories(tmp.resolve("empty-" + System.nanoTime()));
        robot.interact(() -> wb.model().openWorkspace(second));

        assertEquals(0, wb.attack().gallery().size());
        assertNull(wb.attack().runProperty().get());
        assertTrue(wb.attack().statusProperty().get().contains("No fgsm set"), wb.attack().statusProperty().get());
        assertNull(wb.calibration().outcomeProperty().get());
        assertNull(wb.deployment().inputProperty().get());
        assertNull(wb.deployment().resultProperty().get());
        assertEquals(0, robot.lookup("#deployment-cards").queryAs(FlowPane.class).getChildren().size());
        for (int k = 0; k < 4; k++) {
            assertEquals(0, wb.deployment().confusion(k).get());
        }
        assertEquals("", wb.deployment().streamStatusProperty().get());
        assertEquals("No image classified yet", robot.lookup("#deployment-verdict").queryAs(Label.class).getText());
        assertTrue(wb.deployment().streamRows().isEmpty());
    }

    @Test
    void sendToDeploymentFromTheAttackGalleryDecidesThatImage(FxRobot robot) {
        robot.interact(() -> wb.view().select(2));
        WaitForAsyncUtils.waitForFxEvents();
        // a double-click on the third image of the gallery
        Node third = robot.lookup("#attack-gallery .grid-cell").queryAll().stream()
                .filter(n -> Integer.valueOf(2).equals(((org.controlsfx.control.GridCell<?>) n).getItem()))
                .findFirst().orElseThrow();
        robot.doubleClickOn(third);
        assertEquals(Workbench.DEPLOYMENT_TAB, wb.view().tabs().getSelectionModel().getSelectedIndex());
        assertEquals("fgsm #2 (adversarial)", wb.deployment().inputProperty().get().origin());
        assertArrayEquals(wb.attack().payload(2).pixels(), wb.deployment().inputProperty().get().pixels());
        DeploymentService.Result r = wb.deployment().resultProperty().get();
        assertNotNull(r, dialogs.errors.toString());
        assertEquals(5, robot.lookup("#deployment-cards").queryAs(FlowPane.class).getChildren().size());
        assertTrue(robot.lookup("#deployment-verdict").queryAs(Label.class).getText()
                .contains(r.legitimateVotes() + " of 5 votes legitimate"));

        // the button sends the picked image; the context menu offers the same
        robot.interact(() -> wb.view().select(2));
        robot.interact(() -> wb.attack().selectedProperty().set(5));
        robot.clickOn("#attack-send");
        assertEquals("fgsm #5 (adversarial)", wb.deployment().inputProperty().get().origin());
        robot.interact(() -> wb.view().select(2));
        Node sixth = robot.lookup("#attack-gallery .grid-cell").queryAll().stream()
                .filter(n -> Integer.valueOf(6).equals(((org.controlsfx.control.GridCell<?>) n).getItem()))
                .findFirst().orElseThrow();
        // Monocle's robot does not raise the platform's context-menu request on a right click; the event does
        robot.interact(() -> {
            var b = sixth.localToScreen(sixth.getBoundsInLocal());
            javafx.event.Event.fireEvent(sixth, new javafx.scene.input.ContextMenuEvent(
                    javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED, 10, 10, b.getMinX() + 10,
                    b.getMinY() + 10, false, null));
        });
        Node item = robot.lookup(".context-menu .menu-item").queryAll().stream()
                .filter(n -> robot.from(n).lookup(".label").queryAll().stream()
                        .anyMatch(l -> "Send to Deployment".equals(((Label) l).getText())))
                .findFirst().orElseThrow(() -> new AssertionError("no context menu with 'Send to Deployment'"));
        robot.clickOn(item);
        assertEquals("fgsm #6 (adversarial)", wb.deployment().inputProperty().get().origin());
    }

    /**
     * The Attack pane's adaptive attack on one picked image: a bad ε is named without running anything; the picked
     * image's original is attacked with the chosen settings and its verdict shown; "Send to Deployment" decides that
     * very image on the Deployment pane.
     */
    @Test
    void anAdaptiveAttackOnThePickedImageGoesToDeployment(FxRobot robot) {
        robot.interact(() -> wb.view().select(2));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#adaptive-run").queryButton().isDisabled(), "nothing picked yet");
        assertTrue(robot.lookup("#adaptive-send").queryButton().isDisabled(), "nothing attacked yet");
        Node third = robot.lookup("#attack-gallery .grid-cell").queryAll().stream()
                .filter(n -> Integer.valueOf(3).equals(((org.controlsfx.control.GridCell<?>) n).getItem()))
                .findFirst().orElseThrow();
        robot.clickOn(third);
        assertEquals(3, wb.attack().selectedProperty().get());

        robot.doubleClickOn("#adaptive-eps").eraseText(3).write("abc");
        robot.clickOn("#adaptive-run");
        assertEquals("ε 'abc': expected a number > 0", wb.attack().adaptiveStatusProperty().get());
        assertNull(wb.attack().adaptiveProperty().get());

        robot.doubleClickOn("#adaptive-eps").eraseText(3).write("0.25");
        robot.interact(() -> robot.lookup("#adaptive-norm").queryComboBox().getSelectionModel().select("linf"));
        robot.clickOn("#adaptive-run");
        var r = wb.attack().adaptiveProperty().get();
        assertNotNull(r, wb.attack().adaptiveStatusProperty().get());
        assertEquals(0.25, r.linf(), 1e-6);
        String shown = robot.lookup("#adaptive-result").queryAs(Label.class).getText();
        assertTrue(shown.contains("accepted by 25.0% of the ensembles (n from [3, 5, 7, 9])")
                && shown.contains("defended 75.0% of draws") && shown.contains("fooled"), shown);
        assertNotNull(robot.lookup("#adaptive-image").queryAs(javafx.scene.image.ImageView.class).getImage());
        // the original of image 3 was attacked, not its stored adversarial version
        float[] source = wb.attack().originalPayload(3).pixels();
        assertEquals(Math.min(1, Math.max(0, source[0] + 0.25f)), r.adversarial()[0], 1e-6);

        robot.clickOn("#adaptive-send");
        assertEquals(Workbench.DEPLOYMENT_TAB, wb.view().tabs().getSelectionModel().getSelectedIndex());
        var input = wb.deployment().inputProperty().get();
        assertEquals("adaptive all-members L∞ ε 0.25 against multimagnet of fgsm #3 (original)", input.origin());
        assertArrayEquals(r.adversarial(), input.pixels());
        assertNotNull(wb.deployment().resultProperty().get(), dialogs.errors.toString());
    }

    @Test
    void attackAndDeployFromTheDatasetGalleryAndSaveAsPng(FxRobot robot, @TempDir Path out) throws Exception {
        robot.interact(() -> {
            wb.dataset().sourceProperty().set("sample:mnist");
            wb.dataset().load();
            wb.dataset().selectedProperty().set(7);
        });
        robot.clickOn("#dataset-attack-and-deploy");
        assertEquals(Workbench.DEPLOYMENT_TAB, wb.view().tabs().getSelectionModel().getSelectedIndex());
        assertEquals("fgsm of sample:mnist #7", wb.deployment().inputProperty().get().origin());
        // the stand-in attack's checkerboard is rejected by every stand-in member
        assertFalse(wb.deployment().resultProperty().get().legitimate());

        // Save image as PNG writes the image at its own size
        Path png = out.resolve("seven.png");
        dialogs.saveTo = png;
        robot.interact(() -> new org.multimagnet.ui.common.ImageActions(p -> { }, p -> { }, () -> "fgsm", dialogs,
                DefaultComputeExecutor.synchronous()).save(wb.dataset().payload(7)));
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(28, img.getWidth());
        assertEquals(28, img.getHeight());

        // CSV of the decided image: one row per drawn member, votes consistent with marks and thresholds
        Path csv = out.resolve("votes.csv");
        robot.interact(() -> wb.deployment().exportCsv(wb.deployment().resultRows(), csv));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(org.multimagnet.defense.DecisionCsv.HEADER, lines.get(0));
        assertEquals(wb.deployment().resultProperty().get().members().size() + 1, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            boolean legit = Double.parseDouble(f[6]) <= Double.parseDouble(f[7]);
            assertEquals(legit ? "legitimate" : "adversarial", f[8], line);
            assertEquals("adversarial", f[9], line);
        }
    }

    @Test
    void theStreamRunsVotesExportAsCsv(FxRobot robot, @TempDir Path out) throws Exception {
        robot.interact(() -> wb.view().select(4));
        robot.clickOn("#deployment-stream");
        Path csv = out.resolve("stream.csv");
        robot.interact(() -> wb.deployment().exportCsv(wb.deployment().streamRows(), csv));
        List<String> lines = Files.readAllLines(csv);
        // the stand-in D holds 20 images, each decided by 5 members
        assertEquals(1 + 20 * 5, lines.size());
        int adversarialRows = 0;
        int rejectedAdversarial = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            adversarialRows += f[2].equals("adversarial") ? 1 : 0;
        }
        assertEquals(10 * 5, adversarialRows);
        // the verdicts in the file add up to the confusion matrix on screen (TN: adversarial rejected)
        for (int i = 0; i < 20; i++) {
            String first = lines.get(1 + i * 5);
            String[] f = first.split(",");
            if (f[2].equals("adversarial") && f[9].equals("adversarial")) {
                rejectedAdversarial++;
            }
        }
        assertEquals(wb.deployment().confusion(0).get(), rejectedAdversarial);
    }

    @Test
    void everyTermInTheDeploymentHeaderHasATooltip(FxRobot robot) {
        robot.interact(() -> wb.view().select(4));
        robot.interact(() -> wb.deployment().calibrationProperty().set("cw"));
        List<String> texts = new ArrayList<>();
        for (Node n : robot.lookup("#deployment-header").queryAs(FlowPane.class).getChildren()) {
            Label l = (Label) n;
            texts.add(l.getText());
            if (l.getStyleClass().contains("header-separator")) {
                continue;
            }
            assertNotNull(l.getTooltip(), "no tooltip on '" + l.getText() + "'");
            Glossary.Term term = Glossary.get((String) l.getUserData());
            assertEquals(term.explain(), l.getTooltip().getText());
            assertTrue(term.explain().contains("(paper §"), term.explain());
        }
        String header = String.join(" ", texts);
        for (String shown : List.of("m = 10", "JSD", "T 10.0", "minTA", "t_fp 0.005", "n drawn from 3,5,7,9",
                "calibrated on cw", "F + S (10 members)")) {
            assertTrue(header.contains(shown), shown + " in " + header);
        }
        // every term the paper's header writes is in the glossary, under the name the pane shows
        for (String t : List.of("m", "n", "RE", "JSD", "T", "t_fp", "MTA", "minTA", "q_leg / q_adv", "C_best")) {
            assertTrue(Glossary.find(t).isPresent(), t);
        }
    }

    @Test
    void theCalibrationPickerDecidesWithThePickedCalibration(FxRobot robot) {
        robot.interact(() -> wb.view().select(4));
        assertEquals("fgsm", wb.deployment().calibrationProperty().get());
        robot.interact(() -> wb.deployment().dropImage(org.multimagnet.ui.common.ImagePayload.of(
                FakeServices.synthetic(1).image(0), org.multimagnet.data.ImageShape.MNIST, 0, "a bar")));
        double before = wb.deployment().resultProperty().get().members().get(0).threshold();
        robot.interact(() -> wb.deployment().calibrationProperty().set("cw"));
        // decided again at once with the other calibration's thresholds
        DeploymentService.Result r = wb.deployment().resultProperty().get();
        assertNotNull(r);
        assertTrue(r.members().get(0).threshold() < before, r.members().get(0).threshold() + " vs " + before);
        assertTrue(robot.lookup("#deployment-header").queryAs(FlowPane.class).getChildren().stream()
                .anyMatch(n -> ((Label) n).getText().equals("calibrated on cw")));
        // the size box keeps showing n through a change of calibration and a refresh of the workspace
        javafx.scene.control.ComboBox<?> size = robot.lookup("#deployment-ensemble-size").queryAs(
                javafx.scene.control.ComboBox.class);
        assertEquals(5, size.getValue());
        robot.interact(() -> wb.model().workspace().touch());
        assertEquals(5, size.getValue());
    }

    @Test
    void aNewWorkspaceIsCreatedInTheWindowAndLeadsToTraining(FxRobot robot) throws Exception {
        Path fresh = Files.createDirectories(tmp.resolve("new-" + System.nanoTime()));
        robot.interact(() -> wb.model().openWorkspace(fresh));
        assertTrue(robot.lookup("#empty-workspace-banner").query().getParent().isVisible());
        robot.interact(() -> wb.model().newDatasetProperty().set("sample:mnist"));
        robot.clickOn("#new-workspace-create");
        assertTrue(Files.isRegularFile(fresh.resolve(WorkspaceModel.MARKER)), dialogs.errors.toString());
        assertTrue(wb.model().workspace().presentProperty().get());
        assertFalse(robot.lookup("#empty-workspace-banner").query().getParent().isVisible());
        assertEquals(org.multimagnet.workspace.NextStep.Stage.TRAIN.hint(),
                robot.lookup("#next-step").queryAs(Label.class).getText());
    }

    @Test
    void aTypedSourceIsLoadedByTheLoadButton(FxRobot robot) {
        robot.clickOn("#dataset-source").eraseText(40).write("sample:cifar10");
        robot.clickOn("#dataset-load");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("sample:cifar10", wb.dataset().summaryProperty().get().name());
    }

    @Test
    void theExperimentsPaneDrawsTheReportWithItsTablesAndCharts(FxRobot robot) throws Exception {
        Path report = org.multimagnet.TestWorkspaces.DEMO.resolve("report");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(report.resolve("report.md")), "no report");
        Path into = Files.createDirectories(first.resolve("report"));
        try (var files = Files.list(report)) {
            for (Path f : files.toList()) {
                Files.copy(f, into.resolve(f.getFileName().toString()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        robot.interact(() -> wb.view().select(5));
        WaitForAsyncUtils.waitForFxEvents();
        Node drawn = robot.lookup("#experiments-report-rendered").query();
        assertTrue(robot.from(drawn).lookup(".report-table").queryAll().size() >= 4);
        // accuracy per attack, the marks of the four attacks, and the adaptive attacks' robust accuracy against ε
        assertEquals(6, robot.from(drawn).lookup(".report-chart").queryAll().size());
    }
}
