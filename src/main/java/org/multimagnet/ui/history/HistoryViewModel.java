package org.multimagnet.ui.history;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.multimagnet.ui.common.BackgroundTask;
import org.multimagnet.ui.common.ComputeExecutor;
import org.multimagnet.ui.common.DialogService;
import org.multimagnet.ui.common.Errors;
import org.multimagnet.ui.common.WorkspaceModel;
import org.multimagnet.workspace.Artifact;
import org.multimagnet.workspace.ArtifactHistory;

/**
 * The state of the history window: one row per artifact version (the current one and the kept ones), read and
 * restored on the compute thread.
 */
public final class HistoryViewModel {
    /** The answer that restores. */
    static final String RESTORE = "Restore";

    private final ComputeExecutor executor;
    private final DialogService dialogs;
    private final WorkspaceModel workspace;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("");

    /**
     * One line of the table.
     *
     * @param artifact    the artifact's id
     * @param version     the kept version's number, or 0 for the current one
     * @param when        when it was kept (empty for the current one)
     * @param description what it holds
     * @param reason      what replaced it (empty for the current one)
     */
    public record Row(String artifact, int version, String when, String description, String reason) {
        /** @return whether this is a kept version (which can be restored) */
        public boolean restorable() {
            return version > 0;
        }
    }

    public HistoryViewModel(ComputeExecutor executor, DialogService dialogs, WorkspaceModel workspace) {
        this.executor = executor;
        this.dialogs = dialogs;
        this.workspace = workspace;
    }

    /** Reads the workspace's history. */
    public void reload() {
        Path folder = workspace.folder();
        executor.submit(BackgroundTask.of("Reading the history", (p, c) -> rowsOf(new ArtifactHistory(folder).list()))
                .onSuccess(r -> {
                    rows.setAll(r);
                    long kept = r.stream().filter(Row::restorable).count();
                    status.set(kept == 0 ? "Nothing replaced yet: every artifact is in its first version."
                            : kept + " kept version" + (kept == 1 ? "" : "s") + " in " + folder.resolve(
                            ArtifactHistory.FOLDER) + ". Select one and press Restore.");
                })
                .onFailure(e -> status.set(Errors.describe(e))));
    }

    static List<Row> rowsOf(List<ArtifactHistory.Entry> entries) {
        List<Row> out = new ArrayList<>();
        for (ArtifactHistory.Entry e : entries) {
            out.add(new Row(e.artifact(), 0, "", e.current() == null ? "(none)" : e.current(), ""));
            for (int i = e.versions().size() - 1; i >= 0; i--) {
                ArtifactHistory.Version v = e.versions().get(i);
                out.add(new Row(e.artifact(), v.version(), v.keptAt().replace('T', ' ').replaceAll("(:\\d\\d)\\.\\d+Z$", "$1"),
                        v.description(), v.reason()));
            }
        }
        return out;
    }

    /** Asks, then restores a kept version; the one it replaces is kept in turn. */
    public void restore(Row row) {
        if (row == null || !row.restorable()) {
            status.set("Select a kept version (not the current one) to restore.");
            return;
        }
        String question = "Bring back " + row.artifact() + " version " + row.version() + ": " + row.description()
                + "?\n\nWhat it holds now is kept as a new version, so this can be undone the same way.";
        if (!dialogs.choose("Restore " + row.artifact() + "?", question, List.of(RESTORE, "Cancel"))
                .filter(RESTORE::equals).isPresent()) {
            return;
        }
        Path folder = workspace.folder();
        executor.submit(BackgroundTask.of("Restoring " + row.artifact(), (p, c) ->
                        new ArtifactHistory(folder).restore(Artifact.parse(row.artifact()), row.version()))
                .onSuccess(kept -> {
                    workspace.touch();
                    reload();
                    status.set("Restored " + row.artifact() + " version " + row.version() + kept.map(k ->
                            "; the version it replaced is kept as version " + k.version()).orElse("") + ".");
                })
                .onFailure(e -> dialogs.showError("Not restored", e)));
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    public StringProperty statusProperty() {
        return status;
    }
}
