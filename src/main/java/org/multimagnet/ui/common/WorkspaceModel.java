package org.multimagnet.ui.common;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import org.multimagnet.common.UserException;
import org.multimagnet.workspace.WorkspaceLock;

/**
 * The workspace folder the workbench shows ({@link org.multimagnet.workspace.Workspace}), shared by every pane. Panes
 * listen to {@link #folderProperty()} to reload, and to {@link #revisionProperty()} to refresh after one of them wrote
 * an artifact (a trained model, an attack set, a calibration).
 */
public final class WorkspaceModel {
    /** The file that marks a folder as a workspace. */
    public static final String MARKER = "workspace.json";

    private final ReadOnlyObjectWrapper<Path> folder = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper present = new ReadOnlyBooleanWrapper(false);
    private final IntegerProperty revision = new SimpleIntegerProperty(0);
    private final ReadOnlyStringWrapper inUseBy = new ReadOnlyStringWrapper("");

    /** @param folder the workspace folder to start with (may not exist yet) */
    public WorkspaceModel(Path folder) {
        open(folder);
    }

    /** Switches to {@code folder}; it need not exist (the panes then show how to create it). */
    public void open(Path folder) {
        Path abs = folder.toAbsolutePath().normalize();
        present.set(Files.isRegularFile(abs.resolve(MARKER)));
        claim(abs);
        if (abs.equals(this.folder.get())) {
            touch();
        } else {
            this.folder.set(abs);
        }
    }

    /** Tells the panes that artifacts in the folder changed. */
    public void touch() {
        present.set(folder.get() != null && Files.isRegularFile(folder.get().resolve(MARKER)));
        if (folder.get() != null) {
            claim(folder.get());
        }
        revision.set(revision.get() + 1);
    }

    /**
     * Takes the workspace's writer lock as the workbench opens it, so that a second workbench or command
     * on the same folder is told at once that it is in use, and this one learns at once when another process holds
     * it: it then shows the workspace read-only and says who holds it. Tried again on every {@link #touch}, so
     * the workspace becomes writable here once the other process has closed.
     */
    private void claim(Path abs) {
        if (!Files.isRegularFile(abs.resolve(MARKER))) {
            inUseBy.set("");
            return;
        }
        try {
            WorkspaceLock.acquire(abs);
            inUseBy.set("");
        } catch (UserException e) {
            inUseBy.set(e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            inUseBy.set("could not lock the workspace: " + e.getMessage());
        }
    }

    /**
     * @return empty while this workbench may write the workspace; otherwise why not ("workspace … is in use by
     *         process N since T; …"), and the workspace is read-only here
     */
    public ReadOnlyStringProperty inUseByProperty() {
        return inUseBy.getReadOnlyProperty();
    }

    /** @return the folder */
    public Path folder() {
        return folder.get();
    }

    /** @return the folder, observable */
    public ReadOnlyObjectProperty<Path> folderProperty() {
        return folder.getReadOnlyProperty();
    }

    /** @return whether the folder holds a {@code workspace.json} */
    public ReadOnlyBooleanProperty presentProperty() {
        return present.getReadOnlyProperty();
    }

    /** @return a counter bumped whenever artifacts change */
    public IntegerProperty revisionProperty() {
        return revision;
    }
}
