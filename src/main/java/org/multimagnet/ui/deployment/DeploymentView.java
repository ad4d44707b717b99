package org.multimagnet.ui.deployment;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.converter.LongStringConverter;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import org.multimagnet.ui.common.ComputeExecutor;
import org.multimagnet.ui.common.DialogService;
import org.multimagnet.ui.common.Glossary;
import org.multimagnet.ui.common.Snapshots;
import org.multimagnet.ui.common.ImageDrops;
import org.multimagnet.ui.common.ImagePayload;
import org.multimagnet.ui.common.Images;
import org.multimagnet.ui.common.Styles;
import org.multimagnet.ui.common.WorkbenchPane;

/**
 * The deployment pane (paper §4.2): a drop zone for an image, one card per drawn member, the verdict banner, the
 * reformed image and F's probabilities before and after; "Draw again", a seed field and the ensemble size; stream
 * mode with a running confusion matrix.
 */
public final class DeploymentView extends BorderPane implements WorkbenchPane {
    static final int INPUT_SCALE = 8;

    private final DeploymentViewModel model;
    private final DialogService dialogs;
    private final ComputeExecutor executor;
    private final javafx.beans.property.DoubleProperty cardSide = new javafx.beans.property.SimpleDoubleProperty(112);
    private final ImageView inputView = new ImageView();
    private final ImageView reformedView = new ImageView();
    private final Label reformedCaption = new Label();
    private final FlowPane cards = new FlowPane(10, 10);
    private final Label banner = new Label();
    private final BarChart<String, Number> probabilities = new BarChart<>(new CategoryAxis(), new NumberAxis(0, 1, 0.25));

    /**
     * @param model    the pane's state
     * @param dialogs  choosers for the exports
     * @param executor writes the exports
     */
    public DeploymentView(DeploymentViewModel model, DialogService dialogs, ComputeExecutor executor) {
        this.model = model;
        this.dialogs = dialogs;
        this.executor = executor;
        setId("deployment-pane");

        // Controls row.
        ComboBox<Integer> size = new ComboBox<>(model.ensembleSizes());
        size.setId("deployment-ensemble-size");
        size.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Integer n) {
                return n == null ? "" : n == DeploymentService.DRAWN ? "drawn" : n.toString();
            }

