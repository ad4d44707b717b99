package org.multimagnet.ui.training;

import java.util.HashMap;
import java.util.Map;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.multimagnet.data.ImageShape;
import org.multimagnet.ui.common.Images;
import org.multimagnet.ui.common.Styles;
import org.multimagnet.ui.common.WorkbenchPane;
import org.multimagnet.ui.training.TrainingService.ModelRow;

/**
 * The training pane: the classifier F and the members of S (architecture, parameter count, status), a member
 * editor, training of one or all models with a live loss chart (JFreeChart-FX), progress, ETA and cancel, and after
 * training a member, sample images next to their reconstructions with each one's error.
 */
public final class TrainingView extends BorderPane implements WorkbenchPane {
    private final TrainingViewModel model;
    private final TableView<ModelRow> table;
    private final XYSeriesCollection lossData = new XYSeriesCollection();
    private final Map<Integer, XYSeries> seriesById = new HashMap<>();
    private final GridPane samples = new GridPane();

    public TrainingView(TrainingViewModel model) {
        this.model = model;
        setId("training-pane");

        table = new TableView<>(model.models());
        table.setId("training-models");
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.getColumns().add(col("Model", ModelRow::label, 64));
        table.getColumns().add(col("Structure", ModelRow::structure, 110));
        table.getColumns().add(col("Act.", ModelRow::activation, 70));
        table.getColumns().add(col("v", r -> r.id() == 0 ? "" : String.valueOf(r.noise()), 44));
        table.getColumns().add(col("Epochs", r -> String.valueOf(r.epochs()), 64));
        table.getColumns().add(col("Params", r -> String.format("%,d", r.parameters()), 76));
        table.getColumns().add(col("Status", ModelRow::status, 330));
        table.setRowFactory(tv -> {
            javafx.scene.control.TableRow<ModelRow> row = new javafx.scene.control.TableRow<>();
            row.itemProperty().addListener((o, a, r) -> row.setTooltip(r == null ? null
                    : new javafx.scene.control.Tooltip(r.name() + "\n" + r.status())));
            return row;
        });
        table.setPlaceholder(new Label("No models listed: open a workspace (File ▸ Open)."));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> model.edit(r));

        Spinner<Integer> epochs = new Spinner<>(0, 500, model.epochsProperty().get());
        epochs.setId("training-epochs");
        epochs.setEditable(true);
        epochs.setPrefWidth(90);
        epochs.valueProperty().addListener((o, a, b) -> model.epochsProperty().set(b));
        Spinner<Integer> limit = new Spinner<>(0, 1_000_000, model.limitProperty().get(), 500);
        limit.setId("training-limit");
        limit.setEditable(true);
        limit.setPrefWidth(110);
        limit.valueProperty().addListener((o, a, b) -> model.limitProperty().set(b));
        Button trainSel = new Button("Train selected");
        trainSel.setId("training-train-selected");
        trainSel.setDefaultButton(true);
        trainSel.disableProperty().bind(model.trainingProperty());
        trainSel.setOnAction(e -> model.train(table.getSelectionModel().getSelectedItems().stream()
                .map(ModelRow::id).toList()));
        Button trainAll = new Button("Train all");
        trainAll.disableProperty().bind(model.trainingProperty());
        trainAll.setOnAction(e -> model.trainAll());
        Button cancel = new Button("Cancel");
        cancel.setId("training-cancel");
        cancel.disableProperty().bind(model.trainingProperty().not());
        cancel.setOnAction(e -> model.cancel());
        javafx.scene.layout.FlowPane options = new javafx.scene.layout.FlowPane(8, 6, new Label("Epochs (0 = spec's)"),
                epochs, new Label("Images (0 = all Tr)"), limit);
        options.setAlignment(Pos.CENTER_LEFT);
        javafx.scene.layout.FlowPane actions = new javafx.scene.layout.FlowPane(8, 6, trainSel, trainAll, cancel);

        VBox left = new VBox(10, Styles.heading("Classifier F and repository S"), table, options, actions,
                editor());
        VBox.setVgrow(table, Priority.ALWAYS);
        table.setMinHeight(220);
        left.setPadding(new Insets(12));

