package org.multimagnet.ui.attack;

import java.util.Arrays;
import java.util.Map;
import javafx.collections.MapChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.GridView;
import org.multimagnet.data.ImageShape;
import javafx.scene.layout.FlowPane;
import org.multimagnet.ui.common.Glossary;
import org.multimagnet.ui.common.ImageActions;
import org.multimagnet.ui.common.ImagePayload;
import org.multimagnet.ui.common.Images;
import org.multimagnet.ui.common.Styles;
import org.multimagnet.ui.common.WorkbenchPane;

/**
 * The attack pane: attack and parameters (Table 1 defaults), generate with progress and cancel, a gallery of
 * original | perturbation (amplified, its factor shown) | adversarial with F's predictions, the success rate and an
 * L2 distortion histogram.
 */
public final class AttackView extends BorderPane implements WorkbenchPane {
    static final int SCALE = 3;
    private final AttackViewModel model;
    private final GridPane paramForm = new GridPane();
    private final BarChart<String, Number> histogram = new BarChart<>(new CategoryAxis(), new NumberAxis());

    private final ImageActions actions;
    private final javafx.beans.property.DoubleProperty thumb = new javafx.beans.property.SimpleDoubleProperty(28 * SCALE);

    /**
     * @param model   the pane's state
     * @param actions send to Deployment, save as PNG
     */
    public AttackView(AttackViewModel model, ImageActions actions) {
        this.model = model;
        this.actions = actions;
        setId("attack-pane");

        ComboBox<String> attack = new ComboBox<>(model.attacks());
        attack.setId("attack-name");
        attack.valueProperty().bindBidirectional(model.attackProperty());
        ComboBox<String> split = new ComboBox<>();
        split.getItems().addAll("test", "validation");
        split.valueProperty().bindBidirectional(model.splitProperty());
        Spinner<Integer> count = new Spinner<>(1, 100_000, model.countProperty().get(), 50);
        count.setId("attack-count");
        count.setEditable(true);
        count.setPrefWidth(110);
        count.valueProperty().addListener((o, a, b) -> model.countProperty().set(b));
        model.countProperty().addListener((o, a, b) -> count.getValueFactory().setValue(b.intValue()));
        TextField seed = new TextField(String.valueOf(model.seedProperty().get()));
        seed.setPrefColumnCount(6);
        seed.textProperty().addListener((o, a, b) -> {
            try {
                model.seedProperty().set(Long.parseLong(b.trim()));
            } catch (NumberFormatException e) {
                // keep the last valid seed; the field shows what the user typed
            }
        });
        Button generate = new Button("Generate");
        generate.setId("attack-generate");
        generate.setDefaultButton(true);
        generate.disableProperty().bind(model.busyProperty());
        generate.setOnAction(e -> model.generate());
        Button cancel = new Button("Cancel");
        cancel.disableProperty().bind(model.busyProperty().not());
        cancel.setOnAction(e -> model.cancel());
        GridPane top = new GridPane();
        top.setHgap(8);
        top.setVgap(6);
        top.addRow(0, new Label("Attack"), attack);
        top.addRow(1, Glossary.term("Images from", "V_leg / V_atk"), split);
        top.addRow(2, new Label("Images"), count);
        top.addRow(3, new Label("Seed"), seed);
        paramForm.setHgap(8);
        paramForm.setVgap(6);
        paramForm.setId("attack-params");
        model.params().addListener((MapChangeListener<String, String>) c -> rebuildForm());
        Label status = new Label();
        status.setId("attack-status");
        status.setWrapText(true);
        status.textProperty().bind(model.statusProperty());
        histogram.setId("attack-l2-histogram");
        histogram.setTitle("L2 distortion of the attacked images");
        histogram.setLegendVisible(false);
        histogram.setAnimated(false);
        histogram.setPrefHeight(240);
        histogram.setMinHeight(200);
        VBox left = new VBox(10, Styles.heading("Attack (white-box, untargeted, against F)"), top,
                Styles.heading("Parameters (paper Table 1)"), paramForm, new HBox(8, generate, cancel), status,
                histogram);
        left.setPadding(new Insets(12));

        GridView<Integer> gallery = new GridView<>(model.gallery());
        gallery.setId("attack-gallery");
        // thumbnails grow with the window (84 px on a laptop, up to 200 px on a 4K screen)
        thumb.bind(javafx.beans.binding.Bindings.createDoubleBinding(
                () -> Math.max(28 * SCALE, Math.min(200, getWidth() / 22)), widthProperty()));
        gallery.cellWidthProperty().bind(thumb.multiply(3).add(24));
        gallery.cellHeightProperty().bind(thumb.add(44));
        gallery.setHorizontalCellSpacing(8);
        gallery.setVerticalCellSpacing(8);
        gallery.setCellFactory(g -> new TripleCell());
        model.selectedProperty().addListener((o, a, b) -> {
            // redraw the cells so the pick's outline follows
            gallery.setCellFactory(null);
            gallery.setCellFactory(g -> new TripleCell());
        });
        Button send = new Button("Send to Deployment");
        send.setId("attack-send");
        send.disableProperty().bind(model.selectedProperty().lessThan(0));
        send.setOnAction(e -> {
            ImagePayload p = model.selectedPayload();
            if (p != null) {
                actions.send(p);
            }
        });
        Button save = new Button("Save image as PNG…");
        save.disableProperty().bind(model.selectedProperty().lessThan(0));
        save.setOnAction(e -> {
            ImagePayload p = model.selectedPayload();
            if (p != null) {
                actions.save(p);
            }
        });
        Label pick = Styles.hint("Click an image to pick it; double-click (or right-click ▸ Send to Deployment, or "
                + "drag it onto the Deployment tab) to see whether the ensemble catches it.");
        pick.setWrapText(true);
        // the hint wraps on its own row: in a flow it would keep its one-line width and push the gallery aside
        pick.setMinWidth(0);
        javafx.scene.layout.VBox bar = new javafx.scene.layout.VBox(6, new FlowPane(10, 6,
                Styles.heading("original | perturbation (amplified) | adversarial"), send, save), pick,
                adaptiveSection());
        bar.setPadding(new Insets(12, 12, 6, 12));
        BorderPane right = new BorderPane(gallery);
        right.setTop(bar);
        right.setMinWidth(0);
        gallery.setMinWidth(0);

        ScrollPane leftScroll = new ScrollPane(left);
        leftScroll.setFitToWidth(true);
        leftScroll.setMinWidth(260);
        SplitPane sp = new SplitPane(leftScroll, right);
        sp.setDividerPositions(0.32);
        setCenter(sp);
        model.runProperty().addListener((o, a, r) -> showHistogram(r));
    }

