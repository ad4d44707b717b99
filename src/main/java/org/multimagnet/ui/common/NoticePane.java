package org.multimagnet.ui.common;

import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** A pane whose engine part is not in this build yet: it says so plainly, and how to get results meanwhile. */
public final class NoticePane extends VBox implements WorkbenchPane {
    private final String title;

    /**
     * @param title   the tab title
     * @param heading what the pane is for
     * @param text    what is missing and what to do instead
     */
    public NoticePane(String title, String heading, String text) {
        super(12, Styles.heading(heading), Styles.hint(text));
        this.title = title;
        setId(title.toLowerCase() + "-pane");
        setPadding(new Insets(24));
        setMaxWidth(900);
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public Node node() {
        return this;
    }

    @Override
    public void runMainAction() {
        // Nothing to run until the engine part lands.
    }

    /** @return the explanatory label (tests read it) */
    public Label textLabel() {
        return (Label) getChildren().get(1);
    }
}