        JFreeChart chart = ChartFactory.createXYLineChart("Training loss", "epoch", "loss", lossData,
                PlotOrientation.VERTICAL, true, true, false);
        org.multimagnet.ui.common.Charts.style(chart);
        ChartViewer viewer = new ChartViewer(chart);
        viewer.setId("training-loss-chart");
        viewer.setMinHeight(260);
        viewer.setPrefHeight(340);
        ProgressBar bar = new ProgressBar();
        bar.setId("training-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(model.progressProperty());
        Label status = new Label();
        status.setId("training-status");
        status.setWrapText(true);
        status.textProperty().bind(model.statusProperty());
        samples.setHgap(6);
        samples.setVgap(4);
        samples.setId("training-samples");
        VBox right = new VBox(8, viewer, bar, status, Styles.heading("Originals and reconstructions"), samples);
        VBox.setVgrow(viewer, Priority.ALWAYS);
        right.setPadding(new Insets(12));

        ScrollPane leftScroll = new ScrollPane(left);
        leftScroll.setFitToWidth(true);
        leftScroll.setFitToHeight(true);
        SplitPane split = new SplitPane(leftScroll, new ScrollPane(right));
        ((ScrollPane) split.getItems().get(1)).setFitToWidth(true);
        split.setDividerPositions(0.5);
        setCenter(split);

        model.losses().addListener((ListChangeListener<TrainingService.LossPoint>) c -> {
            // one redraw per change, not per point: JFreeChart redraws the whole chart on the FX thread for every
            // notifying add, and a burst of points from a fast member held the FX thread 60–190 ms
            java.util.Set<XYSeries> touched = new java.util.LinkedHashSet<>();
            while (c.next()) {
                if (c.wasRemoved() && model.losses().isEmpty()) {
                    lossData.removeAllSeries();
                    seriesById.clear();
                }
                for (TrainingService.LossPoint p : c.getAddedSubList()) {
                    XYSeries series = seriesById.computeIfAbsent(p.id(), id -> {
                        XYSeries s = new XYSeries(id == 0 ? "F" : "AE " + id);
                        lossData.addSeries(s);
                        return s;
                    });
                    series.add(p.x(), p.loss(), false);
                    touched.add(series);
                }
            }
            touched.forEach(XYSeries::fireSeriesChanged);
        });
        model.outcomeProperty().addListener((o, a, out) -> showSamples(out));
    }

    private Node editor() {
        TextField id = new TextField();
        id.setPrefColumnCount(3);
        id.textProperty().bindBidirectional(model.formIdProperty(), new javafx.util.converter.NumberStringConverter("0"));
        TextField structure = new TextField();
        structure.setId("training-form-structure");
        structure.textProperty().bindBidirectional(model.formStructureProperty());
        ComboBox<String> act = new ComboBox<>();
        act.getItems().addAll("sigmoid", "relu", "linear");
        act.valueProperty().bindBidirectional(model.formActivationProperty());
        TextField noise = new TextField();
        noise.setPrefColumnCount(4);
        noise.textProperty().bindBidirectional(model.formNoiseProperty(), new javafx.util.converter.NumberStringConverter("0.###"));
        TextField ep = new TextField();
        ep.setPrefColumnCount(4);
        ep.textProperty().bindBidirectional(model.formEpochsProperty(), new javafx.util.converter.NumberStringConverter("0"));
        Button add = new Button("New member");
        add.setOnAction(e -> model.newMember());
        Button save = new Button("Save member");
        save.setId("training-save-member");
        save.setOnAction(e -> model.saveMember());
        Button remove = new Button("Remove member");
        remove.setOnAction(e -> {
            ModelRow r = table.getSelectionModel().getSelectedItem();
            if (r != null) {
                model.removeMember(r.id());
            }
        });
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        g.addRow(0, new Label("Id"), id, new Label("Structure"), structure);
        g.addRow(1, new Label("Activation"), act, new Label("Noise v"), noise);
        g.addRow(2, new Label("Epochs"), ep, new javafx.scene.layout.FlowPane(6, 6, add, save, remove));
        GridPane.setColumnSpan(g.getChildren().get(g.getChildren().size() - 1), 2);
        return new VBox(6, Styles.heading("Member spec"), Styles.hint("Structure tokens: filters, avg or max, "
                + "filters … e.g. 3, avg, 3 (the encoder, as MagNet writes it). Select a row to edit it."), g);
    }

    private void showSamples(TrainingService.TrainOutcome out) {
        samples.getChildren().clear();
        if (out == null || out.samples() == 0) {
            return;
        }
        ImageShape shape = out.shape();
        int size = shape.size();
        samples.add(new Label("x"), 0, 0);
        samples.add(new Label("a(x)"), 0, 1);
        samples.add(new Label("|x−a(x)|"), 0, 2);
        for (int i = 0; i < out.samples(); i++) {
            samples.add(new ImageView(Images.toImage(out.originals(), i * size, shape, 3)), i + 1, 0);
            samples.add(new ImageView(Images.toImage(out.reconstructions(), i * size, shape, 3)), i + 1, 1);
            samples.add(new Label(String.format("%.4f", out.errors()[i])), i + 1, 2);
        }
    }

    private static TableColumn<ModelRow, String> col(String title, java.util.function.Function<ModelRow, String> f,
                                                     double width) {
        TableColumn<ModelRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(f.apply(cd.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    @Override
    public String title() {
        return "Training";
    }

    @Override
    public Node node() {
        return this;
    }

    @Override
    public void runMainAction() {
        model.train(table.getSelectionModel().getSelectedItems().stream().map(ModelRow::id).toList());
    }

    @Override
    public void shown() {
        model.ensureLoaded();
    }
}
