package org.multimagnet.ui.experiments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import org.multimagnet.experiment.ReportMarkdown;
import org.multimagnet.ui.common.Styles;

/**
 * A report drawn as it reads ({@link ReportMarkdown}): headings, paragraphs and bullets as text, tables as grids,
 * charts as pictures scaled to the pane's width. The pictures load in the background.
 */
final class ReportView extends ScrollPane {
    private final VBox content = new VBox(8);
    private final ExperimentsViewModel model;
    private boolean active;
    private boolean drawn;

    ReportView(ExperimentsViewModel model) {
        this.model = model;
        setId("experiments-report-rendered");
        setFitToWidth(true);
        content.setPadding(new Insets(10));
        setContent(content);
        model.reportBlocks().addListener((ListChangeListener<ReportMarkdown.Block>) c -> {
            drawn = false;
            if (active) {
                draw();
            }
        });
    }

    /**
     * Draws the report once the pane is on screen: building hundreds of labels for a pane nobody looks at would
     * only cost the FX thread time while, say, a training runs.
     */
    void activate() {
        active = true;
        if (!drawn) {
            draw();
        }
    }

    private void draw() {
        drawn = true;
        content.getChildren().clear();
        Path folder = model.reportFolderProperty().get();
        for (ReportMarkdown.Block b : List.copyOf(model.reportBlocks())) {
            content.getChildren().add(node(b, folder));
        }
    }

    private Node node(ReportMarkdown.Block b, Path folder) {
        if (b instanceof ReportMarkdown.Heading h) {
            Label l = Styles.heading(h.text());
            l.setStyle("-fx-font-weight: bold; -fx-font-size: " + (h.level() <= 1 ? "1.5em" : h.level() == 2
                    ? "1.25em" : "1.1em") + ";");
            return l;
        }
        if (b instanceof ReportMarkdown.Paragraph p) {
            return wrapping(p.text());
        }
        if (b instanceof ReportMarkdown.Bullet bullet) {
            return wrapping("• " + bullet.text());
        }
        if (b instanceof ReportMarkdown.Table t) {
            return table(t);
        }
        ReportMarkdown.Image img = (ReportMarkdown.Image) b;
        Path file = folder == null ? Path.of(img.file()) : folder.resolve(img.file());
        if (!Files.isRegularFile(file)) {
            return wrapping("[chart " + img.file() + " not found]");
        }
        ImageView view = new ImageView(new Image(file.toUri().toString(), true));
        view.getStyleClass().add("report-chart");
        view.setPreserveRatio(true);
        view.fitWidthProperty().bind(widthProperty().subtract(40));
        return view;
    }

    private static Label wrapping(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        return l;
    }

    private static Node table(ReportMarkdown.Table t) {
        GridPane g = new GridPane();
        g.getStyleClass().add("report-table");
        g.setStyle("-fx-border-color: -color-border-default;");
        for (int c = 0; c < t.header().size(); c++) {
            Label l = cell(t.header().get(c));
            l.setStyle(l.getStyle() + "-fx-font-weight: bold; -fx-background-color: -color-bg-subtle;");
            g.add(l, c, 0);
        }
        for (int r = 0; r < t.rows().size(); r++) {
            List<String> row = t.rows().get(r);
            for (int c = 0; c < row.size(); c++) {
                g.add(cell(row.get(c)), c, r + 1);
            }
        }
        ScrollPane wide = new ScrollPane(g);
        wide.setFitToHeight(true);
        wide.setVbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        wide.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        return wide;
    }

    private static Label cell(String text) {
        Label l = new Label(text);
        l.setPadding(new Insets(3, 8, 3, 8));
        l.setMaxWidth(Double.MAX_VALUE);
        l.setStyle("-fx-border-color: transparent -color-border-muted -color-border-muted transparent;");
        return l;
    }
}
