package org.multimagnet.ui.dataset;

import java.util.List;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.image.ImageView;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.GridView;
import org.multimagnet.data.Dataset;
import javafx.scene.layout.FlowPane;
import org.multimagnet.ui.common.DialogService;
import org.multimagnet.ui.common.ImageActions;
import org.multimagnet.ui.common.ImagePayload;
import org.multimagnet.ui.common.Images;
import org.multimagnet.ui.common.Styles;
import org.multimagnet.ui.common.WorkbenchPane;

/**
 * The dataset pane: choose a source (built-in, file or folder), see sizes, split and per-class counts, and
 * scroll a virtualised gallery of labelled images that can be dragged onto the deployment pane.
 */
public final class DatasetView extends BorderPane implements WorkbenchPane {
    /** Enlargement of gallery images (28 px → 84 px). */
    static final int GALLERY_SCALE = 3;

    private final DatasetViewModel model;
    private final DialogService dialogs;
    private final BarChart<String, Number> counts = new BarChart<>(new CategoryAxis(), new NumberAxis());
    private final GridPane facts = new GridPane();
    private final ComboBox<Integer> classFilter = new ComboBox<>();

    private final ImageActions actions;
    private final javafx.beans.property.DoubleProperty thumb =
            new javafx.beans.property.SimpleDoubleProperty(28 * GALLERY_SCALE);
    private final ComboBox<String> source;

    /**
     * @param model   the pane's state
     * @param dialogs file choosers
     * @param actions send to Deployment, attack and deploy, save as PNG
     */
    public DatasetView(DatasetViewModel model, DialogService dialogs, ImageActions actions) {
        this.model = model;
        this.dialogs = dialogs;
        this.actions = actions;
        setId("dataset-pane");

        source = new ComboBox<>(model.sources());
        source.setId("dataset-source");
        source.setEditable(true);
        source.setPrefWidth(260);
        source.valueProperty().bindBidirectional(model.sourceProperty());
        Button load = new Button("Load");
        load.setId("dataset-load");
        load.setDefaultButton(true);
        load.disableProperty().bind(model.busyProperty());
        // an editable box keeps what was typed in its editor until Enter; Load must use what the user sees
        load.setOnAction(e -> runMainAction());
        Button file = new Button("File…");
        file.setOnAction(e -> dialogs.chooseFile("Open a dataset file", null,
                List.of("*.gz", "*-ubyte", "*.idx", "*.bin")).ifPresent(model::loadPath));
        Button folder = new Button("Folder…");
        folder.setOnAction(e -> dialogs.chooseDirectory("Open an image folder (one sub-folder per class)", null)
                .ifPresent(model::loadPath));
        HBox sourceRow = new HBox(6, source, load);
        HBox pickRow = new HBox(6, file, folder);
        Label status = new Label();
        status.setId("dataset-status");
        status.setWrapText(true);
        status.textProperty().bind(model.statusProperty());

        facts.setHgap(12);
        facts.setVgap(4);
        facts.setId("dataset-facts");
        counts.setId("dataset-counts");
        counts.setLegendVisible(false);
        counts.setAnimated(false);
        counts.setTitle("Images per class");
        counts.setPrefHeight(280);
        counts.setMinHeight(200);

        VBox left = new VBox(10, Styles.heading("Source"), sourceRow, pickRow,
                Styles.hint("Built-in: sample:mnist (10,000 MNIST digits), sample:cifar10, cifar10 (the full set, "
                        + "via MULTIMAGNET_CIFAR10), fashion-mnist. Files: IDX (optionally .gz), CIFAR-10 binary batches. Folder: one sub-folder per class."),
                status, Styles.heading("Summary"), facts, counts);
        left.setPadding(new Insets(12));
        left.setMinWidth(320);
        left.setPrefWidth(380);

        GridView<Integer> gallery = new GridView<>(model.galleryIndices());
        gallery.setId("dataset-gallery");
        // thumbnails grow with the window (84 px on a laptop, up to 200 px on a 4K screen)
        thumb.bind(javafx.beans.binding.Bindings.createDoubleBinding(
                () -> Math.max(28 * GALLERY_SCALE, Math.min(200, getWidth() / 16)), widthProperty()));
        gallery.cellWidthProperty().bind(thumb.add(8));
        gallery.cellHeightProperty().bind(thumb.add(24));
        gallery.setHorizontalCellSpacing(6);
        gallery.setVerticalCellSpacing(6);
        gallery.setCellFactory(g -> new ImageCell());
        model.selectedProperty().addListener((o, a, b) -> {
            // redraw the cells so the pick's outline follows
            gallery.setCellFactory(null);
            gallery.setCellFactory(g -> new ImageCell());
        });
        classFilter.setId("dataset-class-filter");
        classFilter.valueProperty().addListener((o, a, b) ->
                model.classFilterProperty().set(b == null ? DatasetViewModel.ALL_CLASSES : b));
        classFilter.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer c) {
                Dataset d = model.datasetProperty().get();
                if (c == null || c == DatasetViewModel.ALL_CLASSES || d == null) {
                    return "All classes";
                }
                return c + " · " + d.classNames().get(c);
            }

