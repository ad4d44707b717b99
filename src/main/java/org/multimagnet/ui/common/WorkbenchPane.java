package org.multimagnet.ui.common;

import javafx.scene.Node;

/** One pane of the main window (a tab): its title, its view, and its main action for Ctrl+R. */
public interface WorkbenchPane {
    /** @return the tab's title */
    String title();

    /** @return the pane's root node (built once) */
    Node node();

    /** Runs the pane's main action (load, train, generate, calibrate, classify), as Ctrl+R does. */
    void runMainAction();

    /** Called when the pane's tab becomes visible; a pane may load lazily here. */
    default void shown() {
    }
}
