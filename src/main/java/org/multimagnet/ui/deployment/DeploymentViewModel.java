package org.multimagnet.ui.deployment;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.multimagnet.data.ImageShape;
import org.multimagnet.ui.common.BackgroundTask;
import org.multimagnet.ui.common.ComputeExecutor;
import org.multimagnet.ui.common.DialogService;
import org.multimagnet.ui.common.Errors;
import org.multimagnet.ui.common.ImageDrops;
import org.multimagnet.ui.common.ImagePayload;
import org.multimagnet.ui.common.TaskHandle;
import org.multimagnet.ui.common.WorkspaceModel;

/**
 * The deployment pane's state (paper §4.2): the input image, the ensemble size and seed, the drawn members' votes,
 * the verdict, and in stream mode a running confusion matrix over D (paper Eq. 8).
 *
 * <p>The models load lazily on the compute thread the first time they are needed, so the window draws at once.
 */
public final class DeploymentViewModel implements ImageDrops.Target {
    private final DeploymentService service;
    private final ComputeExecutor executor;
    private final DialogService dialogs;
    private final WorkspaceModel workspace;
    // Seeds for "Draw again": the user sees and can type the seed, so a draw is reproducible.
    private final SplittableRandom seeds;

    private final ObjectProperty<DeploymentService.Setup> setup = new SimpleObjectProperty<>();
    private final ObservableList<Integer> ensembleSizes = FXCollections.observableArrayList();
    private final IntegerProperty ensembleSize = new SimpleIntegerProperty(0);
    private final LongProperty seed = new SimpleLongProperty(1);
    private final ObjectProperty<ImagePayload> input = new SimpleObjectProperty<>();
    private final ObjectProperty<DeploymentService.Result> result = new SimpleObjectProperty<>();
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final BooleanProperty streaming = new SimpleBooleanProperty(false);
    /** TN, FN, FP, TP as in paper Eq. 8 (adversarial = the class the detector looks for). */
    private final IntegerProperty[] confusion = {new SimpleIntegerProperty(), new SimpleIntegerProperty(),
        new SimpleIntegerProperty(), new SimpleIntegerProperty()};
    private final StringProperty streamStatus = new SimpleStringProperty("");
    private boolean openRequested;
    private TaskHandle streamTask;
    // The folder the models were asked for; read on the compute thread, written on the FX thread before submit.
    private volatile Path current;

    /**
     * @param randomSeed seeds the "Draw again" seed sequence (the app passes the clock, tests a constant)
     */
    public DeploymentViewModel(DeploymentService service, ComputeExecutor executor, DialogService dialogs,
                               WorkspaceModel workspace, long randomSeed) {
        this.service = service;
        this.executor = executor;
        this.dialogs = dialogs;
        this.workspace = workspace;
        this.seeds = new SplittableRandom(randomSeed);
        workspace.folderProperty().addListener((o, a, b) -> reset());
        workspace.revisionProperty().addListener((o, a, b) -> reset());
        status.set("Drop an image file here, drag one from a gallery, or paste one (Ctrl+V).");
    }

    private void reset() {
        openRequested = false;
        setup.set(null);
        result.set(null);
    }

    /** Loads the workspace's models on the compute thread unless already asked; cheap to call repeatedly. */
    public void ensureOpen() {
        if (openRequested) {
            return;
        }
        openRequested = true;
        Path folder = workspace.folder();
        current = folder;
        status.set("Loading the models of " + folder.getFileName() + "…");
        executor.submit(BackgroundTask.of("Loading models", (p, c) -> service.open(folder))
                .onSuccess(s -> {
                    setup.set(s);
                    ensembleSizes.setAll(s.ensembleSizes());
                    ensembleSize.set(s.defaultSize());
                    status.set(input.get() == null
                            ? "Ready: drop an image file here, drag one from a gallery, or paste one (Ctrl+V)."
                            : status.get());
                })
                .onFailure(e -> {
                    openRequested = false;
                    status.set(Errors.describe(e));
                }));
    }

    @Override
    public void dropFile(Path file) {
        if (!ImageDrops.isImageFile(file)) {
            dialogs.showError("Not an image", file + ": expected an image file ("
                    + String.join(", ", ImageDrops.IMAGE_EXTENSIONS) + ")");
            return;
        }
        ensureOpen();
        busy.set(true);
        executor.submit(BackgroundTask.of("Reading " + file.getFileName(), (p, c) -> {
            ImageShape shape = requireSetup().shape();
            return ImagePayload.of(service.readImage(file, shape), shape, -1, file.getFileName().toString());
        }).onSuccess(img -> {
            input.set(img);
            classify();
        }).onFailure(e -> dialogs.showError("Could not read the image", e))
                .onFinished(() -> busy.set(false)));
    }

    @Override
    public void dropImage(ImagePayload payload) {
        ensureOpen();
        input.set(payload);
        classify();
    }