            @Override
            public Integer fromString(String s) {
                return null;
            }
        });
        Label count = new Label();
        count.textProperty().bind(javafx.beans.binding.Bindings.size(model.galleryIndices()).asString("%d images"));
        Button send = new Button("Send to Deployment");
        send.setId("dataset-send");
        send.disableProperty().bind(model.selectedProperty().lessThan(0));
        send.setOnAction(e -> {
            ImagePayload p = model.selectedPayload();
            if (p != null) {
                actions.send(p);
            }
        });
        Button attackIt = new Button("Attack and deploy");
        attackIt.setId("dataset-attack-and-deploy");
        attackIt.disableProperty().bind(model.selectedProperty().lessThan(0));
        attackIt.setOnAction(e -> {
            ImagePayload p = model.selectedPayload();
            if (p != null) {
                actions.attackAndSend(p);
            }
        });
        Label pick = Styles.hint("Click an image to pick it; double-click, right-click or drag it onto the "
                + "Deployment tab to classify it.");
        pick.setWrapText(true);
        // the hint wraps on its own row: in a flow it would keep its one-line width and push the gallery aside
        pick.setMinWidth(0);
        FlowPane tools = new FlowPane(10, 6, Styles.heading("Gallery"), classFilter, count, send, attackIt);
        tools.setAlignment(Pos.CENTER_LEFT);
        VBox galleryBar = new VBox(6, tools, pick);
        galleryBar.setPadding(new Insets(12, 12, 6, 12));
        BorderPane right = new BorderPane(gallery);
        right.setTop(galleryBar);
        right.setMinWidth(0);
        gallery.setMinWidth(0);
        VBox.setVgrow(gallery, Priority.ALWAYS);

        SplitPane split = new SplitPane(new javafx.scene.control.ScrollPane(left), right);
        ((javafx.scene.control.ScrollPane) split.getItems().get(0)).setFitToWidth(true);
        split.setDividerPositions(0.33);
        setCenter(split);

        model.summaryProperty().addListener((o, a, s) -> show(s));
    }

    private void show(DatasetSummary s) {
        facts.getChildren().clear();
        if (s == null) {
            return;
        }
        int r = 0;
        r = fact(r, "Source", s.name());
        r = fact(r, "Format", s.format());
        r = fact(r, "Image shape", s.shape());
        r = fact(r, "Images", String.format("%,d", s.size()));
        r = fact(r, "Classes", String.valueOf(s.classNames().size()));
        r = fact(r, "Split", String.format("Tr %,d · V_leg %,d · Te %,d", s.train(), s.validation(), s.test()));
        Label rule = Styles.hint(s.splitRule());
        rule.setId("dataset-split-rule");
        facts.add(rule, 0, r, 2, 1);
        XYChart.Series<String, Number> series = new XYChart.Series<>();
        for (int c = 0; c < s.classCounts().length; c++) {
            series.getData().add(new XYChart.Data<>(s.classNames().get(c), s.classCounts()[c]));
        }
        counts.getData().setAll(List.of(series));
        classFilter.getItems().setAll(DatasetViewModel.ALL_CLASSES);
        for (int c = 0; c < s.classNames().size(); c++) {
            classFilter.getItems().add(c);
        }
        classFilter.setValue(DatasetViewModel.ALL_CLASSES);
    }

    private int fact(int row, String name, String value) {
        Label n = new Label(name);
        n.setStyle("-fx-font-weight: bold;");
        Label v = new Label(value);
        v.setId("dataset-fact-" + name.toLowerCase().replace(' ', '-'));
        v.setWrapText(true);
        facts.addRow(row, n, v);
        return row + 1;
    }

    /** One gallery image with its index and label; draggable. */
    private final class ImageCell extends GridCell<Integer> {
        private final ImageView view = new ImageView();
        private final Label caption = new Label();
        private final VBox box = new VBox(2, view, caption);

        ImageCell() {
            box.setAlignment(Pos.CENTER);
            view.setPreserveRatio(true);
            view.fitWidthProperty().bind(thumb);
            actions.install(this, () -> getItem() == null || model.datasetProperty().get() == null ? null
                    : model.payload(getItem()), true);
            addEventHandler(javafx.scene.input.MouseEvent.MOUSE_PRESSED, e -> {
                if (getItem() != null && e.isPrimaryButtonDown()) {
                    model.selectedProperty().set(getItem());
                }
            });
            caption.setStyle("-fx-font-size: 11px;");
            setOnDragDetected(e -> {
                Integer idx = getItem();
                if (idx == null) {
                    return;
                }
                var db = startDragAndDrop(TransferMode.COPY);
                ClipboardContent content = new ClipboardContent();
                content.put(org.multimagnet.ui.common.ImagePayload.FORMAT, model.payload(idx));
                content.putImage(view.getImage());
                db.setContent(content);
                db.setDragView(view.getImage());
                e.consume();
            });
        }

        @Override
        protected void updateItem(Integer idx, boolean empty) {
            super.updateItem(idx, empty);
            Dataset d = model.datasetProperty().get();
            if (empty || idx == null || d == null) {
                setGraphic(null);
                return;
            }
            view.setImage(Images.toImage(d.pixels(), idx * d.shape().size(), d.shape(), GALLERY_SCALE));
            int label = d.labels()[idx];
            caption.setText("#" + idx + " · " + d.classNames().get(label));
            box.setStyle(idx == model.selectedProperty().get()
                    ? "-fx-border-color: -color-accent-emphasis; -fx-border-width: 2;" : "");
            setGraphic(box);
        }
    }

    @Override
    public String title() {
        return "Dataset";
    }

    @Override
    public javafx.scene.Node node() {
        return this;
    }

    @Override
    public void runMainAction() {
        source.commitValue();
        model.load();
    }
}