    /**
     * The adaptive attack on the picked image: the attacker knows S, the thresholds and the vote rule, not the draw
     * (the engine's {@code adaptive}); the result's verdict over every draw, and a button that decides it on the
     * Deployment pane.
     */
    private Node adaptiveSection() {
        ComboBox<String> defense = new ComboBox<>();
        defense.getItems().addAll("multimagnet", "magnet");
        defense.setId("adaptive-defense");
        defense.valueProperty().bindBidirectional(model.adaptiveDefenseProperty());
        ComboBox<String> method = new ComboBox<>();
        method.getItems().addAll("all-members", "eot");
        method.setId("adaptive-method");
        method.valueProperty().bindBidirectional(model.adaptiveMethodProperty());
        ComboBox<String> norm = new ComboBox<>();
        norm.getItems().addAll("l2", "linf");
        norm.setId("adaptive-norm");
        norm.valueProperty().bindBidirectional(model.adaptiveNormProperty());
        TextField eps = new TextField();
        eps.setId("adaptive-eps");
        eps.setPrefColumnCount(6);
        eps.textProperty().bindBidirectional(model.adaptiveEpsProperty());
        Spinner<Integer> steps = new Spinner<>(1, 10_000, model.adaptiveStepsProperty().get(), 10);
        steps.setId("adaptive-steps");
        steps.setEditable(true);
        steps.setPrefWidth(110);
        steps.valueProperty().addListener((o, a, b) -> model.adaptiveStepsProperty().set(b));
        FlowPane form = new FlowPane(8, 6, new Label("Defense"), defense, new Label("Method"), method,
                new Label("Norm"), norm, new Label("ε"), eps, new Label("Steps"), steps);
        form.setAlignment(Pos.CENTER_LEFT);
        Button attack = new Button("Attack the picked image");
        attack.setId("adaptive-run");
        attack.disableProperty().bind(model.busyProperty().or(model.selectedProperty().lessThan(0)));
        attack.setOnAction(e -> model.attackAdaptively());
        Button cancel = new Button("Cancel");
        cancel.disableProperty().bind(model.busyProperty().not());
        cancel.setOnAction(e -> model.cancel());
        Button send = new Button("Send to Deployment");
        send.setId("adaptive-send");
        send.disableProperty().bind(model.adaptiveProperty().isNull());
        send.setOnAction(e -> {
            ImagePayload p = model.adaptivePayload();
            if (p != null) {
                actions.send(p);
            }
        });
        ImageView picture = new ImageView();
        picture.setId("adaptive-image");
        model.adaptiveProperty().addListener((o, a, r) -> picture.setImage(r == null ? null
                : Images.toImage(r.adversarial(), r.shape(), SCALE)));
        Label result = new Label();
        result.setId("adaptive-result");
        result.setWrapText(true);
        result.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        result.textProperty().bind(model.adaptiveStatusProperty());
        result.setMinWidth(0);
        HBox shown = new HBox(8, picture, result);
        HBox.setHgrow(result, javafx.scene.layout.Priority.ALWAYS);
        VBox box = new VBox(6, Styles.heading("Adaptive attack on the picked image (knows S and the thresholds, "
                + "not the draw)"), form, new FlowPane(8, 6, attack, cancel, send), shown);
        box.setPadding(new Insets(6, 12, 6, 12));
        box.setId("adaptive-section");
        return box;
    }

