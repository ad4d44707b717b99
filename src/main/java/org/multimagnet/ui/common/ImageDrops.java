package org.multimagnet.ui.common;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import javafx.scene.Node;
import javafx.scene.input.Clipboard;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;

/**
 * The drag-and-drop edge of an image target, kept out of the ViewModel: drag-over accepts image files and gallery
 * images only; a drop turns the dragboard into {@link Path}s or an {@link ImagePayload}, hands it to the ViewModel and
 * consumes the event.
 */
public final class ImageDrops {
    /** File name endings taken as images. */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "pgm", "ppm");

    private ImageDrops() {
    }

    /** @return whether {@code file}'s name ends like an image */
    public static boolean isImageFile(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot >= 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1));
    }

    /** What was dropped or pasted: image files, or a gallery image. */
    public interface Target {
        /** An image file (the first one when several are dropped). */
        void dropFile(Path file);

        /** An image dragged from a gallery. */
        void dropImage(ImagePayload payload);
    }

    /**
     * Makes {@code node} accept image drops for {@code target}; {@code highlight} is told whether a usable drag
     * hovers (to draw a dashed border, say).
     */
    public static void install(Node node, Target target, Consumer<Boolean> highlight) {
        node.setOnDragOver(e -> {
            if (accepts(e.getDragboard())) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        node.setOnDragEntered(e -> {
            highlight.accept(accepts(e.getDragboard()));
            e.consume();
        });
        node.setOnDragExited(e -> {
            highlight.accept(false);
            e.consume();
        });
        node.setOnDragDropped(e -> {
            e.setDropCompleted(deliver(e.getDragboard(), target));
            highlight.accept(false);
            e.consume();
        });
    }

    /** Hands the clipboard's image (a gallery image or image files) to {@code target}; false when there is none. */
    public static boolean paste(Clipboard clipboard, Target target) {
        if (clipboard.hasContent(ImagePayload.FORMAT)) {
            Object o = clipboard.getContent(ImagePayload.FORMAT);
            if (o instanceof ImagePayload p) {
                target.dropImage(p);
                return true;
            }
        }
        if (clipboard.hasFiles()) {
            for (File f : clipboard.getFiles()) {
                if (isImageFile(f.toPath())) {
                    target.dropFile(f.toPath());
                    return true;
                }
            }
        }
        return false;
    }

    static boolean accepts(Dragboard db) {
        if (db.hasContent(ImagePayload.FORMAT)) {
            return true;
        }
        return db.hasFiles() && firstImage(db.getFiles()) != null;
    }

    private static boolean deliver(Dragboard db, Target target) {
        if (db.hasContent(ImagePayload.FORMAT) && db.getContent(ImagePayload.FORMAT) instanceof ImagePayload p) {
            target.dropImage(p);
            return true;
        }
        if (db.hasFiles()) {
            Path f = firstImage(db.getFiles());
            if (f != null) {
                target.dropFile(f);
                return true;
            }
        }
        return false;
    }

    private static Path firstImage(List<File> files) {
        for (File f : files) {
            if (isImageFile(f.toPath())) {
                return f.toPath();
            }
        }
        return null;
    }

}
