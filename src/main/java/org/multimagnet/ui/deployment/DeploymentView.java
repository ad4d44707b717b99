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
import org.multimagnet.ui.common.DialogService;
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
    static final int CARD_SCALE = 4;

    private final DeploymentViewModel model;
    private final ImageView inputView = new ImageView();
    private final ImageView reformedView = new ImageView();
    private final Label reformedCaption = new Label();
    private final FlowPane cards = new FlowPane(10, 10);
    private final Label banner = new Label();
    private final BarChart<String, Number> probabilities = new BarChart<>(new CategoryAxis(), new NumberAxis(0, 1, 0.25));

    public DeploymentView(DeploymentViewModel model, DialogService dialogs) {
        this.model = model;
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
        Label setupText = new Label();
        setupText.textProperty().bind(Bindings.createStringBinding(() -> {
            var s = model.setupProperty().get();
            return s == null ? "" : "m = " + s.repositorySize() + " · " + s.description();
        }, model.setupProperty()));
        HBox controls = new HBox(8, new Label("Ensemble size n"), size, new Label("Seed"), seed, again, open, stream,
                setupText);
        controls.setAlignment(Pos.CENTER_LEFT);
        controls.setPadding(new Insets(10, 12, 6, 12));
        setTop(controls);

        // Left: drop zone with the input image.
        Label dropHint = Styles.hint("Drop an image file here, drag one from the Dataset or Attack gallery, "
                + "or paste one (Ctrl+V).");
        dropHint.setMaxWidth(240);
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
        cards.setId("deployment-cards");
        cards.setPadding(new Insets(6));
        ScrollPane cardScroll = new ScrollPane(cards);
        cardScroll.setFitToWidth(true);
        VBox centre = new VBox(8, banner, status, Styles.heading("Ensemble members (drawn from S)"), cardScroll);
        centre.setPadding(new Insets(6, 6, 12, 6));
        setCenter(centre);

        // Right: reformed image, probabilities, stream mode.
        probabilities.setId("deployment-probabilities");
        probabilities.setAnimated(false);
        probabilities.setTitle("F's probabilities");
        probabilities.setPrefSize(340, 240);
        probabilities.setMinHeight(200);
        reformedCaption.setWrapText(true);
        VBox right = new VBox(8, Styles.heading("Reformed image"), reformedView, reformedCaption, probabilities,
                streamBox());
        right.setPadding(new Insets(6, 12, 12, 6));
        right.setPrefWidth(360);
        ScrollPane rightScroll = new ScrollPane(right);
        rightScroll.setFitToWidth(true);
        rightScroll.setPrefWidth(380);
        setRight(rightScroll);

        model.inputProperty().addListener((o, a, p) -> inputView.setImage(p == null ? null
                : Images.toImage(p.pixels(), p.shape(), INPUT_SCALE)));
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
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
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
            cards.getChildren().add(new MemberCard(v, shape, CARD_SCALE));
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
