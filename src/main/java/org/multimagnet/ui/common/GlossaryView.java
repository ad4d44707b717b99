package org.multimagnet.ui.common;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import java.util.function.Function;

/** Help ▸ Glossary: every term of the paper the panes show, with its meaning and section, filtered as one types. */
public final class GlossaryView extends BorderPane {
    public GlossaryView() {
        setId("glossary");
        FilteredList<Glossary.Term> shown = new FilteredList<>(FXCollections.observableArrayList(Glossary.TERMS));
        TableView<Glossary.Term> table = new TableView<>(shown);
        table.setId("glossary-table");
        table.getColumns().add(column("Term", Glossary.Term::term, 110));
        table.getColumns().add(column("Name", Glossary.Term::name, 200));
        TableColumn<Glossary.Term, String> meaning = column("Meaning", Glossary.Term::meaning, 480);
        meaning.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            private final Label text = new Label();

            {
                text.setWrapText(true);
                // the row grows to the whole meaning instead of cutting it with "..."
                text.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
                text.maxWidthProperty().bind(meaning.widthProperty().subtract(12));
            }

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                text.setText(item);
                setGraphic(empty ? null : text);
            }
        });
        table.getColumns().add(meaning);
        table.getColumns().add(column("Paper", Glossary.Term::source, 150));
        TextField filter = new TextField();
        filter.setPromptText("Filter, e.g. JSD or threshold");
        filter.textProperty().addListener((o, a, b) -> {
            String q = b.trim().toLowerCase(java.util.Locale.ROOT);
            shown.setPredicate(t -> q.isEmpty() || (t.term() + " " + t.name() + " " + t.meaning())
                    .toLowerCase(java.util.Locale.ROOT).contains(q));
        });
        Label intro = Styles.hint("Machado, Goldschmidt and Silva, MultiMagNet (ICEIS 2019). Hover a term in the "
                + "panes for the same text; docs/method.md says how each rule is implemented.");
        intro.setWrapText(true);
        VBox top = new VBox(6, intro, filter);
        top.setPadding(new Insets(10));
        setTop(top);
        setCenter(table);
        setPrefSize(980, 620);
    }

    private static TableColumn<Glossary.Term, String> column(String title, Function<Glossary.Term, String> get,
                                                             double width) {
        TableColumn<Glossary.Term, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(get.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }
}
