package org.multimagnet.ui;

import java.nio.file.Path;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.multimagnet.ui.common.GlossaryView;
import org.multimagnet.ui.common.WorkbenchPane;

/**
 * The main window's layout: a menu bar, one tab per pane, a status bar with the running task, its progress and a
 * Cancel button. Keyboard: Ctrl+O open, Ctrl+1..6 panes, Ctrl+R run the pane's main action, Esc cancel, F11
 * presentation mode.
 */
public final class MainView extends BorderPane {
    private final MainViewModel model;
    private final List<WorkbenchPane> panes;
    private final TabPane tabs = new TabPane();
    private final Menu recentMenu = new Menu("Recent workspaces");
    private final Runnable quit;
    private javafx.stage.Stage glossaryStage;

    /**
     * @param model the window's state
     * @param panes the panes in tab order
     * @param quit  closes the application
     */
    public MainView(MainViewModel model, List<WorkbenchPane> panes, Runnable quit) {
        this.model = model;
        this.panes = List.copyOf(panes);
        this.quit = quit;
        setId("main-view");
        getStyleClass().add("workbench");
        setTop(new javafx.scene.layout.VBox(menuBar(), emptyStateBanner(), inUseBanner(), nextStepBar()));
        for (WorkbenchPane p : panes) {
            Tab t = new Tab(p.title(), p.node());
            t.setClosable(false);
            t.setId("tab-" + p.title().toLowerCase());
            tabs.getTabs().add(t);
        }
        tabs.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
            int i = b.intValue();
            if (i >= 0 && i < this.panes.size()) {
                this.panes.get(i).shown();
            }
        });
        setCenter(tabs);
        // Dragging a gallery image over a tab's header opens that tab, so it can be dropped on the Deployment pane.
        tabs.skinProperty().addListener((o, a, skin) -> javafx.application.Platform.runLater(this::tabHeadersOpenOnDrag));
        setBottom(statusBar());
        // every chart of every pane: right-click ▸ Save chart as PNG (a pane's own menu, e.g. a member card's, wins)
        addEventHandler(javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED, e -> {
            Node chart = chartAround(e.getTarget() instanceof Node n ? n : null);
            if (chart == null) {
                return;
            }
            MenuItem save = new MenuItem("Save chart as PNG…");
            save.setOnAction(a -> org.multimagnet.ui.common.Snapshots.saveNode(chart,
                    chart.getId() == null ? "chart" : chart.getId(), model.dialogs(), model.executor()));
            new javafx.scene.control.ContextMenu(save).show(chart, e.getScreenX(), e.getScreenY());
            e.consume();
        });
        // presentation mode: type that grows with the window, from a 1280×720 projector to a 4K screen
        javafx.beans.InvalidationListener type = o -> setStyle(model.presentationModeProperty().get()
                ? "-fx-font-size: " + presentationFontSize(getWidth(), getHeight()) + "px;" : "");
        model.presentationModeProperty().addListener(type);
        widthProperty().addListener(type);
        heightProperty().addListener(type);
    }

    private void tabHeadersOpenOnDrag() {
        for (Tab t : tabs.getTabs()) {
            Node header = t.getStyleableNode();
            if (header != null) {
                header.setOnDragEntered(e -> tabs.getSelectionModel().select(t));
            }
        }
    }

    /**
     * @return presentation mode's type size for a window of {@code width × height}: 18 px at 1280×720, 24 px at
     *     1920×1080, in proportion to the window's smaller relative side, at most 44 px (a 4K screen)
     */
    static long presentationFontSize(double width, double height) {
        double byWindow = Math.min(width / 72, height / 45);
        return Math.round(Math.max(18, Math.min(44, byWindow)));
    }

    /** @return the chart (JavaFX or JFreeChart) {@code n} is part of, or null */
    static Node chartAround(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (p instanceof javafx.scene.chart.Chart || p.getClass().getName().startsWith("org.jfree.chart.fx.")) {
                return p;
            }
        }
        return null;
    }

    /** @return the tab pane (tests select tabs through it) */
    public TabPane tabs() {
        return tabs;
    }

    /** Shows pane {@code index} (0-based). */
    public void select(int index) {
        if (index >= 0 && index < tabs.getTabs().size()) {
            tabs.getSelectionModel().select(index);
        }
    }

    /** Runs the visible pane's main action. */
    public void runSelected() {
        int i = tabs.getSelectionModel().getSelectedIndex();
        if (i >= 0) {
            panes.get(i).runMainAction();
        }
    }

    private MenuBar menuBar() {
        MenuItem newWs = new MenuItem("New workspace…");
        newWs.setOnAction(e -> model.newWorkspaceChooser());
        MenuItem open = new MenuItem("Open workspace…");
        open.setAccelerator(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN));
        open.setOnAction(e -> model.openWorkspaceChooser());
        rebuildRecent();
        model.recentWorkspaces().addListener((javafx.collections.ListChangeListener<Path>) c -> rebuildRecent());
        MenuItem exit = new MenuItem("Quit");
        exit.setAccelerator(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN));
        exit.setOnAction(e -> {
            if (model.mayQuit()) {
                quit.run();
            }
        });
        MenuItem history = new MenuItem("Workspace history…");
        history.setOnAction(e -> org.multimagnet.ui.history.HistoryWindow.show(getScene().getWindow(),
                model.history()));
        Menu file = new Menu("File", null, newWs, open, recentMenu, new SeparatorMenuItem(), history,
                new SeparatorMenuItem(), exit);

        CheckMenuItem presentation = new CheckMenuItem("Presentation mode");
        presentation.setAccelerator(new KeyCodeCombination(KeyCode.F11));
        presentation.selectedProperty().bindBidirectional(model.presentationModeProperty());
        Menu view = new Menu("View", null, presentation, new SeparatorMenuItem());
        for (int i = 0; i < panes.size(); i++) {
            int idx = i;
            MenuItem go = new MenuItem(panes.get(i).title());
            go.setAccelerator(new KeyCodeCombination(KeyCode.getKeyCode(String.valueOf(i + 1)),
                    KeyCombination.SHORTCUT_DOWN));
            go.setOnAction(e -> select(idx));
            view.getItems().add(go);
        }

        MenuItem run = new MenuItem("Run this pane's action");
        run.setAccelerator(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN));
        run.setOnAction(e -> runSelected());
        MenuItem cancel = new MenuItem("Cancel running task");
        cancel.setAccelerator(new KeyCodeCombination(KeyCode.ESCAPE));
        cancel.setOnAction(e -> model.escape());
        Menu task = new Menu("Task", null, run, cancel);
        MenuItem glossary = new MenuItem("Glossary of the paper's terms");
        glossary.setId("menu-glossary");
        glossary.setAccelerator(new KeyCodeCombination(KeyCode.F1));
        glossary.setOnAction(e -> showGlossary());
        Menu help = new Menu("Help", null, glossary);
        return new MenuBar(file, view, task, help);
    }

    /** Opens Help ▸ Glossary in its own window (once; raised when already open). */
    public void showGlossary() {
        if (glossaryStage == null) {
            glossaryStage = new javafx.stage.Stage();
            glossaryStage.setTitle("Glossary — MultiMagNet");
            if (getScene() != null && getScene().getWindow() != null) {
                glossaryStage.initOwner(getScene().getWindow());
            }
            glossaryStage.setScene(new javafx.scene.Scene(new GlossaryView()));
            glossaryStage.getScene().addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
                if (e.getCode() == KeyCode.ESCAPE) {
                    glossaryStage.hide();
                }
            });
        }
        glossaryStage.show();
        glossaryStage.toFront();
    }

    private void rebuildRecent() {
        recentMenu.getItems().clear();
        for (Path p : model.recentWorkspaces()) {
            MenuItem it = new MenuItem(p.toString());
            it.setMnemonicParsing(false);
            it.setOnAction(e -> model.openWorkspace(p));
            recentMenu.getItems().add(it);
        }
        recentMenu.setDisable(recentMenu.getItems().isEmpty());
    }

    /**
     * Shown while the folder holds no workspace.json: creates one here for a chosen dataset (File ▸ New workspace
     * leads here), or names the command line that does.
     */
    private Node emptyStateBanner() {
        Label text = new Label();
        text.setId("empty-workspace-banner");
        text.setWrapText(true);
        text.textProperty().bind(Bindings.createStringBinding(() -> "No workspace in "
                + model.workspace().folder() + " yet. Create one here for a dataset (then Training ▸ Train all, "
                + "Attack ▸ Generate, Calibration ▸ Run), open another (File ▸ Open, Ctrl+O), or from the project "
                + "folder: " + MainViewModel.CREATE_DEMO + " (train --workspace … --dataset …).",
                model.workspace().folderProperty(), model.workspace().revisionProperty()));
        javafx.scene.control.ComboBox<String> dataset = new javafx.scene.control.ComboBox<>(model.datasetSources());
        dataset.setId("new-workspace-dataset");
        dataset.setEditable(true);
        dataset.valueProperty().bindBidirectional(model.newDatasetProperty());
        Button create = new Button("Create workspace");
        create.setId("new-workspace-create");
        create.setOnAction(e -> {
            dataset.commitValue();
            model.createWorkspace();
        });
        javafx.scene.layout.FlowPane form = new javafx.scene.layout.FlowPane(8, 6, new Label("Dataset"), dataset,
                create);
        form.setAlignment(Pos.CENTER_LEFT);
        javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(6, text, form);
        box.setPadding(new Insets(8, 12, 8, 12));
        box.setStyle("-fx-background-color: -color-warning-subtle; -fx-border-color: -color-warning-emphasis;"
                + " -fx-border-width: 0 0 1 0;");
        box.visibleProperty().bind(model.workspace().presentProperty().not());
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    /** What the open workspace needs next (train, attack, calibrate, deploy), so a new workspace leads on. */
    private Node nextStepBar() {
        Label text = new Label();
        text.setId("next-step");
        text.setWrapText(true);
        text.textProperty().bind(model.nextStepProperty());
        HBox box = new HBox(text);
        box.setPadding(new Insets(4, 12, 4, 12));
        box.setStyle("-fx-background-color: -color-accent-subtle;");
        // hidden in presentation mode, where the audience needs the room more than the guidance
        box.visibleProperty().bind(model.nextStepProperty().isNotEmpty().and(model.workspace().presentProperty())
                .and(model.presentationModeProperty().not()));
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    /** Shown while another process holds the workspace's lock: this window reads it but cannot write into it. */
    private HBox inUseBanner() {
        Label text = new Label();
        text.setId("workspace-in-use-banner");
        text.setWrapText(true);
        text.textProperty().bind(Bindings.createStringBinding(() -> "Read-only: "
                + model.workspace().inUseByProperty().get() + ". Models, attack sets and calibrations can be viewed"
                + " and used; training, attacking and calibrating are refused until that process closes (File ▸"
                + " Open the workspace again to retry).", model.workspace().inUseByProperty()));
        HBox box = new HBox(text);
        box.setPadding(new Insets(8, 12, 8, 12));
        box.setStyle("-fx-background-color: -color-danger-subtle; -fx-border-color: -color-danger-emphasis;"
                + " -fx-border-width: 0 0 1 0;");
        box.visibleProperty().bind(model.workspace().inUseByProperty().isNotEmpty());
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    private HBox statusBar() {
        Label ws = new Label();
        ws.setId("status-workspace");
        ws.textProperty().bind(model.workspaceText());
        Label task = new Label();
        task.setId("status-task");
        task.textProperty().bind(Bindings.createStringBinding(() -> {
            String t = model.executor().currentTitleProperty().get();
            String m = model.executor().currentMessageProperty().get();
            return t.isEmpty() ? "Ready" : m.isEmpty() ? t + "…" : t + " — " + m;
        }, model.executor().currentTitleProperty(), model.executor().currentMessageProperty()));
        ProgressBar bar = new ProgressBar();
        bar.setPrefWidth(180);
        bar.progressProperty().bind(model.executor().currentProgressProperty());
        bar.visibleProperty().bind(model.executor().currentTitleProperty().isNotEmpty());
        Button cancel = new Button("Cancel (Esc)");
        cancel.setId("status-cancel");
        cancel.visibleProperty().bind(model.executor().currentTitleProperty().isNotEmpty());
        cancel.setOnAction(e -> model.cancelRunning());
        Label change = new Label();
        change.setId("status-last-change");
        change.textProperty().bind(model.lastChangeProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox box = new HBox(10, ws, change, grow, task, bar, cancel);
        box.setAlignment(Pos.CENTER_LEFT);
        box.setPadding(new Insets(4, 10, 4, 10));
        box.getStyleClass().add("status-bar");
        box.setStyle("-fx-border-color: -color-border-default transparent transparent transparent;");
        return box;
    }
}
