package org.multimagnet.ui.dataset;

import java.nio.file.Path;
import java.util.stream.IntStream;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.Split;
import org.multimagnet.ui.common.BackgroundTask;
import org.multimagnet.ui.common.ComputeExecutor;
import org.multimagnet.ui.common.DialogService;
import org.multimagnet.ui.common.Errors;
import org.multimagnet.ui.common.ImagePayload;

/**
 * The dataset pane's state: which source, the loaded dataset's summary (sizes, split, per-class counts) and the
 * gallery's image indices, filtered by class.
 */
public final class DatasetViewModel {
    /** The class filter's value for "every class". */
    public static final int ALL_CLASSES = -1;

    private final DatasetService service;
    private final ComputeExecutor executor;
    private final DialogService dialogs;
    private final ObservableList<String> sources = FXCollections.observableArrayList();
    private final StringProperty source = new SimpleStringProperty("sample:mnist");
    private final ObjectProperty<Dataset> dataset = new SimpleObjectProperty<>();
    private final ObjectProperty<DatasetSummary> summary = new SimpleObjectProperty<>();
    private final ObservableList<Integer> galleryIndices = FXCollections.observableArrayList();
    private final IntegerProperty classFilter = new SimpleIntegerProperty(ALL_CLASSES);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty status = new SimpleStringProperty("Choose a source and press Load (Ctrl+R).");

    public DatasetViewModel(DatasetService service, ComputeExecutor executor, DialogService dialogs) {
        this.service = service;
        this.executor = executor;
        this.dialogs = dialogs;
        sources.setAll(service.builtInSources());
        classFilter.addListener((o, a, b) -> refreshGallery());
    }

    /** Loads the source in {@link #sourceProperty()} on the compute thread. */
    public void load() {
        String s = source.get() == null ? "" : source.get().trim();
        if (s.isEmpty()) {
            dialogs.showError("No source", "Type a built-in name (" + String.join(", ", sources)
                    + "), or choose a file or a folder.");
            return;
        }
        busy.set(true);
        status.set("Loading " + s + "…");
        executor.submit(BackgroundTask.of("Loading " + s, (progress, cancel) -> {
            Dataset d = service.load(s);
            Split split = service.split(d);
            return new Loaded(d, summarise(d, split));
        }).onSuccess(l -> {
            dataset.set(l.dataset());
            summary.set(l.summary());
            classFilter.set(ALL_CLASSES);
            refreshGallery();
            status.set("Loaded " + l.summary().size() + " images from " + s + ".");
        }).onFailure(e -> {
            status.set("Could not load " + s + ": " + Errors.describe(e));
            dialogs.showError("Could not load the dataset", e);
        }).onFinished(() -> busy.set(false)));
    }

    /**
     * Shows the dataset a workspace studies (its {@code workspace.json}), or sample:mnist when the folder holds no
     * workspace yet; called at start so the gallery is never empty.
     */
    public void loadFor(Path workspace) {
        Path cfg = workspace.resolve(org.multimagnet.workspace.Workspace.CONFIG);
        String s = "sample:mnist";
        if (java.nio.file.Files.isRegularFile(cfg)) {
            try {
                s = org.multimagnet.common.Json.readFile(cfg, org.multimagnet.workspace.WorkspaceConfig.class).dataset();
            } catch (RuntimeException e) {
                status.set(Errors.describe(e));
                return;
            }
        }
        source.set(s);
        load();
    }

    /** Loads an image file, an IDX or CIFAR file (File ▸ choose). */
    public void loadPath(Path file) {
        source.set(file.toString());
        load();
    }

    private final IntegerProperty selected = new javafx.beans.property.SimpleIntegerProperty(-1);

    /** @return the gallery image the user picked (its index in the dataset), -1 for none */
    public IntegerProperty selectedProperty() {
        return selected;
    }

    /** @return the picked image, or null */
    public ImagePayload selectedPayload() {
        Dataset d = dataset.get();
        int i = selected.get();
        return d == null || i < 0 || i >= d.size() ? null : payload(i);
    }

    /** @return the gallery image {@code index} as a drag payload */
    public ImagePayload payload(int index) {
        Dataset d = dataset.get();
        return ImagePayload.of(d.image(index), d.shape(), d.labels()[index], d.name() + " #" + index);
    }

    private void refreshGallery() {
        Dataset d = dataset.get();
        if (d == null) {
            galleryIndices.clear();
            return;
        }
        int c = classFilter.get();
        int[] labels = d.labels();
        galleryIndices.setAll(IntStream.range(0, d.size()).filter(i -> c == ALL_CLASSES || labels[i] == c)
                .boxed().toList());
    }

    static DatasetSummary summarise(Dataset d, Split split) {
        return new DatasetSummary(d.name(), d.format(), d.shape().toString(), d.size(), d.classNames(),
                d.classCounts(), split.rule(), split.train().length, split.validation().length, split.test().length);
    }

    private record Loaded(Dataset dataset, DatasetSummary summary) {
    }

    public ObservableList<String> sources() {
        return sources;
    }

    public StringProperty sourceProperty() {
        return source;
    }

    public ObjectProperty<Dataset> datasetProperty() {
        return dataset;
    }

    public ObjectProperty<DatasetSummary> summaryProperty() {
        return summary;
    }

    public ObservableList<Integer> galleryIndices() {
        return galleryIndices;
    }

    public IntegerProperty classFilterProperty() {
        return classFilter;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public StringProperty statusProperty() {
        return status;
    }
}
