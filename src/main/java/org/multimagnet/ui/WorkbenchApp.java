package org.multimagnet.ui;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/** The JavaFX workbench. (Filled in by the workbench work.) */
public final class WorkbenchApp extends Application {

    /** Opens the workbench window; returns when it closes. */
    public static void launchWorkbench(String[] args) {
        Application.launch(WorkbenchApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        stage.setTitle("MultiMagNet Workbench");
        stage.setScene(new Scene(new Label("MultiMagNet Workbench"), 1200, 800));
        stage.show();
    }
}
