package org.multimagnet.ui;

import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.multimagnet.ui.common.BackgroundTask;
import org.multimagnet.ui.common.ComputeExecutor;
import org.multimagnet.workspace.NextStep;
import org.multimagnet.workspace.Workspace;
import org.multimagnet.ui.common.DialogService;
import org.multimagnet.ui.common.RecentWorkspaces;
import org.multimagnet.ui.common.WorkspaceModel;

/** The main window's state: which workspace is open, the recent ones, presentation mode, the status line. */
public final class MainViewModel {
    /** The command that creates and trains the demo workspace (shown in the empty state). */
    public static final String CREATE_DEMO =
            "java -jar target/multimagnet.jar train --workspace workspaces/demo-mnist --dataset sample:mnist";

    private final WorkspaceModel workspace;
    private final RecentWorkspaces recent;
    private final DialogService dialogs;
    private final ComputeExecutor executor;
    private final ObservableList<Path> recentList = FXCollections.observableArrayList();
    private final BooleanProperty presentationMode = new SimpleBooleanProperty(false);
    private final javafx.beans.property.StringProperty lastChange = new javafx.beans.property.SimpleStringProperty("");
    private final javafx.beans.property.StringProperty nextStep = new javafx.beans.property.SimpleStringProperty("");
    private final javafx.beans.property.StringProperty newDataset =
            new javafx.beans.property.SimpleStringProperty("sample:mnist");
    private final ObservableList<String> datasetSources = FXCollections.observableArrayList();

    public MainViewModel(WorkspaceModel workspace, RecentWorkspaces recent, DialogService dialogs,
                         ComputeExecutor executor) {
        this.workspace = workspace;
        this.recent = recent;
        this.dialogs = dialogs;
        this.executor = executor;
        recentList.setAll(recent.list());
        workspace.folderProperty().addListener((o, a, b) -> refreshNextStep());
        workspace.revisionProperty().addListener((o, a, b) -> refreshNextStep());
    }

    /** Asks for a folder and opens it as the workspace (File ▸ Open, Ctrl+O). */
    public void openWorkspaceChooser() {
        dialogs.chooseDirectory("Open workspace", workspace.folder().getParent())
                .ifPresent(this::openWorkspace);
    }

    /**
     * Asks for a folder for a new workspace and opens it: the banner then offers to create it for a dataset, and
     * the next-step line leads through training, attacking and calibrating.
     */
    public void newWorkspaceChooser() {
        dialogs.chooseDirectory("New workspace (choose an empty folder)", workspace.folder().getParent())
                .ifPresent(this::openWorkspace);
    }

    /** Opens {@code folder} and remembers it. */
    public void openWorkspace(Path folder) {
        workspace.open(folder);
        recent.add(folder);
        recentList.setAll(recent.list());
    }

    /** @return the state of a history window over the open workspace (File ▸ Workspace history…) */
    public org.multimagnet.ui.history.HistoryViewModel history() {
        return new org.multimagnet.ui.history.HistoryViewModel(executor, dialogs, workspace);
    }

    /** Cancels the running task (the status bar's Cancel). */
    public void cancelRunning() {
        executor.cancelCurrent();
    }

    /**
     * Esc: cancels the running task and nothing else (presentation mode stays on during a demo); with no task
     * running it leaves presentation mode.
     */
    public void escape() {
        if (!executor.currentTitleProperty().get().isEmpty()) {
            executor.cancelCurrent();
        } else {
            presentationMode.set(false);
        }
    }

    /**
     * Asks before quitting while a task runs (a training, an attack): yes cancels it first, so the stored artifacts
     * stay as they were.
     *
     * @return whether the window may close now
     */
    public boolean mayQuit() {
        String running = executor.currentTitleProperty().get();
        if (running.isEmpty()) {
            return true;
        }
        if (!dialogs.askYesNo("Quit while a task runs?", "'" + running + "' is still running. Quit anyway? It is "
                + "cancelled; what it had not finished is not stored and the workspace keeps its previous artifacts.")) {
            return false;
        }
        executor.cancelCurrent();
        return true;
    }

    /** @return what the open workspace needs next, e.g. "Next: Training ▸ Train all …" (under the tabs) */
    public javafx.beans.property.StringProperty nextStepProperty() {
        return nextStep;
    }

    /** @return the dataset sources offered when creating a workspace */
    public ObservableList<String> datasetSources() {
        return datasetSources;
    }

    /** @return the dataset a new workspace is created for */
    public javafx.beans.property.StringProperty newDatasetProperty() {
        return newDataset;
    }

    /** Reads what the workspace needs next, off the FX thread. */
    public void refreshNextStep() {
        Path folder = workspace.folder();
        executor.submit(BackgroundTask.of("Reading the workspace", (p, c) -> NextStep.of(folder))
                .onSuccess(stage -> {
                    if (folder.equals(workspace.folder())) {
                        nextStep.set(stage.hint());
                    }
                }));
    }

    /**
     * Creates the workspace in the open (empty) folder for {@link #newDatasetProperty()}: its {@code workspace.json}
     * with the paper's split of that dataset, as {@code train --dataset} would; every pane then works on it.
     */
    public void createWorkspace() {
        Path folder = workspace.folder();
        String dataset = newDataset.get() == null ? "" : newDataset.get().trim();
        if (dataset.isEmpty()) {
            dialogs.showError("No dataset", "Pick the dataset the workspace studies, e.g. sample:mnist.");
            return;
        }
        executor.submit(BackgroundTask.of("Creating the workspace on " + dataset, (p, c) -> {
            Workspace.openOrCreate(folder, dataset, 2019L); // train's default --seed
            return folder;
        }).onSuccess(f -> {
            if (f.equals(workspace.folder())) {
                workspace.touch();
                recent.add(f);
                recentList.setAll(recent.list());
            }
        }).onFailure(e -> dialogs.showError("Could not create the workspace", e)));
    }

    /** @return what the workspace watcher last saw change on disk, e.g. "models/ae-03.json changed" */
    public javafx.beans.property.StringProperty lastChangeProperty() {
        return lastChange;
    }

    /** @return the recent workspaces, newest first */
    public ObservableList<Path> recentWorkspaces() {
        return recentList;
    }

    /** @return whether presentation mode (full screen, large fonts) is on */
    public BooleanProperty presentationModeProperty() {
        return presentationMode;
    }

    /** @return the workspace */
    public WorkspaceModel workspace() {
        return workspace;
    }

    /** @return messages and choosers (the window's own menus use them) */
    public DialogService dialogs() {
        return dialogs;
    }

    /** @return the executor (status bar) */
    public ComputeExecutor executor() {
        return executor;
    }

    /** @return the status bar's workspace text */
    public StringBinding workspaceText() {
        return Bindings.createStringBinding(() -> {
            Path f = workspace.folder();
            if (f == null) {
                return "No workspace";
            }
            if (!workspace.presentProperty().get()) {
                return "Workspace (not created yet): " + f;
            }
            return (workspace.inUseByProperty().get().isEmpty() ? "Workspace: " : "Workspace (read-only): ") + f;
        }, workspace.folderProperty(), workspace.presentProperty(), workspace.revisionProperty(),
                workspace.inUseByProperty());
    }
}