    private void rebuildForm() {
        paramForm.getChildren().clear();
        int row = 0;
        for (Map.Entry<String, String> e : model.params().entrySet()) {
            TextField f = new TextField(e.getValue());
            f.setId("attack-param-" + e.getKey());
            f.setPrefColumnCount(8);
            String key = e.getKey();
            // Write back without triggering a rebuild: replace the value in place.
            f.textProperty().addListener((o, a, b) -> model.params().replace(key, b));
            paramForm.addRow(row++, new Label(key), f);
        }
    }

    private void showHistogram(AttackService.AttackRun r) {
        histogram.getData().clear();
        if (r == null || r.size() == 0) {
            return;
        }
        double max = Arrays.stream(r.l2()).max().orElse(0);
        int bins = 12;
        int[] counts = new int[bins];
        for (double v : r.l2()) {
            int b = max == 0 ? 0 : Math.min(bins - 1, (int) (v / max * bins));
            counts[b]++;
        }
        XYChart.Series<String, Number> s = new XYChart.Series<>();
        for (int b = 0; b < bins; b++) {
            s.getData().add(new XYChart.Data<>(String.format("%.2f", (b + 0.5) * max / bins), counts[b]));
        }
        histogram.getData().add(s);
    }

    /** One attacked image: original, amplified perturbation, adversarial, and F's predictions. */
    private final class TripleCell extends GridCell<Integer> {
        private final ImageView orig = new ImageView();
        private final ImageView pert = new ImageView();
        private final ImageView adv = new ImageView();
        private final Label caption = new Label();
        private final VBox box = new VBox(2, new HBox(4, orig, pert, adv), caption);

        TripleCell() {
            caption.setStyle("-fx-font-size: 11px;");
            box.setPadding(new Insets(2));
            for (ImageView v : new ImageView[] {orig, pert, adv}) {
                v.setPreserveRatio(true);
                v.fitWidthProperty().bind(thumb);
            }
            actions.install(this, () -> getItem() == null || model.runProperty().get() == null ? null
                    : model.payload(getItem()), false);
            addEventHandler(javafx.scene.input.MouseEvent.MOUSE_PRESSED, e -> {
                if (getItem() != null && e.isPrimaryButtonDown()) {
                    model.selectedProperty().set(getItem());
                }
            });
            setOnDragDetected(e -> {
                Integer i = getItem();
                if (i == null) {
                    return;
                }
                var db = startDragAndDrop(TransferMode.COPY);
                ClipboardContent c = new ClipboardContent();
                c.put(ImagePayload.FORMAT, model.payload(i));
                c.putImage(adv.getImage());
                db.setContent(c);
                db.setDragView(adv.getImage());
                e.consume();
            });
        }

        @Override
        protected void updateItem(Integer i, boolean empty) {
            super.updateItem(i, empty);
            AttackService.AttackRun r = model.runProperty().get();
            if (empty || i == null || r == null) {
                setGraphic(null);
                return;
            }
            ImageShape s = r.shape();
            int n = s.size();
            float[] o = Arrays.copyOfRange(r.originals(), i * n, (i + 1) * n);
            float[] a = Arrays.copyOfRange(r.adversarial(), i * n, (i + 1) * n);
            orig.setImage(Images.toImage(o, s, SCALE));
            Images.Perturbation p = Images.perturbation(o, a, s, SCALE);
            pert.setImage(p.image());
            adv.setImage(Images.toImage(a, s, SCALE));
            box.setStyle(i == model.selectedProperty().get()
                    ? "-fx-border-color: -color-accent-emphasis; -fx-border-width: 2;" : "");
            String fooled = r.success()[i] ? "✗ fooled" : (r.before()[i] != r.labels()[i] ? "already wrong" : "✓ resisted");
            caption.setText(String.format("#%d  F: %s → %s  %s  · ×%.1f (L∞ %.3f, L2 %.2f)", i,
                    r.classNames().get(r.before()[i]), r.classNames().get(r.after()[i]), fooled, p.amplification(),
                    r.linf()[i], r.l2()[i]));
            setGraphic(box);
        }
    }

    @Override
    public String title() {
        return "Attack";
    }

    @Override
    public Node node() {
        return this;
    }

    @Override
    public void runMainAction() {
        model.generate();
    }

    @Override
    public void shown() {
        model.ensureSelected();
    }
}
