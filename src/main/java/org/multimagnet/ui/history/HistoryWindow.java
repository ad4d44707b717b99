package org.multimagnet.ui.history;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import javafx.stage.Window;

/** File ▸ Workspace history…: the kept versions of every artifact, with Restore. */
public final class HistoryWindow {
    private HistoryWindow() {
    }

    /** Opens the window over {@code owner} and reads the history. */
    public static void show(Window owner, HistoryViewModel model) {
        TableView<HistoryViewModel.Row> table = new TableView<>(model.rows());
        table.setId("history-table");
        table.getColumns().add(column("Artifact", 170, r -> r.artifact()));
        table.getColumns().add(column("Version", 80, r -> r.restorable() ? Integer.toString(r.version()) : "current"));
        table.getColumns().add(column("Kept at (UTC)", 190, HistoryViewModel.Row::when));
        table.getColumns().add(column("What it holds", 420, HistoryViewModel.Row::description));
        table.getColumns().add(column("Replaced by", 220, HistoryViewModel.Row::reason));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        Button restore = new Button("Restore");
        restore.setId("history-restore");
        restore.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() ->
                table.getSelectionModel().getSelectedItem() == null
                        || !table.getSelectionModel().getSelectedItem().restorable(),
                table.getSelectionModel().selectedItemProperty()));
        restore.setOnAction(e -> model.restore(table.getSelectionModel().getSelectedItem()));
        Label status = new Label();
        status.setId("history-status");
        status.textProperty().bind(model.statusProperty());
        status.setWrapText(true);
        HBox bar = new HBox(12, restore, status);
        bar.setPadding(new Insets(8));
        BorderPane root = new BorderPane(table);
        root.setBottom(bar);
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.setTitle("Workspace history");
        stage.setScene(new Scene(root, 1080, 520));
        stage.show();
        model.reload();
    }

    private static TableColumn<HistoryViewModel.Row, String> column(String title, double width,
            java.util.function.Function<HistoryViewModel.Row, String> value) {
        TableColumn<HistoryViewModel.Row, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        return c;
    }
}
