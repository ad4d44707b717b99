package org.multimagnet.ui.calibration;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.converter.NumberStringConverter;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.statistics.HistogramDataset;
import org.multimagnet.ui.calibration.CalibrationService.Cell;
import org.multimagnet.ui.calibration.CalibrationService.Outcome;
import org.multimagnet.ui.common.Glossary;
import org.multimagnet.ui.common.Styles;
import org.multimagnet.ui.common.WorkbenchPane;

/**
 * The calibration pane (paper §4.1): edit the grid C, run it, and read the result: a heat map of ACC over
 * t_fp × T for one metric, approach and ensemble size (PPV/NPV on hover, the best cell starred), the thresholds of
 * every member for C_best, and one member's marks on V_leg and V_atk against its threshold.
 */
public final class CalibrationView extends BorderPane implements WorkbenchPane {
    private final CalibrationViewModel model;
    private final GridPane heat = new GridPane();
    private final TableView<Map.Entry<Integer, Double>> thresholds = new TableView<>();
    private final ComboBox<Integer> member = new ComboBox<>();
    private final HistogramDataset histogram = new HistogramDataset();
    private final JFreeChart marksChart;
    private final Label best = new Label();
    private final ComboBox<String> sizeBox = new ComboBox<>();

    public CalibrationView(CalibrationViewModel model) {
        this.model = model;
        setId("calibration-pane");

        ComboBox<String> attack = new ComboBox<>(model.attacks());
        attack.setId("calibration-attack");
        attack.valueProperty().bindBidirectional(model.attackProperty());
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, Glossary.term("V_atk from", "V_leg / V_atk"), attack);
        form.addRow(1, Glossary.term("T_fp", "t_fp"), field("calibration-tfp", model.falsePositiveRatesProperty()));
        form.addRow(2, Glossary.term("T (JSD)", "T"), field("calibration-temperatures", model.temperaturesProperty()));
        CheckBox re = Glossary.tip(new CheckBox("RE"), "RE");
        re.selectedProperty().bindBidirectional(model.reProperty());
        CheckBox jsd = Glossary.tip(new CheckBox("JSD"), "JSD");
        jsd.selectedProperty().bindBidirectional(model.jsdProperty());
        CheckBox mta = Glossary.tip(new CheckBox("MTA"), "MTA");
        mta.selectedProperty().bindBidirectional(model.mtaProperty());
        CheckBox minTa = Glossary.tip(new CheckBox("minTA"), "minTA");
        minTa.selectedProperty().bindBidirectional(model.minTaProperty());
        form.addRow(3, new Label("Metrics"), new HBox(10, re, jsd));
        form.addRow(4, new Label("Approaches"), new HBox(10, mta, minTa));
        form.addRow(5, Glossary.term("MultiMagNet's n", "n"), field("calibration-sizes", model.ensembleSizesProperty()));
        TextField seed = new TextField();
        seed.textProperty().bindBidirectional(model.seedProperty(), new NumberStringConverter("0"));
        TextField per = new TextField();
        per.textProperty().bindBidirectional(model.ensemblesPerCombinationProperty(), new NumberStringConverter("0"));
        form.addRow(6, new Label("Seed"), seed);
        form.addRow(7, new Label("Ensembles / combination"), per);
        Button run = new Button("Run calibration");
        run.setId("calibration-run");
        run.setDefaultButton(true);
        run.disableProperty().bind(model.busyProperty());
        run.setOnAction(e -> model.run());
        Button cancel = new Button("Cancel");
        cancel.disableProperty().bind(model.busyProperty().not());
        cancel.setOnAction(e -> model.cancel());
        Label status = new Label();
        status.setId("calibration-status");
        status.setWrapText(true);
        status.textProperty().bind(model.statusProperty());
        VBox left = new VBox(10, Glossary.tip(Styles.heading("Grid C (paper §4.1.1)"), "C"), form, new HBox(8, run, cancel), status,
                Styles.hint("Each combination is evaluated on V = V_leg ∪ V_atk, thresholds from all of V_leg. "
                        + "MultiMagNet draws n from its sizes for every ensemble; MagNet (n = 1) is calibrated on its "
                        + "own. Detection rate = TN/(TN+FN) (Eq. 9's PPV); legitimate accepted = TP/(TP+FP) "
                        + "(Eq. 9's NPV; the paper's tables print the two the other way round)."));
        left.setPadding(new Insets(12));
        left.setPrefWidth(360);
        // Labels keep their full width; the text fields take what is left.
        javafx.scene.layout.ColumnConstraints labels = new javafx.scene.layout.ColumnConstraints();
        labels.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        form.getColumnConstraints().add(labels);

