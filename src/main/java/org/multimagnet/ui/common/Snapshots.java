package org.multimagnet.ui.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.image.Image;
import javax.imageio.ImageIO;

/**
 * PNG exports of what a pane shows: any node (a chart, a member card) as drawn, or an image's own pixels. The
 * snapshot is taken on the FX thread (JavaFX requires it), the file written on the compute thread.
 */
public final class Snapshots {
    private Snapshots() {
    }

    /** Writes {@code image} as PNG (on the calling thread). */
    public static void writePng(Image image, Path file) {
        try {
            if (!ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile())) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Asks where, then saves {@code image} there as PNG on the compute thread. */
    public static void saveImage(Image image, String name, DialogService dialogs, ComputeExecutor executor) {
        dialogs.chooseSaveFile("Save as PNG", name + ".png", List.of("*.png")).ifPresent(f ->
                executor.submit(BackgroundTask.of("Writing " + f.getFileName(), (p, c) -> {
                    writePng(image, f);
                    return f;
                }).onFailure(e -> dialogs.showError("Could not save the PNG", e))));
    }

    /** Asks where, then saves {@code node} as it is drawn now. */
    public static void saveNode(Node node, String name, DialogService dialogs, ComputeExecutor executor) {
        SnapshotParameters params = new SnapshotParameters();
        saveImage(node.snapshot(params, null), name, dialogs, executor);
    }

    /** Gives {@code node} a context menu "Save as PNG…" that saves it as drawn, named {@code name}.png. */
    public static void installSaveMenu(Node node, String name, DialogService dialogs, ComputeExecutor executor) {
        MenuItem save = new MenuItem("Save as PNG…");
        save.setOnAction(e -> saveNode(node, name, dialogs, executor));
        ContextMenu menu = new ContextMenu(save);
        node.setOnContextMenuRequested(e -> {
            menu.show(node, e.getScreenX(), e.getScreenY());
            e.consume();
        });
    }
}
