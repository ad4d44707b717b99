package org.multimagnet.ui.tools;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.prefs.Preferences;
import javafx.application.Application;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multimagnet.ui.FakeServices;
import org.multimagnet.ui.RecordingDialogs;
import org.multimagnet.ui.Services;
import org.multimagnet.ui.Workbench;
import org.multimagnet.ui.WorkbenchApp;
import org.multimagnet.ui.common.DefaultComputeExecutor;
import org.multimagnet.ui.common.RecentWorkspaces;
import org.multimagnet.ui.common.WorkspaceModel;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Regenerates the README's screenshots: one PNG per pane in {@code assets/}, drawn by JavaFX's own snapshot of the
 * window after driving each pane's main flow on a copy of {@code workspaces/demo-mnist} (the flow trains, attacks and
 * calibrates, so it never runs on the committed workspace itself). Skipped unless asked for:
 *
 * <pre>mvn -o -q test -Dtest=PaneScreenshots -Dscreenshots=assets</pre>
 *
 * {@code -Dui.workspace=<folder>} uses (a copy of) another workspace; {@code -Dscreenshots.panes=dataset,attack}
 * takes only some.
 * With {@code -Dscreenshots.fake=true} the engine is replaced by the UI tests' stand-ins (for layout work only).
 */
@ExtendWith(ApplicationExtension.class)
class PaneScreenshots {
    private static final String[] NAMES = {"dataset", "training", "attack", "calibration", "deployment", "experiments"};
    private Workbench wb;
    private Scene scene;

    @Start
    void start(Stage stage) throws java.io.IOException {
        Path source = Path.of(System.getProperty("ui.workspace", WorkbenchApp.DEFAULT_WORKSPACE.toString()));
        Path copy = org.multimagnet.TestWorkspaces.copy(source, java.nio.file.Files.createTempDirectory("screenshots"));
        Application.setUserAgentStylesheet(new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());
        Services services = Boolean.getBoolean("screenshots.fake") ? FakeServices.create() : WorkbenchApp.engineServices();
        wb = new Workbench(services, DefaultComputeExecutor.synchronous(), new RecordingDialogs(),
                new WorkspaceModel(copy),
                new RecentWorkspaces(Preferences.userRoot().node("multimagnet-workbench-screenshots")), 7L, () -> { });
        // The headless screen is 1280×800; a larger window overflows Monocle's buffer.
        scene = new Scene(wb.view(), 1280, 800);
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void writeOnePngPerPane(FxRobot robot) throws Exception {
        String dir = System.getProperty("screenshots");
        assumeTrue(dir != null && !dir.isBlank(), "set -Dscreenshots=<folder> to regenerate the screenshots");
        Path out = Path.of(dir);
        Files.createDirectories(out);
        java.util.List<String> only = java.util.List.of(System.getProperty("screenshots.panes",
                String.join(",", NAMES)).split(","));
        for (int i = 0; i < NAMES.length; i++) {
            int pane = i;
            if (!only.contains(NAMES[i])) {
                continue;
            }
            robot.interact(() -> {
                wb.view().select(pane);
                drive(pane);
            });
            robot.sleep(300);
            WritableImage[] img = new WritableImage[1];
            robot.interact(() -> img[0] = scene.snapshot(null));
            ImageIO.write(SwingFXUtils.fromFXImage(img[0], null), "png",
                    out.resolve("pane-" + NAMES[i] + ".png").toFile());
        }
    }

    /**
     * Presentation mode at several window sizes: the Deployment pane with a decided image, at each size named in
     * {@code -Dscreenshots.presentation=1280x720,1920x1080} (Monocle's screen must be at least as large:
     * {@code -Dheadless.geometry=1920x1080-32}), written as {@code presentation-<pane>-<W>x<H>.png}.
     */
    @Test
    void presentationModeAtSeveralSizes(FxRobot robot) throws Exception {
        String dir = System.getProperty("screenshots");
        String sizes = System.getProperty("screenshots.presentation");
        assumeTrue(dir != null && !dir.isBlank() && sizes != null && !sizes.isBlank(),
                "set -Dscreenshots=<folder> -Dscreenshots.presentation=WxH,... to draw presentation mode");
        Path out = Path.of(dir);
        Files.createDirectories(out);
        robot.interact(() -> {
            wb.model().presentationModeProperty().set(true);
            if (wb.dataset().datasetProperty().get() == null) {
                wb.dataset().loadFor(wb.model().workspace().folder());
            }
            wb.view().select(2);
        });
        robot.interact(() -> wb.sendToDeployment(wb.attack().runProperty().get() != null ? wb.attack().payload(3)
                : wb.dataset().payload(Integer.getInteger("screenshots.image", 9_990))));
        java.util.List<String> panes = java.util.List.of(System.getProperty("screenshots.presentation.panes",
                "deployment").split(","));
        for (String size : sizes.split(",")) {
            String[] wh = size.trim().split("x");
            double w = Double.parseDouble(wh[0]);
            double h = Double.parseDouble(wh[1]);
            for (String pane : panes) {
                int index = java.util.Arrays.asList(NAMES).indexOf(pane);
                robot.interact(() -> {
                    Stage stage = (Stage) scene.getWindow();
                    stage.setWidth(w);
                    stage.setHeight(h);
                    wb.view().select(index);
                });
                robot.sleep(400);
                WritableImage[] img = new WritableImage[1];
                robot.interact(() -> img[0] = scene.snapshot(null));
                ImageIO.write(SwingFXUtils.fromFXImage(img[0], null), "png",
                        out.resolve("presentation-" + pane + "-" + size.trim() + ".png").toFile());
            }
        }
    }

    /** Each pane's main flow, small enough to run in seconds. */
    private void drive(int pane) {
        switch (pane) {
            case 0 -> {
                wb.dataset().sourceProperty().set("sample:mnist");
                wb.dataset().load();
            }
            case 1 -> {
                wb.training().reload();
                wb.training().train(java.util.List.of(1)); // one quick member training: live curve and reconstructions
            }
            case 2 -> {
                wb.attack().countProperty().set(24);
                wb.attack().generate();
            }
            case 3 -> wb.calibration().run(); // a fresh run keeps the marks for the distribution chart
            case 4 -> {
                if (wb.dataset().datasetProperty().get() == null) {
                    wb.dataset().loadFor(wb.model().workspace().folder());
                }
                wb.deployment().ensembleSizeProperty().set(5);
                wb.deployment().dropImage(wb.dataset().payload(Integer.getInteger("screenshots.image", 9_990)));
            }
            default -> { }
        }
    }
}