    /** Draws a new ensemble (a fresh seed) for the same image, to show the defense's non-determinism. */
    public void drawAgain() {
        seed.set(seeds.nextLong(1, 1_000_000));
        classify();
    }

    /** Classifies the input with the current size and seed (Ctrl+R; the seed field's Enter). */
    public void classify() {
        ImagePayload img = input.get();
        if (img == null) {
            status.set("No image yet: drop an image file here, drag one from a gallery, or paste one (Ctrl+V).");
            return;
        }
        ensureOpen();
        long s = seed.get();
        int chosen = ensembleSize.get();
        busy.set(true);
        executor.submit(BackgroundTask.of("Classifying " + img.origin(), (p, c) -> {
            DeploymentService.Setup su = requireSetup();
            if (img.channels() != su.shape().channels() || img.height() != su.shape().height()
                    || img.width() != su.shape().width()) {
                throw new IllegalArgumentException(img.origin() + ": image is " + img.shape() + " but the models take "
                        + su.shape());
            }
            int n = chosen > 0 ? chosen : su.defaultSize();
            return service.classify(img.pixels(), n, s);
        }).onSuccess(r -> {
            result.set(r);
            status.set(img.origin() + ": " + r.legitimateVotes() + " of " + r.members().size()
                    + " members vote legitimate → " + (r.legitimate() ? "accepted" : "rejected as adversarial")
                    + " (seed " + r.seed() + ")");
        }).onFailure(e -> {
            status.set(Errors.describe(e));
            dialogs.showError("Could not classify the image", e);
        }).onFinished(() -> busy.set(false)));
    }

    /** Streams D through the defense, updating the confusion matrix; a second call stops it. */
    public void toggleStream() {
        if (streamTask != null && !streamTask.isDone()) {
            streamTask.cancel();
            return;
        }
        ensureOpen();
        for (IntegerProperty p : confusion) {
            p.set(0);
        }
        AtomicIntegerArray counts = new AtomicIntegerArray(4);
        long firstSeed = seed.get();
        int chosen = ensembleSize.get();
        streaming.set(true);
        streamTask = executor.submit(BackgroundTask.<String>of("Stream over D", (progress, cancel) -> {
            DeploymentService.Setup su = requireSetup();
            DeploymentService.StreamSet set = service.streamSet();
            int n = chosen > 0 ? chosen : su.defaultSize();
            int size = set.shape().size();
            float[] one = new float[size];
            for (int i = 0; i < set.size(); i++) {
                cancel.throwIfCancelled();
                System.arraycopy(set.pixels(), i * size, one, 0, size);
                // A fresh ensemble per image, seeded from the first seed so the run is reproducible.
                boolean legit = service.classify(one, n, firstSeed + i).legitimate();
                boolean adv = set.adversarial()[i];
                counts.incrementAndGet(adv ? (legit ? 1 : 0) : (legit ? 3 : 2));
                progress.progress(i + 1, set.size(), (i + 1) + " of " + set.size());
            }
            return set.description();
        }).onProgress(p -> copy(counts, p.done(), p.total()))
                .onSuccess(d -> streamStatus.set(d + ": done. " + streamStatus.get()))
                .onCancelled(() -> streamStatus.set("Stopped. " + streamStatus.get()))
                .onFailure(e -> {
                    streamStatus.set(Errors.describe(e));
                    dialogs.showError("Stream mode", e);
                })
                .onFinished(() -> {
                    copy(counts, -1, -1);
                    streaming.set(false);
                }));
    }

    private void copy(AtomicIntegerArray counts, long done, long total) {
        for (int k = 0; k < 4; k++) {
            confusion[k].set(counts.get(k));
        }
        int tn = counts.get(0);
        int fn = counts.get(1);
        int fp = counts.get(2);
        int tp = counts.get(3);
        int all = tn + fn + fp + tp;
        String acc = all == 0 ? "–" : String.format("%.1f%%", 100.0 * (tn + tp) / all);
        String prefix = done >= 0 ? done + " / " + total + " images · " : all + " images · ";
        streamStatus.set(prefix + "ACC " + acc);
    }

    private DeploymentService.Setup requireSetup() {
        // Runs on the compute thread after the open task (same single thread, queued earlier).
        return service.open(current);
    }

    public ObjectProperty<DeploymentService.Setup> setupProperty() {
        return setup;
    }

    public ObservableList<Integer> ensembleSizes() {
        return ensembleSizes;
    }

    public IntegerProperty ensembleSizeProperty() {
        return ensembleSize;
    }

    public LongProperty seedProperty() {
        return seed;
    }

    public ObjectProperty<ImagePayload> inputProperty() {
        return input;
    }

    public ObjectProperty<DeploymentService.Result> resultProperty() {
        return result;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public BooleanProperty streamingProperty() {
        return streaming;
    }

    /** @return TN, FN, FP, TP */
    public IntegerProperty confusion(int k) {
        return confusion[k];
    }

    public StringProperty streamStatusProperty() {
        return streamStatus;
    }
}
