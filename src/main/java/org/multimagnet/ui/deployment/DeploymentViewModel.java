package org.multimagnet.ui.deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.multimagnet.defense.DecisionCsv;
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
    // how many of all the possible ensembles accept the image on screen, per size the defense draws (or the chosen n)
    private final ObjectProperty<List<DeploymentService.Acceptance>> acceptance =
            new SimpleObjectProperty<>(List.of());
    private final StringProperty acceptanceText = new SimpleStringProperty("");
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final BooleanProperty streaming = new SimpleBooleanProperty(false);
    // the user's "Allow a stale calibration": the command line's --allow-stale, refused without it in the same words
    private final BooleanProperty allowStale = new SimpleBooleanProperty(false);
    /** TN, FN, FP, TP as in paper Eq. 8 (adversarial = the class the detector looks for). */
    private final IntegerProperty[] confusion = {new SimpleIntegerProperty(), new SimpleIntegerProperty(),
        new SimpleIntegerProperty(), new SimpleIntegerProperty()};
    private final StringProperty streamStatus = new SimpleStringProperty("");
    // The calibration shown, by its attack; the user's pick, or else the workspace's most recent one.
    private final StringProperty calibration = new SimpleStringProperty();
    // null until the user picks one: the pane then follows the most recent calibration, wherever it was made
    private String picked;
    private boolean showingLoaded;
    private final ObservableList<String> calibrations = FXCollections.observableArrayList();
    private final List<DecisionCsv.Row> streamRows = new ArrayList<>();
    private boolean openRequested;
    // whether the pane has asked for the models once: a refresh then loads them again at once
    private boolean wanted;
    private TaskHandle streamTask;
    // The folder and calibration the models were asked for; read on the compute thread, written on the FX thread
    // before submit.
    private volatile Path current;
    private volatile String currentAttack;
    private volatile boolean currentAllowStale;

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
        workspace.folderProperty().addListener((o, a, b) -> clear());
        workspace.revisionProperty().addListener((o, a, b) -> refresh());
        allowStale.addListener((o, a, b) -> refresh());
        calibration.addListener((o, a, b) -> {
            if (showingLoaded || b == null) {
                return;
            }
            picked = b;
            if (setup.get() == null || !b.equals(setup.get().attack())) {
                refresh();
            }
        });
        status.set("Drop an image file here, drag one from a gallery, or paste one (Ctrl+V).");
        result.addListener((o, a, b) -> {
            if (b == null) {
                acceptance.set(List.of());
            }
        });
        acceptance.addListener((o, a, b) -> acceptanceText.set(describe(b)));
    }

    /** e.g. "Accepted by 40.0% of all possible ensembles of size 3 (48 of 120), 23.8% of size 5 (60 of 252)" */
    static String describe(List<DeploymentService.Acceptance> rows) {
        if (rows == null || rows.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("Accepted by ");
        for (int q = 0; q < rows.size(); q++) {
            DeploymentService.Acceptance a = rows.get(q);
            b.append(q == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.1f%%", 100 * a.share()))
                    .append(q == 0 ? " of all possible ensembles of size " : " of size ").append(a.n())
                    .append(" (").append(a.accepting()).append(" of ").append(a.ensembles()).append(')');
        }
        return b.toString();
    }

    /** Another workspace was opened: nothing of the previous one stays on screen. */
    private void clear() {
        if (streamTask != null) {
            streamTask.cancel();
        }
        openRequested = false;
        picked = null;
        showingLoaded = true;
        calibration.set(null);
        showingLoaded = false;
        calibrations.clear();
        setup.set(null);
        input.set(null);
        result.set(null);
        for (IntegerProperty p : confusion) {
            p.set(0);
        }
        streamRows.clear();
        streamStatus.set("");
        status.set("Drop an image file here, drag one from a gallery, or paste one (Ctrl+V).");
        if (wanted) {
            ensureOpen();
        }
    }

    /**
     * The workspace's artifacts changed (a model retrained, a calibration made, here or by another process), or
     * another calibration was picked: the models and thresholds are read again at once, and the image on screen is
     * decided again with them, so the pane never shows a decision the current artifacts would not make.
     */
    private void refresh() {
        openRequested = false;
        result.set(null);
        if (wanted || input.get() != null) {
            ensureOpen();
        }
    }

    /** Loads the workspace's models on the compute thread unless already asked; cheap to call repeatedly. */
    public void ensureOpen() {
        if (openRequested) {
            return;
        }
        openRequested = true;
        wanted = true;
        Path folder = workspace.folder();
        String attack = picked;
        boolean stale = allowStale.get();
        current = folder;
        currentAttack = attack;
        currentAllowStale = stale;
        status.set("Loading the models of " + folder.getFileName() + "…");
        executor.submit(BackgroundTask.of("Loading models", (p, c) -> service.open(folder, attack, stale))
                .onSuccess(s -> {
                    if (!folder.equals(workspace.folder())) {
                        return; // another workspace was opened meanwhile; its own load follows
                    }
                    int keep = ensembleSize.get();
                    boolean sameCalibration = setup.get() != null && s.attack().equals(setup.get().attack());
                    showingLoaded = true;
                    calibrations.setAll(s.calibrations());
                    calibration.set(s.attack());
                    showingLoaded = false;
                    // the sizes first: replacing a combo box's items clears its value, which the setup's
                    // listener then puts back
                    if (!ensembleSizes.equals(s.ensembleSizes())) {
                        ensembleSizes.setAll(s.ensembleSizes());
                    }
                    ensembleSize.set(sameCalibration && s.ensembleSizes().contains(keep) ? keep : s.defaultSize());
                    setup.set(s);
                    if (input.get() == null) {
                        status.set("Ready: drop an image file here, drag one from a gallery, or paste one (Ctrl+V).");
                    } else if (result.get() == null && !busy.get()) {
                        classify();
                    }
                })
                .onFailure(e -> {
                    openRequested = false;
                    setup.set(null);
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
            var loaded = service.readImage(file, shape);
            // the origin names the conversions, so the status line shows what was done to make the image fit
            String origin = file.getFileName() + (loaded.conversions().isEmpty() ? ""
                    : " (converted: " + String.join("; ", loaded.conversions()) + ")");
            return ImagePayload.of(loaded.pixels(), shape, -1, origin);
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
            DeploymentService.Result r = service.classify(img.pixels(), n, s);
            List<Integer> sizes = n == DeploymentService.DRAWN ? su.terms().drawnSizes() : List.of(n);
            return new Decided(r, service.acceptance(img.pixels(), sizes));
        }).onSuccess(d -> {
            DeploymentService.Result r = d.result();
            result.set(r);
            acceptance.set(d.acceptance());
            status.set(img.origin() + ": " + r.legitimateVotes() + " of " + r.members().size()
                    + " members vote legitimate → " + (r.legitimate() ? "accepted" : "rejected as adversarial")
                    + " (seed " + r.seed() + ")");
        }).onFailure(e -> {
            status.set(Errors.describe(e));
            dialogs.showError("Could not classify the image", e);
        }).onFinished(() -> busy.set(false)));
    }

    /** A decision and the exact acceptance of the same image. */
    private record Decided(DeploymentService.Result result, List<DeploymentService.Acceptance> acceptance) {
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
        synchronized (streamRows) {
            streamRows.clear();
        }
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
                DeploymentService.Result r = service.classify(one, n, firstSeed + i);
                boolean legit = r.legitimate();
                boolean adv = set.adversarial()[i];
                List<DecisionCsv.Row> rows = rows(i, set.description() + " #" + i, adv ? "adversarial" : "legitimate",
                        r);
                synchronized (streamRows) {
                    streamRows.addAll(rows);
                }
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
        return service.open(current, currentAttack, currentAllowStale);
    }

    /** @return the calibration deployed with (its attack); set it to deploy with another one */
    public StringProperty calibrationProperty() {
        return calibration;
    }

    /** @return the attacks the workspace holds a calibration for */
    public ObservableList<String> calibrations() {
        return calibrations;
    }

    /** @return the per-member rows of the image on screen, for CSV export (empty when none is decided) */
    public List<DecisionCsv.Row> resultRows() {
        DeploymentService.Result r = result.get();
        ImagePayload img = input.get();
        return r == null || img == null ? List.of() : rows(0, img.origin(), "", r);
    }

    /** @return the per-member rows of the last stream run, in the order the images were decided */
    public List<DecisionCsv.Row> streamRows() {
        synchronized (streamRows) {
            return List.copyOf(streamRows);
        }
    }

    /** Writes {@code rows} to {@code file} on the compute thread, telling the user where they went. */
    public void exportCsv(List<DecisionCsv.Row> rows, Path file) {
        if (rows.isEmpty()) {
            status.set("Nothing to export yet: decide an image or run the stream first.");
            return;
        }
        executor.submit(BackgroundTask.of("Writing " + file.getFileName(), (p, c) -> {
            DecisionCsv.write(file, rows);
            return file;
        }).onSuccess(f -> status.set("Wrote " + rows.size() + " rows (image × member) to " + f))
                .onFailure(e -> dialogs.showError("Could not write the CSV", e)));
    }

    static List<DecisionCsv.Row> rows(int image, String origin, String truth, DeploymentService.Result r) {
        int prediction = argmax(r.before());
        int reformed = r.after() == null ? -1 : argmax(r.after());
        List<DecisionCsv.Row> out = new ArrayList<>();
        for (DeploymentService.MemberVote v : r.members()) {
            out.add(new DecisionCsv.Row(image, origin, truth, r.seed(), r.members().size(), v.id(), v.mark(),
                    v.threshold(), v.legitimate(), r.legitimate(), prediction, r.reformerId(), reformed));
        }
        return out;
    }

    private static int argmax(float[] p) {
        if (p == null || p.length == 0) {
            return -1;
        }
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
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

    /** @return per size, how many of all the possible ensembles accept the image on screen (empty: none decided) */
    public ObjectProperty<List<DeploymentService.Acceptance>> acceptanceProperty() {
        return acceptance;
    }

    /** @return the acceptance as the pane writes it, e.g. "Accepted by 40.0% of all possible ensembles of size 3 …" */
    public StringProperty acceptanceTextProperty() {
        return acceptanceText;
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

    /**
     * @return whether a calibration made with models that changed since may decide (with its warning in the
     *         setup); set it and the models are asked for again
     */
    public BooleanProperty allowStaleProperty() {
        return allowStale;
    }

    /** @return TN, FN, FP, TP */
    public IntegerProperty confusion(int k) {
        return confusion[k];
    }

    public StringProperty streamStatusProperty() {
        return streamStatus;
    }
}
