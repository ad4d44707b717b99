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
import org.multimagnet.ui.common.Images;

/**
 * One drawn member's card: its reconstruction, its mark as a bar against its threshold (a vertical line), and its
 * vote in colour <em>and</em> words (✓ legitimate / ✗ adversarial), so the vote reads without colour vision.
 */
final class MemberCard extends VBox {
    static final String LEGIT_COLOUR = "#1a7f37";
    static final String ADV_COLOUR = "#cf222e";
    private static final double BAR_WIDTH = 150;

    MemberCard(DeploymentService.MemberVote vote, ImageShape shape, int scale) {
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
        ImageView recon = new ImageView(Images.toImage(vote.reconstruction(), shape, scale));
        Tooltip.install(recon, new Tooltip("Reconstruction a(x) by member " + vote.id()));

        Label mark = new Label(String.format("mark %.5f %s threshold %.5f", vote.mark(),
                vote.mark() <= vote.threshold() ? "≤" : ">", vote.threshold()));
        mark.getStyleClass().add("member-mark");
        mark.setStyle("-fx-font-size: 0.85em;");
        Label verdict = new Label(vote.legitimate() ? "✓ legitimate" : "✗ adversarial");
        verdict.getStyleClass().add("member-vote");
        verdict.setStyle("-fx-text-fill: " + colour + "; -fx-font-weight: bold;");
        getChildren().addAll(title, recon, markBar(vote, colour), mark, verdict);
    }

    /** The mark as a filled bar; the threshold as a dark line at the same scale (threshold at 2/3 of the width). */
    private static Pane markBar(DeploymentService.MemberVote vote, String colour) {
        double scaleMax = Math.max(vote.threshold() * 1.5, vote.mark() * 1.05);
        if (!(scaleMax > 0)) {
            scaleMax = 1;
        }
        double mw = Math.min(BAR_WIDTH, BAR_WIDTH * vote.mark() / scaleMax);
        double tx = Math.min(BAR_WIDTH, BAR_WIDTH * vote.threshold() / scaleMax);
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
        Tooltip.install(p, new Tooltip("Bar: this member's mark. Line: its threshold. Mark ≤ threshold votes legitimate."));
        return p;
    }
}
