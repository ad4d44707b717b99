package org.multimagnet.ui.common;

import javafx.scene.control.Label;

/** Small shared look helpers, so every pane titles and spaces things the same way. */
public final class Styles {
    private Styles() {
    }

    /** @return a section heading */
    public static Label heading(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("title-4");
        l.setStyle("-fx-font-weight: bold;");
        l.setWrapText(true);
        l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        return l;
    }

    /** @return a muted explanatory line that wraps */
    public static Label hint(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        // a wrapping label in a box is otherwise squeezed to one line ending in "..."
        l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        l.getStyleClass().add("text-muted");
        return l;
    }
}
