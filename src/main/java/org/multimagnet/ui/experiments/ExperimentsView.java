package org.multimagnet.ui.experiments;

import java.nio.file.Path;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.multimagnet.ui.common.Styles;
import org.multimagnet.ui.common.WorkbenchPane;

/**
 * The experiments pane: the paper's Tables 2/3 and 5/6 beside the workspace's own reports, and the command that
 * produces a report (the 40-chunk protocol of paper §5.4 runs from the command line).
 */
public final class ExperimentsView extends BorderPane implements WorkbenchPane {
    private final ExperimentsViewModel model;
    private final ReportView reportView;
    private boolean loaded;

    public ExperimentsView(ExperimentsViewModel model) {
        this.model = model;
        this.reportView = new ReportView(model);
        setId("experiments-pane");

        TableView<ExperimentsViewModel.DetectionRow> detection = new TableView<>(model.detection());
        detection.setId("experiments-paper-detection");
        detection.getColumns().add(col("Dataset", ExperimentsViewModel.DetectionRow::dataset));
        detection.getColumns().add(col("Defense", ExperimentsViewModel.DetectionRow::defense));
        detection.getColumns().add(col("Attack", ExperimentsViewModel.DetectionRow::attack));
        detection.getColumns().add(col("ACC %", ExperimentsViewModel.DetectionRow::acc));
        detection.getColumns().add(col("Detection rate % (paper's NPV column)", ExperimentsViewModel.DetectionRow::detectionRate));
        detection.getColumns().add(col("Legit. accepted % (paper's PPV column)", ExperimentsViewModel.DetectionRow::acceptanceRate));
        detection.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        TableView<ExperimentsViewModel.ScenarioRow> scenarios = new TableView<>(model.scenarios());
        scenarios.setId("experiments-paper-scenarios");
        scenarios.getColumns().add(col("Dataset", ExperimentsViewModel.ScenarioRow::dataset));
        scenarios.getColumns().add(col("Attack", ExperimentsViewModel.ScenarioRow::attack));
        scenarios.getColumns().add(col("D_atk only (T6)", ExperimentsViewModel.ScenarioRow::attackOnly));
        scenarios.getColumns().add(col("No defense", ExperimentsViewModel.ScenarioRow::noDefense));
        scenarios.getColumns().add(col("MagNet", ExperimentsViewModel.ScenarioRow::magnet));
        scenarios.getColumns().add(col("MultiMagNet", ExperimentsViewModel.ScenarioRow::multimagnet));
        scenarios.getColumns().add(col("MagNet + reformer", ExperimentsViewModel.ScenarioRow::magnetReformer));
        scenarios.getColumns().add(col("MultiMagNet + reformer", ExperimentsViewModel.ScenarioRow::multimagnetReformer));
        scenarios.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        Label source = Styles.hint("");
        source.textProperty().bind(model.sourceProperty());
        // the source's long note gives way to the tables on a small screen (all of it on hover)
        source.setMinHeight(0);
        Tooltip sourceTip = new Tooltip();
        sourceTip.textProperty().bind(model.sourceProperty());
        sourceTip.setWrapText(true);
        sourceTip.setMaxWidth(600);
        source.setTooltip(sourceTip);
        VBox paper = new VBox(8, Styles.heading("The paper's values — Tables 2 and 3 (detection, μ ± σ over 40 chunks)"),
                detection, Styles.heading("Tables 5 and 6 (F's accuracy on D, %)"), scenarios, source);
        VBox.setVgrow(detection, Priority.ALWAYS);
        VBox.setVgrow(scenarios, Priority.ALWAYS);
        paper.setPadding(new Insets(12));

        ListView<Path> reports = new ListView<>(model.reports());
        reports.setId("experiments-reports");
        reports.setPrefHeight(140);
        reports.setMinHeight(72);
        reports.getSelectionModel().selectedItemProperty().addListener((o, a, p) -> {
            if (p != null) {
                model.open(p);
            }
        });
        TextArea text = new TextArea();
        text.setId("experiments-report-text");
        text.setEditable(false);
        text.setWrapText(false);
        text.setStyle("-fx-font-family: monospace;");
        text.textProperty().bind(model.reportTextProperty());
        javafx.scene.control.Button run = new javafx.scene.control.Button("Run the protocol");
        run.setId("experiments-run");
        run.disableProperty().bind(model.busyProperty());
        run.setOnAction(e -> model.run());
        javafx.scene.control.Button cancel = new javafx.scene.control.Button("Cancel");
        cancel.disableProperty().bind(model.busyProperty().not());
        cancel.setOnAction(e -> model.cancel());
        javafx.scene.control.CheckBox quick = new javafx.scene.control.CheckBox("quick (minutes on two cores)");
        quick.selectedProperty().bindBidirectional(model.quickProperty());
        Label runStatus = new Label();
        runStatus.setWrapText(true);
        runStatus.textProperty().bind(model.runStatusProperty());
        VBox ours = new VBox(8, Styles.heading("This workspace's reports"),
                shrinkable(Styles.hint("The protocol (paper §5.4: D cut into chunks, a fresh random ensemble per chunk, MagNet "
                        + "and MultiMagNet, all four attacks) trains what is missing, attacks, calibrates, evaluates "
                        + "and writes its report into the workspace's report folder. Same as the command line:")),
                monospace(ExperimentsViewModel.COMMAND), new javafx.scene.layout.FlowPane(8, 6, run, cancel, quick),
                runStatus, reports, reportTabs(text));
        ours.setPadding(new Insets(12));

        SplitPane split = new SplitPane(paper, ours);
        split.setDividerPositions(0.58);
        setCenter(split);
    }

    /** The report drawn (tables, charts) and its source text, side by side as two tabs. */
    private Node reportTabs(TextArea text) {
        javafx.scene.control.Tab drawn = new javafx.scene.control.Tab("Report", reportView);
        javafx.scene.control.Tab source = new javafx.scene.control.Tab("Source", text);
        drawn.setClosable(false);
        source.setClosable(false);
        javafx.scene.control.TabPane tabs = new javafx.scene.control.TabPane(drawn, source);
        tabs.setId("experiments-report-tabs");
        VBox.setVgrow(tabs, Priority.ALWAYS);
        // a report that is not Markdown (report.json) has only its text
        model.reportBlocks().addListener((javafx.collections.ListChangeListener<Object>) c ->
                tabs.getSelectionModel().select(model.reportBlocks().isEmpty() ? source : drawn));
        return tabs;
    }

    /** A hint that gives way to the report on a small screen: cut with "…", whole on hover. */
    private static Label shrinkable(Label hint) {
        hint.setMinHeight(0);
        Tooltip t = new Tooltip(hint.getText());
        t.setWrapText(true);
        t.setMaxWidth(600);
        hint.setTooltip(t);
        return hint;
    }

    private static Label monospace(String s) {
        Label l = new Label(s);
        l.setWrapText(true);
        l.setStyle("-fx-font-family: monospace; -fx-background-color: -color-bg-subtle; -fx-padding: 6;");
        l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        return l;
    }

    private static <R> TableColumn<R, String> col(String title, Function<R, String> get) {
        TableColumn<R, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(get.apply(cd.getValue())));
        c.setSortable(true);
        return c;
    }

    @Override
    public String title() {
        return "Experiments";
    }

    @Override
    public Node node() {
        return this;
    }

    @Override
    public void runMainAction() {
        model.run();
    }

    @Override
    public void shown() {
        reportView.activate();
        if (!loaded) {
            loaded = true;
            model.refresh();
        }
    }
}