            @Override
            public Integer fromString(String text) {
                return "drawn".equals(text) ? DeploymentService.DRAWN : Integer.valueOf(text);
            }
        });
        size.valueProperty().addListener((o, a, b) -> {
            if (b != null && b != model.ensembleSizeProperty().get()) {
                model.ensembleSizeProperty().set(b);
                model.classify();
            }
        });
        model.ensembleSizeProperty().addListener((o, a, b) -> size.setValue(b.intValue()));
        // "drawn" is 0, the property's initial value, so opening a workspace does not fire the listener above
        model.setupProperty().addListener((o, a, b) -> size.setValue(model.ensembleSizeProperty().get()));
        // new sizes clear the box's value; an equal setup read again fires no change to put it back
        model.ensembleSizes().addListener((javafx.collections.ListChangeListener<Integer>) c ->
                size.setValue(model.ensembleSizeProperty().get()));
        TextField seed = new TextField();
        seed.setId("deployment-seed");
        seed.setPrefColumnCount(8);
        TextFormatter<Long> seedFormat = new TextFormatter<>(new LongStringConverter(), model.seedProperty().get());
        seed.setTextFormatter(seedFormat);
        seedFormat.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                model.seedProperty().set(b);
            }
        });
        model.seedProperty().addListener((o, a, b) -> seedFormat.setValue(b.longValue()));
        seed.setOnAction(e -> model.classify());
        Button again = new Button("Draw again");
        again.setId("deployment-draw-again");
        again.disableProperty().bind(model.inputProperty().isNull());
        again.setOnAction(e -> model.drawAgain());
        Button open = new Button("Open image…");
        open.setOnAction(e -> dialogs.chooseFile("Classify an image", null,
                ImageDrops.IMAGE_EXTENSIONS.stream().map(x -> "*." + x).sorted().toList()).ifPresent(model::dropFile));
        Button stream = new Button();
        stream.setId("deployment-stream");
        stream.textProperty().bind(Bindings.when(model.streamingProperty()).then("Stop stream").otherwise("Stream over D"));
        stream.setOnAction(e -> model.toggleStream());
        ComboBox<String> calibration = Glossary.tip(new ComboBox<>(model.calibrations()), "C_best");
        calibration.setId("deployment-calibration");
        calibration.valueProperty().bindBidirectional(model.calibrationProperty());
        MenuItem csvImage = new MenuItem("This image's votes…");
        csvImage.setId("deployment-export-image");
        csvImage.setOnAction(e -> dialogs.chooseSaveFile("Export the votes as CSV", "votes.csv", List.of("*.csv"))
                .ifPresent(f -> model.exportCsv(model.resultRows(), f)));
        MenuItem csvStream = new MenuItem("The stream run's votes…");
        csvStream.setId("deployment-export-stream");
        csvStream.setOnAction(e -> dialogs.chooseSaveFile("Export the stream's votes as CSV", "stream-votes.csv",
                List.of("*.csv")).ifPresent(f -> model.exportCsv(model.streamRows(), f)));
        MenuButton export = new MenuButton("Export CSV", null, csvImage, csvStream);
        export.setId("deployment-export");
        // the way on that a stale calibration's refusal names, next to the calibration it applies to
        CheckBox allowStale = new CheckBox("Allow a stale calibration");
        allowStale.setId("deployment-allow-stale");
        allowStale.selectedProperty().bindBidirectional(model.allowStaleProperty());
        allowStale.setTooltip(new javafx.scene.control.Tooltip("Decide even with a calibration made with models "
                + "that changed since (--allow-stale): its thresholds were set for the models it was made with, "
                + "so the votes may be wrong; calibrating again is the fix."));
        FlowPane controls = new FlowPane(8, 6, Glossary.term("Ensemble size n", "n"), size, new Label("Seed"), seed,
                again, open, stream, Glossary.term("Calibration", "C_best"), calibration, allowStale, export);
        controls.setAlignment(Pos.CENTER_LEFT);
        FlowPane header = new FlowPane(6, 4);
        header.setId("deployment-header");
        header.setAlignment(Pos.CENTER_LEFT);
        model.setupProperty().addListener((o, was, now) -> header.getChildren().setAll(headerTerms(now)));
        Label staleWarning = new Label();
        staleWarning.setId("deployment-stale-warning");
        staleWarning.setWrapText(true);
        staleWarning.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        staleWarning.setStyle("-fx-text-fill: -color-warning-fg;");
        staleWarning.textProperty().bind(Bindings.createStringBinding(() -> model.setupProperty().get() == null ? ""
                : model.setupProperty().get().warning(), model.setupProperty()));
        staleWarning.visibleProperty().bind(staleWarning.textProperty().isNotEmpty());
        staleWarning.managedProperty().bind(staleWarning.visibleProperty());
        VBox top = new VBox(6, controls, header, staleWarning);
        top.setPadding(new Insets(10, 12, 6, 12));
        setTop(top);

        // Left: drop zone with the input image.
        Label dropHint = Styles.hint("Drop an image file here, drag one from the Dataset or Attack gallery, "
                + "or paste one (Ctrl+V).");
        dropHint.maxWidthProperty().bind(inputView.fitWidthProperty().add(40));
        dropHint.setAlignment(Pos.CENTER);
        Label inputCaption = new Label();
        inputCaption.setId("deployment-input-caption");
        inputCaption.textProperty().bind(Bindings.createStringBinding(() -> {
            ImagePayload p = model.inputProperty().get();
            return p == null ? "" : p.origin() + (p.label() >= 0 ? " (label " + p.label() + ")" : "");
        }, model.inputProperty()));
        VBox dropBox = new VBox(8, Styles.heading("Input x"), inputView, inputCaption, dropHint);
        dropBox.setAlignment(Pos.TOP_CENTER);
        dropBox.setPadding(new Insets(12));
        StackPane dropZone = new StackPane(dropBox);
        dropZone.setId("deployment-drop-zone");
        dropZone.setMinWidth(260);
        String idle = "-fx-border-color: -color-border-default; -fx-border-style: segments(6, 4); -fx-border-width: 2;";
        dropZone.setStyle(idle);
        ImageDrops.install(dropZone, model, on -> dropZone.setStyle(on
                ? "-fx-border-color: -color-accent-emphasis; -fx-border-width: 3; -fx-background-color: -color-accent-subtle;"
                : idle));
        setLeft(dropZone);
        BorderPane.setMargin(dropZone, new Insets(6, 6, 12, 12));

        // Centre: banner + cards.
        banner.setId("deployment-verdict");
        banner.setMaxWidth(Double.MAX_VALUE);
        banner.setWrapText(true);
        // a wrapping label in a VBox is otherwise squeezed to one line and ends in "..."
        banner.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        banner.setPadding(new Insets(10));
        banner.setStyle("-fx-font-size: 1.4em; -fx-font-weight: bold;");
        Label status = new Label();
        status.setId("deployment-status");
        status.setWrapText(true);
        status.textProperty().bind(model.statusProperty());
        status.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        Label acceptance = new Label();
        acceptance.setId("deployment-acceptance");
        acceptance.setWrapText(true);
        acceptance.textProperty().bind(model.acceptanceTextProperty());
        acceptance.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        cards.setId("deployment-cards");
        cards.setPadding(new Insets(6));
        ScrollPane cardScroll = new ScrollPane(cards);
        cardScroll.setFitToWidth(true);
        VBox centre = new VBox(8, banner, status, acceptance, Glossary.tip(Styles.heading("Ensemble members (drawn from S)"), "MultiMagNet"), cardScroll);
        centre.setPadding(new Insets(6, 6, 12, 6));
        setCenter(centre);

        // Right: reformed image, probabilities, stream mode.
        probabilities.setId("deployment-probabilities");
        probabilities.setAnimated(false);
        probabilities.setTitle("F's probabilities");
        probabilities.setPrefSize(340, 240);
        probabilities.setMinHeight(200);
        reformedCaption.setWrapText(true);
        VBox right = new VBox(8, Glossary.tip(Styles.heading("Reformed image"), "reformer"), reformedView, reformedCaption, probabilities,
                streamBox());
        right.setPadding(new Insets(6, 12, 12, 6));
        ScrollPane rightScroll = new ScrollPane(right);
        rightScroll.setFitToWidth(true);
        // the column takes a quarter of the window and its text wraps: never a horizontal scroll bar, never clipped
        rightScroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        rightScroll.prefWidthProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(
                () -> clamp(getWidth() / 3.6, 340, 900), widthProperty()));
        probabilities.setMinWidth(0);
        probabilities.setPrefWidth(javafx.scene.layout.Region.USE_COMPUTED_SIZE);
        probabilities.prefHeightProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(
                () -> clamp(getHeight() / 3, 200, 720), heightProperty()));
        setRight(rightScroll);

        model.inputProperty().addListener((o, a, p) -> inputView.setImage(p == null ? null
                : Images.toImage(p.pixels(), p.shape(), INPUT_SCALE)));
        // Images follow the window: the input takes a sixth of its width, each card's reconstruction a ninth, the
        // reformed image a seventh, within limits that keep a 28-pixel digit legible and a 4K screen uncluttered.
        inputView.setPreserveRatio(true);
        inputView.fitWidthProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(
                () -> clamp(getWidth() / 8, 140, 520), widthProperty()));
        reformedView.setPreserveRatio(true);
        reformedView.fitWidthProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(
                () -> clamp(getWidth() / 7, 112, 480), widthProperty()));
        cardSide.bind(javafx.beans.binding.Bindings.createDoubleBinding(() -> clamp(getWidth() / 11, 96, 360),
                widthProperty()));
        Snapshots.installSaveMenu(probabilities, "probabilities", dialogs, executor);
        ContextMenu inputMenu = new ContextMenu(saveItem("Save input as PNG…", () -> model.inputProperty().get() == null
                ? null : Images.toImage(model.inputProperty().get().pixels(), model.inputProperty().get().shape(), 1),
                "input", dialogs, executor));
        inputView.setOnContextMenuRequested(e -> inputMenu.show(inputView, e.getScreenX(), e.getScreenY()));
        model.resultProperty().addListener((o, a, r) -> show(r));
        show(null);

        // Paste (Ctrl+V) anywhere in the pane.
        addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (new KeyCodeCombination(KeyCode.V, KeyCombination.SHORTCUT_DOWN).match(e)) {
                if (ImageDrops.paste(Clipboard.getSystemClipboard(), model)) {
                    e.consume();
                }
            }
        });
    }

    private Node streamBox() {
        GridPane m = new GridPane();
        m.setId("deployment-confusion");
        m.setHgap(10);
        m.setVgap(4);
        m.add(new Label(""), 0, 0);
        m.add(bold("voted adv."), 1, 0);
        m.add(bold("voted legit."), 2, 0);
        m.add(bold("adversarial"), 0, 1);
        m.add(bold("legitimate"), 0, 2);
        String[] names = {"TN", "FN", "FP", "TP"};
        int[][] at = {{1, 1}, {2, 1}, {1, 2}, {2, 2}};
        for (int k = 0; k < 4; k++) {
            Label l = new Label();
            l.setId("confusion-" + names[k].toLowerCase());
            l.textProperty().bind(model.confusion(k).asString(names[k] + " %d"));
            l.setTooltip(Glossary.tooltip("TN / FN / FP / TP"));
            m.add(l, at[k][0], at[k][1]);
        }
        Label s = new Label();
        s.setWrapText(true);
        s.textProperty().bind(model.streamStatusProperty());
        return new VBox(6, Styles.heading("Stream mode over D"),
                Styles.hint("Runs every image of D (D_leg ∪ D_atk) through a freshly drawn ensemble. "
                        + "TN = adversarial rejected (detection), TP = legitimate accepted (paper Eq. 8)."), m, s);
    }

    private static Label bold(String s) {
        Label l = new Label(s);
        l.setStyle("-fx-font-weight: bold;");
        return l;
    }

    private void show(DeploymentService.Result r) {
        cards.getChildren().clear();
        probabilities.getData().clear();
        if (r == null) {
            banner.setText("No image classified yet");
            banner.setStyle(banner.getStyle().replaceAll("-fx-background-color:[^;]*;|-fx-text-fill:[^;]*;", ""));
            reformedView.setImage(null);
            reformedCaption.setText("");
            return;
        }
        var setup = model.setupProperty().get();
        ImagePayload in = model.inputProperty().get();
        var shape = in != null ? in.shape() : setup.shape();
        for (DeploymentService.MemberVote v : r.members()) {
            MemberCard card = new MemberCard(v, shape, cardSide);
            Snapshots.installSaveMenu(card, "member-" + v.id(), dialogs, executor);
            cards.getChildren().add(card);
        }
        int legit = r.legitimateVotes();
        int n = r.members().size();
        String colour = r.legitimate() ? MemberCard.LEGIT_COLOUR : MemberCard.ADV_COLOUR;
        banner.setText((r.legitimate() ? "✓ LEGITIMATE" : "✗ ADVERSARIAL") + " · " + legit + " of " + n
                + " votes legitimate · " + (r.legitimate() ? "accepted and reformed" : "rejected"));
        banner.setStyle("-fx-font-size: 1.25em; -fx-font-weight: bold; -fx-text-fill: white; -fx-background-radius: 6;"
                + " -fx-background-color: " + colour + ";");
        List<String> classes = setup == null ? null : setup.classNames();
        XYChart.Series<String, Number> before = series("before (x)", r.before(), classes);
        probabilities.getData().add(before);
        if (r.reformed() != null) {
            reformedView.setImage(Images.toImage(r.reformed(), shape, INPUT_SCALE / 2));
            reformedCaption.setText("Reformed by AE " + r.reformerId() + "; F says "
                    + argmaxName(r.after(), classes) + " (was " + argmaxName(r.before(), classes) + ").");
            probabilities.getData().add(series("after (reformed)", r.after(), classes));
        } else {
            reformedView.setImage(null);
            reformedCaption.setText("Rejected: the image does not reach F. F alone would have said "
                    + argmaxName(r.before(), classes) + ".");
        }
    }

    /**
     * The header, term by term, each explained on hover: "m = 10 · JSD · T 1.0 · minTA · t_fp 0.01 · n drawn from
     * 3,5,7,9 · calibrated on cw · F + S (10 members) …".
     */
    static List<Node> headerTerms(DeploymentService.Setup s) {
        List<Node> out = new java.util.ArrayList<>();
        if (s == null) {
            return out;
        }
        DeploymentService.Terms t = s.terms();
        out.add(Glossary.term("m = " + s.repositorySize(), "m"));
        out.add(Glossary.term(t.metric(), t.metric()));
        if (t.temperature() != null) {
            out.add(Glossary.term("T " + t.temperature(), "T"));
        }
        out.add(Glossary.term(t.approach(), t.approach()));
        out.add(Glossary.term("t_fp " + t.falsePositiveRate(), "t_fp"));
        out.add(Glossary.term(t.sizes().contains(",") ? "n drawn from " + t.sizes() : "n = " + t.sizes(), "n"));
        out.add(Glossary.term("calibrated on " + s.attack(), "C_best"));
        out.add(Glossary.term(s.models(), "S"));
        for (int i = out.size() - 1; i > 0; i--) {
            Label dot = new Label("·");
            dot.getStyleClass().add("header-separator");
            out.add(i, dot);
        }
        return out;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static MenuItem saveItem(String text, java.util.function.Supplier<javafx.scene.image.Image> image,
                                     String name, DialogService dialogs, ComputeExecutor executor) {
        MenuItem item = new MenuItem(text);
        item.setOnAction(e -> {
            var img = image.get();
            if (img != null) {
                Snapshots.saveImage(img, name, dialogs, executor);
            }
        });
        return item;
    }

    private static XYChart.Series<String, Number> series(String name, float[] p, List<String> classes) {
        XYChart.Series<String, Number> s = new XYChart.Series<>();
        s.setName(name);
        for (int k = 0; k < p.length; k++) {
            s.getData().add(new XYChart.Data<>(classes == null ? String.valueOf(k) : classes.get(k), p[k]));
        }
        return s;
    }

    private static String argmaxName(float[] p, List<String> classes) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return (classes == null ? String.valueOf(best) : classes.get(best))
                + String.format(" (%.1f%%)", 100 * p[best]);
    }

    @Override
    public String title() {
        return "Deployment";
    }

    @Override
    public Node node() {
        return this;
    }

    @Override
    public void runMainAction() {
        model.classify();
    }

    @Override
    public void shown() {
        model.ensureOpen();
    }
}
