package org.multimagnet.ui.deployment;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import org.multimagnet.data.ImageShape;
import org.multimagnet.common.SignificantDigits;
import org.multimagnet.ui.common.Glossary;
import org.multimagnet.ui.common.Images;

/**
 * One drawn member's card: its reconstruction, its mark as a bar against its threshold (a vertical line), and its
 * vote in colour <em>and</em> words (✓ legitimate / ✗ adversarial), so the vote reads without colour vision.
 */
final class MemberCard extends VBox {
    static final String LEGIT_COLOUR = "#1a7f37";
    static final String ADV_COLOUR = "#cf222e";
    private static final double BAR_WIDTH = 150;

    /**
     * @param side the reconstruction's width and height on screen, so that cards grow with the window
     */
    MemberCard(DeploymentService.MemberVote vote, ImageShape shape, javafx.beans.value.ObservableDoubleValue side) {
        super(4);
        setId("member-card-" + vote.id());
        getStyleClass().add("member-card");
        setUserData(vote);
        setPadding(new Insets(8));
        setAlignment(Pos.TOP_CENTER);
        String colour = vote.legitimate() ? LEGIT_COLOUR : ADV_COLOUR;
        setStyle("-fx-border-color: " + colour + "; -fx-border-width: 2; -fx-border-radius: 6;"
                + " -fx-background-radius: 6; -fx-background-color: -color-bg-default;");

        Label title = new Label("AE " + vote.id() + "  " + vote.structure());
        title.setStyle("-fx-font-weight: bold;");
        ImageView recon = new ImageView(Images.toImage(vote.reconstruction(), shape, 4));
        recon.setId("member-reconstruction-" + vote.id());
        recon.setPreserveRatio(true);
        recon.fitWidthProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(side::get, side));
        recon.fitHeightProperty().bind(recon.fitWidthProperty());
        Tooltip.install(recon, new Tooltip("Reconstruction a(x) by member " + vote.id()));

        Label mark = Glossary.tip(new Label(markText(vote)), "mark");
        mark.getStyleClass().add("member-mark");
        mark.setStyle("-fx-font-size: 0.85em;");
        Label verdict = new Label(vote.legitimate() ? "✓ legitimate" : "✗ adversarial");
        verdict.getStyleClass().add("member-vote");
        verdict.setStyle("-fx-text-fill: " + colour + "; -fx-font-weight: bold;");
        // the bar grows with the reconstruction (drawn for a 112-pixel one), so it stays readable on a large screen
        Pane bar = markBar(vote, colour);
        bar.scaleXProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(() -> side.get() / 112, side));
        bar.scaleYProperty().bind(bar.scaleXProperty());
        getChildren().addAll(title, recon, new javafx.scene.Group(bar), mark, verdict);
    }

    /** @return e.g. "mark 3.210e-07 ≤ threshold 0.002473": four significant digits, however small */
    static String markText(DeploymentService.MemberVote vote) {
        return "mark " + SignificantDigits.format(vote.mark(), 4) + (vote.mark() <= vote.threshold() ? " ≤ " : " > ")
                + "threshold " + SignificantDigits.format(vote.threshold(), 4);
    }

    /**
     * @return where {@code v} sits on the bar, in [0, 1]: a logarithmic scale from a hundredth of the smaller of
     *     mark and threshold to twice the larger, so that a JSD mark a thousand times below its threshold still
     *     shows as a bar, and mark and threshold keep their order
     */
    static double[] barPositions(double mark, double threshold) {
        double small = Math.min(mark > 0 ? mark : threshold, threshold);
        double large = Math.max(mark, threshold);
        if (!(small > 0) || !(large > 0)) {
            return new double[] {mark > 0 ? 1 : 0, threshold > 0 ? 1 : 0};
        }
        double lo = Math.log10(small / 10);
        double hi = Math.log10(large * 2);
        return new double[] {mark > 0 ? (Math.log10(mark) - lo) / (hi - lo) : 0, (Math.log10(threshold) - lo) / (hi - lo)};
    }

    /** The mark as a filled bar; the threshold as a dark line at the same (logarithmic) scale. */
    private static Pane markBar(DeploymentService.MemberVote vote, String colour) {
        double[] at = barPositions(vote.mark(), vote.threshold());
        double mw = Math.min(BAR_WIDTH, BAR_WIDTH * at[0]);
        double tx = Math.min(BAR_WIDTH, BAR_WIDTH * at[1]);
        Rectangle back = new Rectangle(BAR_WIDTH, 14);
        back.setStyle("-fx-fill: -color-bg-subtle; -fx-stroke: -color-border-default;");
        Rectangle bar = new Rectangle(Math.max(1, mw), 14);
        bar.setStyle("-fx-fill: " + colour + ";");
        Line t = new Line(tx, -3, tx, 17);
        t.setStrokeWidth(2.5);
        t.setStyle("-fx-stroke: -color-fg-default;");
        Pane p = new Pane(back, bar, t);
        p.setMinSize(BAR_WIDTH, 20);
        p.setPrefSize(BAR_WIDTH, 20);
        p.setMaxSize(BAR_WIDTH, 20);
        Tooltip.install(p, new Tooltip("Bar: this member's mark. Line: its threshold (logarithmic scale, so small "
                + "marks show). Mark ≤ threshold votes legitimate."));
        return p;
    }
}
