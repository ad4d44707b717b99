package org.multimagnet.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.prefs.Preferences;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.layout.FlowPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.ui.common.DefaultComputeExecutor;
import org.multimagnet.ui.common.RecentWorkspaces;
import org.multimagnet.ui.common.WorkspaceModel;
import org.multimagnet.ui.deployment.DeploymentService;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Drives the whole window headless (Monocle) with stand-in engine services and the synchronous executor. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchWindowTest {
    private Workbench wb;
    private final RecordingDialogs dialogs = new RecordingDialogs();

    @Start
    void start(Stage stage) throws Exception {
        javafx.application.Application.setUserAgentStylesheet(
                new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());
        Preferences prefs = Preferences.userRoot().node("multimagnet-workbench-test-" + System.nanoTime());
        Services fakes = FakeServices.create();
        // The real readers (sample:mnist ships with the project); stand-ins only where trained models would be needed.
        Services services = new Services(new org.multimagnet.ui.dataset.EngineDatasetService(), fakes.training(),
                fakes.attack(), fakes.calibration(), fakes.deployment(),
                fakes.experiments());
        wb = new Workbench(services, DefaultComputeExecutor.synchronous(), dialogs,
                new WorkspaceModel(Path.of("target", "no-such-workspace")), new RecentWorkspaces(prefs), 42L,
                () -> { });
        stage.setScene(new Scene(wb.view(), 1240, 780));
        stage.show();
        prefs.removeNode();
    }

    @Test
    void windowHasAllSixPanes(FxRobot robot) {
        List<String> titles = wb.view().tabs().getTabs().stream().map(Tab::getText).toList();
        assertEquals(List.of("Dataset", "Training", "Attack", "Calibration", "Deployment", "Experiments"), titles);
        assertTrue(robot.lookup("#status-workspace").queryAs(Label.class).getText().contains("not created yet"));
        assertTrue(robot.lookup("#empty-workspace-banner").queryAs(Label.class).getText().contains("train --workspace"));
        // Ctrl+3 shows the attack pane; presentation mode enlarges the type
        robot.interact(() -> wb.view().select(0));
        robot.press(javafx.scene.input.KeyCode.CONTROL).type(javafx.scene.input.KeyCode.DIGIT3)
                .release(javafx.scene.input.KeyCode.CONTROL);
        assertEquals(2, wb.view().tabs().getSelectionModel().getSelectedIndex());
        robot.interact(() -> wb.model().presentationModeProperty().set(true));
        assertTrue(wb.view().getStyle().contains("-fx-font-size: 18px"), wb.view().getStyle());
        robot.interact(() -> wb.model().presentationModeProperty().set(false));
    }

    @Test
    void datasetPaneLoadsSampleAndShowsCounts(FxRobot robot) {
        robot.clickOn("#dataset-load");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("10,000", robot.lookup("#dataset-fact-images").queryAs(Label.class).getText());
        assertTrue(robot.lookup("#dataset-fact-split").queryAs(Label.class).getText().contains("Tr 7,000"));
        assertEquals(10_000, wb.dataset().galleryIndices().size());
        // per-class counts drawn as bars, one per class
        var chart = robot.lookup("#dataset-counts").queryAs(javafx.scene.chart.BarChart.class);
        assertEquals(10, ((javafx.scene.chart.XYChart.Series<?, ?>) chart.getData().get(0)).getData().size());
        assertTrue(dialogs.errors.isEmpty());
    }

    @Test
    void badDatasetSourceGivesOneClearMessage(FxRobot robot) {
        robot.interact(() -> {
            wb.dataset().sourceProperty().set("target/no-such-dataset.idx");
            wb.dataset().load();
        });
        assertEquals(1, dialogs.errors.size());
        assertTrue(dialogs.errors.get(0).contains("no-such-dataset.idx: no such file"), dialogs.errors.get(0));
        assertFalse(dialogs.errors.get(0).contains("Exception"), dialogs.errors.get(0));
    }

    @Test
    void droppingAnImageShowsOneCardPerMemberWithConsistentVotes(FxRobot robot) {
        robot.interact(() -> wb.view().select(4));
        robot.interact(() -> {
            wb.dataset().sourceProperty().set("sample:mnist");
            wb.dataset().load();
            wb.deployment().dropImage(wb.dataset().payload(7));
        });
        FlowPane cards = robot.lookup("#deployment-cards").queryAs(FlowPane.class);
        assertEquals(5, cards.getChildren().size());
        for (Node card : cards.getChildren()) {
            var vote = (DeploymentService.MemberVote) card.getUserData();
            String shown = robot.from(card).lookup(".member-vote").queryAs(Label.class).getText();
            boolean legit = vote.mark() <= vote.threshold();
            assertEquals(legit ? "✓ legitimate" : "✗ adversarial", shown, "member " + vote.id());
        }
        String banner = robot.lookup("#deployment-verdict").queryAs(Label.class).getText();
        assertTrue(banner.contains("of 5 votes legitimate"), banner);

        // "Draw again" changes the seed and redraws n members; n = 3 gives three cards.
        long before = wb.deployment().seedProperty().get();
        robot.clickOn("#deployment-draw-again");
        assertFalse(before == wb.deployment().seedProperty().get());
        robot.interact(() -> wb.deployment().ensembleSizeProperty().set(3));
        robot.interact(() -> wb.deployment().classify());
        assertEquals(3, cards.getChildren().size());
    }

    @Test
    void smallAttackFillsGalleryAndHistogram(FxRobot robot) {
        robot.interact(() -> wb.view().select(2));
        // Table 1 defaults come from the engine's parameter records
        assertEquals("0.2", wb.attack().params().get("epsilon"));
        robot.interact(() -> wb.attack().attackProperty().set("bim"));
        assertEquals(java.util.Set.of("epsilon", "alpha", "iterations"), wb.attack().params().keySet());
        assertEquals("0.15", robot.lookup("#attack-param-epsilon").queryAs(javafx.scene.control.TextField.class).getText());
        robot.interact(() -> wb.attack().countProperty().set(12));
        robot.clickOn("#attack-generate");
        assertEquals(12, wb.attack().gallery().size());
        var hist = robot.lookup("#attack-l2-histogram").queryAs(javafx.scene.chart.BarChart.class);
        int total = 0;
        for (Object o : ((javafx.scene.chart.XYChart.Series<?, ?>) hist.getData().get(0)).getData()) {
            total += ((javafx.scene.chart.XYChart.Data<?, ?>) o).getYValue() instanceof Number n ? n.intValue() : 0;
        }
        assertEquals(12, total);
        assertTrue(wb.attack().statusProperty().get().contains("success rate 50.0%"), wb.attack().statusProperty().get());
        // a bad parameter value gives one message naming it
        robot.interact(() -> wb.attack().params().replace("epsilon", "7"));
        robot.clickOn("#attack-generate");
        assertTrue(dialogs.errors.stream().anyMatch(m -> m.contains("'epsilon'")), dialogs.errors.toString());
    }

    @Test
    void smallCalibrationShowsHeatMapWithBestCell(FxRobot robot) {
        robot.interact(() -> wb.view().select(3));
        assertEquals("fgsm", wb.calibration().attackProperty().get());
        assertEquals("0.001, 0.005, 0.01", robot.lookup("#calibration-tfp")
                .queryAs(javafx.scene.control.TextField.class).getText());
        robot.clickOn("#calibration-run");
        var best = wb.calibration().outcomeProperty().get().best();
        assertEquals(0.005, best.falsePositiveRate());
        assertEquals("minTA", best.approach());
        // 3 t_fp columns × 2 T rows of JSD cells; the best is starred
        var heat = robot.lookup("#calibration-heatmap").queryAs(javafx.scene.layout.GridPane.class);
        assertEquals(6, heat.getChildren().stream().filter(n -> n.getStyleClass().contains("heat-cell")).count());
        var starred = heat.getChildren().stream().filter(n -> n.getStyleClass().contains("heat-best")).toList();
        assertEquals(1, starred.size());
        Label star = (Label) starred.get(0);
        assertTrue(star.getText().startsWith("★ 90.0"), star.getText());
        assertTrue(star.getTooltip().getText().contains("PPV 92.00%"), star.getTooltip().getText());
        // switching the slice to RE shows one row
        robot.interact(() -> wb.calibration().metricProperty().set("RE"));
        assertEquals(3, heat.getChildren().stream().filter(n -> n.getStyleClass().contains("heat-cell")).count());
        assertEquals(10, robot.lookup("#calibration-thresholds").queryAs(javafx.scene.control.TableView.class)
                .getItems().size());
        // a bad grid value names its field
        robot.interact(() -> wb.calibration().falsePositiveRatesProperty().set("0.01, 2"));
        robot.clickOn("#calibration-run");
        assertTrue(dialogs.errors.stream().anyMatch(m -> m.contains("falsePositiveRates: 2.0 is not in (0, 1)")),
                dialogs.errors.toString());
    }

    @Test
    void droppedPngFileIsReadAndClassified(FxRobot robot, @TempDir Path dir) throws Exception {
        // a 56×56 white bar on black, as a user's drawing would be: the reader shrinks it to 28×28
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(56, 56,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int x = 8; x < 48; x++) {
            for (int y = 26; y < 30; y++) {
                img.setRGB(x, y, 0xFFFFFF);
            }
        }
        Path png = dir.resolve("bar.png");
        javax.imageio.ImageIO.write(img, "png", png.toFile());
        robot.interact(() -> wb.view().select(4));
        robot.interact(() -> wb.deployment().dropFile(png));
        // the conversion is named where the user reads what happened to the image
        String origin = wb.deployment().inputProperty().get().origin();
        assertTrue(origin.startsWith("bar.png (converted: ") && origin.contains("resized 56×56 → 28×28"), origin);
        assertTrue(wb.deployment().statusProperty().get().startsWith("bar.png (converted:"),
                wb.deployment().statusProperty().get());
        assertEquals(5, robot.lookup("#deployment-cards").queryAs(FlowPane.class).getChildren().size());

        Path text = dir.resolve("notes.txt");
        java.nio.file.Files.writeString(text, "hello");
        robot.interact(() -> wb.deployment().dropFile(text));
        assertTrue(dialogs.errors.get(dialogs.errors.size() - 1).contains("notes.txt: expected an image file"),
                dialogs.errors.toString());
        Path fake = dir.resolve("broken.png");
        java.nio.file.Files.writeString(fake, "not a png");
        robot.interact(() -> wb.deployment().dropFile(fake));
        String msg = dialogs.errors.get(dialogs.errors.size() - 1);
        assertTrue(msg.contains("broken.png"), msg);
        assertFalse(msg.contains("Exception"), msg);
    }

    @Test
    void streamModeFillsTheConfusionMatrix(FxRobot robot) {
        robot.interact(() -> wb.view().select(4));
        robot.clickOn("#deployment-stream");
        int sum = 0;
        for (int k = 0; k < 4; k++) {
            sum += wb.deployment().confusion(k).get();
        }
        assertEquals(20, sum);
    }
}