        ComboBox<String> metric = new ComboBox<>(model.metrics());
        metric.valueProperty().bindBidirectional(model.metricProperty());
        ComboBox<String> approach = new ComboBox<>(model.approaches());
        approach.valueProperty().bindBidirectional(model.approachProperty());
        ComboBox<String> size = sizeBox;
        size.setItems(model.ensembles());
        size.setId("calibration-slice-size");
        size.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                model.ensembleProperty().set(b);
            }
        });
        model.ensembleProperty().addListener((o, a, b) -> size.setValue(b));
        HBox slice = new HBox(8, new Label("Metric"), metric, new Label("Approach"), approach, new Label("Defense"),
                size);
        slice.setAlignment(Pos.CENTER_LEFT);
        heat.setId("calibration-heatmap");
        heat.setHgap(2);
        heat.setVgap(2);
        best.setId("calibration-best");
        best.setWrapText(true);
        best.setStyle("-fx-font-weight: bold;");

        thresholds.setId("calibration-thresholds");
        TableColumn<Map.Entry<Integer, Double>, String> idCol = new TableColumn<>("Member");
        idCol.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>("AE " + c.getValue().getKey()));
        TableColumn<Map.Entry<Integer, Double>, String> tCol = new TableColumn<>("Threshold τ (C_best)");
        tCol.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(String.format("%.6f", c.getValue().getValue())));
        tCol.setPrefWidth(170);
        idCol.setPrefWidth(80);
        thresholds.getColumns().add(idCol);
        thresholds.getColumns().add(tCol);
        thresholds.setPrefHeight(260);
        thresholds.setPrefWidth(260);
        thresholds.setPlaceholder(new Label("No calibration yet"));

        marksChart = ChartFactory.createHistogram("Marks on V: legitimate vs adversarial", "mark", "images", histogram,
                PlotOrientation.VERTICAL, true, true, false);
        org.multimagnet.ui.common.Charts.style(marksChart);
        XYPlot plot = marksChart.getXYPlot();
        ((XYBarRenderer) plot.getRenderer()).setShadowVisible(false);
        plot.setForegroundAlpha(0.6f);
        ChartViewer marksViewer = new ChartViewer(marksChart);
        marksViewer.setId("calibration-marks");
        marksViewer.setPrefSize(520, 280);
        marksViewer.setMinHeight(240);
        member.setId("calibration-member");
        member.valueProperty().addListener((o, a, b) -> showMarks());

        HBox lower = new HBox(12, new VBox(6, Glossary.tip(Styles.heading("Member thresholds"), "threshold"), thresholds),
                new VBox(6, new HBox(8, Styles.heading("Mark distribution of"), member), marksViewer));
        VBox centre = new VBox(10, Styles.heading("Accuracy over the grid (heat map)"), slice, heat, best, lower);
        centre.setPadding(new Insets(12));

        ScrollPane leftScroll = new ScrollPane(left);
        leftScroll.setFitToWidth(true);
        ScrollPane centreScroll = new ScrollPane(centre);
        centreScroll.setFitToWidth(true);
        SplitPane sp = new SplitPane(leftScroll, centreScroll);
        sp.setDividerPositions(0.29);
        setCenter(sp);

        model.outcomeProperty().addListener((o, a, b) -> showOutcome(b));
        model.metricProperty().addListener((o, a, b) -> drawHeat());
        model.approachProperty().addListener((o, a, b) -> drawHeat());
        model.ensembleProperty().addListener((o, a, b) -> drawHeat());
    }

    private static String describe(Cell b) {
        return String.format("★ C_best: %s%s, %s, t_fp %s, %s → ACC %.2f%%, detection rate %.2f%%, legitimate "
                        + "accepted %.2f%%", b.metric(), b.temperature() == null ? "" : " T " + fmt(b.temperature()),
                b.approach(), fmt(b.falsePositiveRate()), b.ensemble(), 100 * b.acc(), 100 * b.ppv(), 100 * b.npv());
    }

    private static TextField field(String id, javafx.beans.property.StringProperty p) {
        TextField f = new TextField();
        f.setId(id);
        f.textProperty().bindBidirectional(p);
        f.setPrefColumnCount(16);
        return f;
    }

    private void showOutcome(Outcome o) {
        thresholds.getItems().clear();
        member.getItems().clear();
        if (o == null) {
            heat.getChildren().clear();
            best.setText("");
            histogram.getSeriesCount();
            return;
        }
        Cell b = o.best();
        StringBuilder text = new StringBuilder(describe(b));
        o.otherBests().forEach(other -> text.append('\n').append(describe(other)));
        best.setText(text.toString());
        o.thresholds().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> thresholds.getItems().add(Map.entry(e.getKey(), e.getValue())));
        member.getItems().setAll(o.marks().keySet().stream().sorted().toList());
        // Open on the member whose legitimate and adversarial marks lie furthest apart (the most telling chart).
        o.marks().entrySet().stream().max(java.util.Comparator.comparingDouble(e -> separation(e.getValue())))
                .ifPresent(e -> member.setValue(e.getKey()));
        sizeBox.setValue(model.ensembleProperty().get());
        drawHeat();
        showMarks();
    }

    /** Rows = T (one row for RE), columns = t_fp; colour from the slice's lowest to highest ACC. */
    private void drawHeat() {
        heat.getChildren().clear();
        Outcome o = model.outcomeProperty().get();
        if (o == null) {
            return;
        }
        List<Double> xs = model.falsePositiveAxis();
        List<Double> ys = model.temperatureAxis();
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double x : xs) {
            for (Double y : ys) {
                Optional<Cell> c = model.cell(x, y);
                if (c.isPresent()) {
                    lo = Math.min(lo, c.get().acc());
                    hi = Math.max(hi, c.get().acc());
                }
            }
        }
        heat.add(bold("T \\ t_fp"), 0, 0);
        for (int i = 0; i < xs.size(); i++) {
            heat.add(bold(fmt(xs.get(i))), i + 1, 0);
        }
        for (int j = 0; j < ys.size(); j++) {
            heat.add(bold(ys.get(j) == null ? "— (RE)" : fmt(ys.get(j))), 0, j + 1);
            for (int i = 0; i < xs.size(); i++) {
                Optional<Cell> c = model.cell(xs.get(i), ys.get(j));
                Label l = new Label(c.map(v -> String.format("%.1f", 100 * v.acc())).orElse("–"));
                l.setId("heat-" + i + "-" + j);
                l.getStyleClass().add("heat-cell");
                l.setMinSize(64, 34);
                l.setAlignment(Pos.CENTER);
                if (c.isPresent()) {
                    Cell v = c.get();
                    double t = hi > lo ? (v.acc() - lo) / (hi - lo) : 1;
                    boolean isBest = v.equals(o.best()) || o.otherBests().contains(v);
                    // Light yellow (low) to dark blue (high); text flips to white on dark cells.
                    int r = (int) Math.round(255 + t * (20 - 255));
                    int g = (int) Math.round(247 + t * (70 - 247));
                    int bl = (int) Math.round(188 + t * (160 - 188));
                    l.setStyle(String.format("-fx-background-color: rgb(%d,%d,%d); -fx-text-fill: %s;%s", r, g, bl,
                            t > 0.55 ? "white" : "black",
                            isBest ? " -fx-border-color: #cf222e; -fx-border-width: 3; -fx-font-weight: bold;" : ""));
                    if (isBest) {
                        l.setText("★ " + l.getText());
                        l.getStyleClass().add("heat-best");
                    }
                    Tooltip tip = new Tooltip(String.format("t_fp %s, %s: ACC %.2f%%%nPPV %.2f%% (detection rate)%n"
                                    + "NPV %.2f%% (legitimate accepted)", fmt(v.falsePositiveRate()),
                            v.temperature() == null ? "RE" : "T " + fmt(v.temperature()), 100 * v.acc(), 100 * v.ppv(),
                            100 * v.npv()));
                    tip.setShowDelay(javafx.util.Duration.millis(150));
                    l.setTooltip(tip);
                }
                heat.add(l, i + 1, j + 1);
            }
        }
    }

    private void showMarks() {
        Outcome o = model.outcomeProperty().get();
        Integer id = member.getValue();
        // HistogramDataset cannot drop series: replace it with a fresh one each time.
        HistogramDataset data = new HistogramDataset();
        XYPlot plot = marksChart.getXYPlot();
        plot.clearDomainMarkers();
        if (o != null && id != null && o.marks().containsKey(id)) {
            CalibrationService.Marks m = o.marks().get(id);
            double max = Math.max(m.threshold() * 3, 1e-9);
            data.addSeries("legitimate (V_leg)", clip(m.legitimate(), max), 40, 0, max);
            data.addSeries("adversarial (V_atk)", clip(m.adversarial(), max), 40, 0, max);
            ValueMarker t = new ValueMarker(m.threshold());
            t.setPaint(java.awt.Color.BLACK);
            t.setStroke(new java.awt.BasicStroke(2f));
            t.setLabel("τ = " + String.format("%.4f", m.threshold()));
            plot.addDomainMarker(t);
        }
        plot.setDataset(data);
    }

    /** @return |median(adversarial) − median(legitimate)| relative to the threshold */
    private static double separation(CalibrationService.Marks m) {
        return Math.abs(median(m.adversarial()) - median(m.legitimate())) / Math.max(m.threshold(), 1e-12);
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return 0;
        }
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }

    /** Marks beyond the axis are drawn in the last bin, so far-off adversarial marks still count. */
    private static double[] clip(double[] v, double max) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.min(v[i], max * 0.9999);
        }
        return out;
    }

    private static Label bold(String s) {
        Label l = new Label(s);
        l.setStyle("-fx-font-weight: bold;");
        l.setMinWidth(50);
        return l;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) >= 1 ? String.valueOf((long) v) : String.valueOf(v);
    }

    @Override
    public String title() {
        return "Calibration";
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
        model.ensureLoaded();
    }
}
