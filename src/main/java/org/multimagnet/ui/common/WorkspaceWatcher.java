package org.multimagnet.ui.common;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.multimagnet.common.UserException;
import org.multimagnet.workspace.WorkspaceChanges;
import org.multimagnet.workspace.WorkspaceLock;

/**
 * Keeps the {@link WorkspaceModel} true to the folder on disk: every {@code interval} it looks at the workspace's
 * committed artifacts ({@link WorkspaceChanges}) on its own daemon thread — never the FX thread, and not the compute
 * thread, which may be busy training for minutes — and when anything changed, whoever wrote it, it calls
 * {@link WorkspaceModel#touch()} on the FX thread, so that every pane refreshes. A workspace created in the open
 * folder by another process (e.g. {@code train} on the command line) is noticed the same way, and so is the end of
 * a process that held the workspace: the window takes the lock and is no longer read-only.
 */
public final class WorkspaceWatcher implements AutoCloseable {
    private final WorkspaceModel model;
    private final Consumer<Runnable> fx;
    private final ScheduledExecutorService timer;
    private final ReadOnlyStringWrapper lastChange = new ReadOnlyStringWrapper("");
    // written on the FX thread, read by the timer
    private volatile Path folder;
    private Path lookedAt;
    private WorkspaceChanges.Fingerprint last;

    /**
     * Starts watching.
     *
     * @param model    the open workspace (its folder is followed when the user opens another one)
     * @param interval time between two looks
     * @param fx       runs a callback on the FX thread ({@code Platform::runLater}; tests may pass another)
     */
    public WorkspaceWatcher(WorkspaceModel model, Duration interval, Consumer<Runnable> fx) {
        this.model = model;
        this.fx = fx;
        this.folder = model.folder();
        model.folderProperty().addListener((o, a, b) -> folder = b);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "workspace-watch");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(50, interval.toMillis());
        timer.scheduleWithFixedDelay(this::look, 0, ms, TimeUnit.MILLISECONDS);
    }

    /** One look; runs on the watcher's thread. */
    private synchronized void look() {
        try {
            Path f = folder;
            if (f == null) {
                return;
            }
            WorkspaceChanges.Fingerprint now = WorkspaceChanges.look(f);
            if (!f.equals(lookedAt) || last == null) {
                // a newly opened folder: opening it already refreshed the panes
                lookedAt = f;
                last = now;
                return;
            }
            if (now.equals(last)) {
                if (now.isWorkspace() && !WorkspaceLock.heldHere(f) && lockFreed(f)) {
                    // the process that held the workspace has closed: this window may write it again
                    fx.accept(() -> {
                        if (f.equals(model.folder())) {
                            model.touch();
                        }
                    });
                }
                return;
            }
            Set<String> changed = now.changedSince(last);
            last = now;
            String what = describe(changed);
            fx.accept(() -> {
                if (f.equals(model.folder())) {
                    lastChange.set(what);
                    model.touch();
                }
            });
        } catch (RuntimeException e) {
            // a look that failed (a folder vanishing mid-listing) is simply retried at the next tick
        }
    }

    /** Takes the workspace's lock if no other process holds it now (a closed command, another window). */
    private static boolean lockFreed(Path f) {
        try {
            WorkspaceLock.acquire(f);
            return true;
        } catch (UserException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    static String describe(Set<String> changed) {
        if (changed.isEmpty()) {
            return "";
        }
        String first = changed.iterator().next();
        return changed.size() == 1 ? first + " changed" : first + " and " + (changed.size() - 1) + " more changed";
    }

    /** @return the last change seen on disk, e.g. "models/ae-03.json and 1 more changed" (FX thread) */
    public ReadOnlyStringProperty lastChangeProperty() {
        return lastChange.getReadOnlyProperty();
    }

    /** Stops watching. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
