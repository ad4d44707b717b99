package org.multimagnet.ui.attack;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
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
import javafx.collections.ObservableMap;
import org.multimagnet.stage.AdaptiveStage;
import org.multimagnet.ui.common.BackgroundTask;
import org.multimagnet.ui.common.ComputeExecutor;
import org.multimagnet.ui.common.DialogService;
import org.multimagnet.ui.common.Errors;
import org.multimagnet.ui.common.ImagePayload;
import org.multimagnet.ui.common.ReplaceQuestion;
import org.multimagnet.workspace.Consent;
import org.multimagnet.ui.common.TaskHandle;
import org.multimagnet.ui.common.WorkspaceModel;

/**
 * The attack pane's state: the chosen attack and its parameters (Table 1 defaults, editable as text and validated
 * by the engine's parameter records), the number of images and seed, and the last generated set.
 */
public final class AttackViewModel {
    private final AttackService service;
    private final ComputeExecutor executor;
    private final DialogService dialogs;
    private final WorkspaceModel workspace;
    private final ObservableList<String> attacks = FXCollections.observableArrayList();
    private final StringProperty attack = new SimpleStringProperty();
    private final ObservableMap<String, String> params = FXCollections.observableMap(new LinkedHashMap<>());
    private final StringProperty split = new SimpleStringProperty("test");
    private final IntegerProperty count = new SimpleIntegerProperty(100);
    private final LongProperty seed = new SimpleLongProperty(1);
    private final ObjectProperty<AttackService.AttackRun> run = new SimpleObjectProperty<>();
    private final ObservableList<Integer> gallery = FXCollections.observableArrayList();
    private final IntegerProperty selected = new SimpleIntegerProperty(-1);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty status = new SimpleStringProperty("");
    private final StringProperty adaptiveDefense = new SimpleStringProperty("multimagnet");
    private final StringProperty adaptiveMethod = new SimpleStringProperty("all-members");
    private final StringProperty adaptiveNorm = new SimpleStringProperty("l2");
    private final StringProperty adaptiveEps = new SimpleStringProperty("2");
    private final IntegerProperty adaptiveSteps = new SimpleIntegerProperty(50);
    private final ObjectProperty<AttackService.AdaptiveOne> adaptive = new SimpleObjectProperty<>();
    private final StringProperty adaptiveOrigin = new SimpleStringProperty("");
    private final StringProperty adaptiveStatus = new SimpleStringProperty(
            "Pick an image of the gallery, then attack it knowing the defense.");
    private TaskHandle task;

    public AttackViewModel(AttackService service, ComputeExecutor executor, DialogService dialogs,
                           WorkspaceModel workspace) {
        this.service = service;
        this.executor = executor;
        this.dialogs = dialogs;
        this.workspace = workspace;
        attacks.setAll(service.attacks());
        attack.addListener((o, a, b) -> {
            loadDefaults();
            loadStored();
        });
        split.addListener((o, a, b) -> loadStored());
        run.addListener((o, a, b) -> selected.set(-1));
        workspace.folderProperty().addListener((o, a, b) -> {
            // nothing of the previous workspace stays on screen
            cancel();
            run.set(null);
            adaptive.set(null);
            adaptiveStatus.set("");
            gallery.clear();
            status.set("");
            loadDefaults();
            loadStored();
        });
        // a set made by another process (or another pane) shows without reopening
        workspace.revisionProperty().addListener((o, a, b) -> {
            if (!busy.get()) {
                loadStored();
            }
        });
    }

    /**
     * Shows the set the workspace holds for the chosen attack and split (W/attacks/&lt;attack&gt;-&lt;split&gt;/), or
     * an empty gallery with the next step when there is none.
     */
    public void loadStored() {
        String a = attack.get();
        if (a == null) {
            return;
        }
        String sp = split.get();
        Path folder = workspace.folder();
        executor.submit(BackgroundTask.of("Reading the " + a + " " + sp + " set", (p, c) ->
                        service.stored(folder, a, sp))
                .onSuccess(stored -> {
                    if (!folder.equals(workspace.folder()) || !a.equals(attack.get()) || !sp.equals(split.get())
                            || busy.get()) {
                        return; // the user moved on, or a fresh run is coming
                    }
                    if (stored.isPresent()) {
                        AttackService.AttackRun r = stored.get();
                        run.set(r);
                        gallery.setAll(IntStream.range(0, r.size()).boxed().toList());
                        status.set("Stored set: " + summary(r));
                    } else {
                        run.set(null);
                        gallery.clear();
                        status.set("No " + a + " set from " + sp + " images in this workspace yet. Next: press "
                                + "Generate (Ctrl+R)" + ("validation".equals(sp)
                                ? "; the Calibration pane calibrates on it." : "; then send an image to Deployment."));
                    }
                })
                .onFailure(e -> status.set(Errors.describe(e))));
    }

    /**
     * Attacks one image with the chosen attack and parameters against F (nothing stored), then hands the adversarial
     * image to {@code deploy}: "attack this image and deploy it" in one step.
     */
    public void attackAndDeploy(ImagePayload source, java.util.function.Consumer<ImagePayload> deploy) {
        ensureSelected();
        String a = attack.get();
        Map<String, String> p = new LinkedHashMap<>(params);
        Path folder = workspace.folder();
        executor.submit(BackgroundTask.of("Attacking " + source.origin() + " with " + a, (pr, c) ->
                        ImagePayload.of(service.attackOne(folder, a, p, source.pixels(), source.shape(), source.label()),
                                source.shape(), source.label(), a + " of " + source.origin()))
                .onSuccess(deploy)
                .onFailure(e -> dialogs.showError("Could not attack the image", e)));
    }

    /** @return the original image {@code i} of the shown set */
    public ImagePayload originalPayload(int i) {
        AttackService.AttackRun r = run.get();
        int size = r.shape().size();
        return ImagePayload.of(Arrays.copyOfRange(r.originals(), i * size, (i + 1) * size), r.shape(),
                r.labels()[i], r.attack() + " #" + i + " (original)");
    }

    /** Selects the first attack if none is (when the pane is first shown). */
    public void ensureSelected() {
        if (attack.get() == null && !attacks.isEmpty()) {
            attack.set(attacks.get(0));
        }
    }

    /** Puts the paper's defaults for the chosen attack into the form. */
    public void loadDefaults() {
        String a = attack.get();
        if (a == null) {
            return;
        }
        Path folder = workspace.folder();
        executor.submit(BackgroundTask.of("Defaults of " + a, (p, c) -> service.defaults(folder, a))
                .onSuccess(m -> {
                    params.clear();
                    params.putAll(m);
                })
                .onFailure(e -> status.set(Errors.describe(e))));
    }

    /**
     * Generates the set (Ctrl+R); the engine validates the parameters and names a bad one. When the workspace holds
     * the set already, the user is asked first: replace it (the old one stays in the history), save the new one in
     * scratch, or cancel.
     */
    public void generate() {
        generate(Consent.ASK_FIRST, false);
    }

    private void generate(Consent consent, boolean scratch) {
        String a = attack.get();
        if (a == null) {
            status.set("Choose an attack first.");
            return;
        }
        if (task != null && !task.isDone()) {
            status.set("An attack is running; cancel it first (Esc).");
            return;
        }
        Map<String, String> p = new LinkedHashMap<>(params);
        String sp = split.get();
        int n = count.get();
        long s = seed.get();
        Path folder = workspace.folder();
        busy.set(true);
        status.set("Attacking " + n + " images with " + a + "…");
        task = executor.submit(BackgroundTask.of("Attack " + a, (progress, cancel) ->
                        service.generate(folder, a, p, sp, n, s, consent, scratch, progress, cancel))
                .onProgress(pr -> status.set(pr.describe()))
                .onSuccess(r -> {
                    run.set(r);
                    gallery.setAll(IntStream.range(0, r.size()).boxed().toList());
                    status.set(summary(r));
                    workspace.touch();
                })
                .onCancelled(() -> status.set("Attack cancelled; the stored sets are unchanged."))
                .onFailure(e -> {
                    var refused = ReplaceQuestion.refusal(e);
                    if (refused.isPresent()) {
                        busy.set(false);
                        switch (ReplaceQuestion.ask(dialogs, refused.get(), String.format("%,d images", n), true)) {
                            case REPLACE -> generate(Consent.REPLACE, false);
                            case SCRATCH -> generate(Consent.ASK_FIRST, true);
                            case CANCEL -> status.set("Nothing replaced: " + refused.get().artifact().id()
                                    + " still holds " + refused.get().description() + ".");
                        }
                        return;
                    }
                    status.set(Errors.describe(e));
                    dialogs.showError("Attack failed", e);
                })
                .onFinished(() -> {
                    if (task == null || task.isDone()) {
                        busy.set(false);
                    }
                }));
    }

    /**
     * Attacks the picked image's original with an attacker that knows the defense (white-box: S, its thresholds and
     * the vote rule; not the draw), in the background with progress and cancel, and shows what the defense makes of
     * the result over every draw of its ensemble. The engine checks the settings and names a bad one.
     */
    public void attackAdaptively() {
        int i = selected.get();
        if (run.get() == null || i < 0 || i >= run.get().size()) {
            adaptiveStatus.set("Pick an image of the gallery first (a click).");
            return;
        }
        if (task != null && !task.isDone()) {
            adaptiveStatus.set("An attack is running; cancel it first (Esc).");
            return;
        }
        double eps;
        try {
            eps = Double.parseDouble(adaptiveEps.get().trim());
        } catch (NumberFormatException e) {
            adaptiveStatus.set("ε '" + adaptiveEps.get() + "': expected a number > 0");
            return;
        }
        ImagePayload source = originalPayload(i);
        AttackService.AdaptiveRequest request = new AttackService.AdaptiveRequest(adaptiveDefense.get(),
                adaptiveMethod.get(), adaptiveNorm.get(), eps, adaptiveSteps.get(), AdaptiveStage.DEFAULT_DRAWS,
                seed.get());
        Path folder = workspace.folder();
        String origin = String.format(java.util.Locale.ROOT, "adaptive %s %s ε %s against %s of %s",
                request.method(), "l2".equals(request.norm()) ? "L2" : "L∞", adaptiveEps.get().trim(),
                request.defense(), source.origin());
        busy.set(true);
        adaptive.set(null);
        adaptiveStatus.set("Attacking " + source.origin() + " knowing the defense…");
        task = executor.submit(BackgroundTask.of("Adaptive attack", (progress, cancel) -> service.adaptiveOne(folder,
                        request, source.pixels(), source.shape(), source.label(), progress, cancel))
                .onProgress(pr -> adaptiveStatus.set(pr.describe()))
                .onSuccess(r -> {
                    adaptiveOrigin.set(origin);
                    adaptive.set(r);
                    adaptiveStatus.set(adaptiveSummary(r));
                })
                .onCancelled(() -> adaptiveStatus.set("Adaptive attack cancelled."))
                .onFailure(e -> adaptiveStatus.set(Errors.describe(e)))
                .onFinished(() -> {
                    if (task == null || task.isDone()) {
                        busy.set(false);
                    }
                }));
    }

    /** @return what the defense makes of an adaptively attacked image, in one line */
    static String adaptiveSummary(AttackService.AdaptiveOne r) {
        String fooled = r.after() != r.label() ? "fooled" : "not fooled";
        return String.format(java.util.Locale.ROOT, "F: %d → %d (%s without the defense) · accepted by %.1f%% of the "
                        + "ensembles (n from %s) · defended %.1f%% of draws · L2 %.3f, L∞ %.3f · %.1f s. %s",
                r.before(), r.after(), fooled, 100 * r.accepted(), r.sizes(), 100 * r.defended(), r.l2(), r.linf(),
                r.seconds(), r.attacked());
    }

    /** @return the adaptively attacked image, to send to the Deployment pane, or null before one is made */
    public ImagePayload adaptivePayload() {
        AttackService.AdaptiveOne r = adaptive.get();
        return r == null ? null : ImagePayload.of(r.adversarial().clone(), r.shape(), r.label(), adaptiveOrigin.get());
    }

    /** Cancels a running attack. */
    public void cancel() {
        if (task != null) {
            task.cancel();
        }
    }

    /** @return the adversarial image {@code i} of the last run, to drag to the deployment pane */
    public ImagePayload payload(int i) {
        AttackService.AttackRun r = run.get();
        int size = r.shape().size();
        return ImagePayload.of(Arrays.copyOfRange(r.adversarial(), i * size, (i + 1) * size), r.shape(),
                r.labels()[i], r.attack() + " #" + i + " (adversarial)");
    }

    static String summary(AttackService.AttackRun r) {
        double meanL2 = Arrays.stream(r.l2()).average().orElse(0);
        return String.format("%s on %d images: success rate %.1f%%, F's accuracy after %.1f%%, mean L2 %.3f, "
                        + "in %.1f s. Saved to %s", r.attack(), r.size(), 100 * r.successRate(), 100 * r.accuracyAfter(),
                meanL2, r.seconds(), r.savedTo());
    }

    /** @return the gallery image the user picked (a click), -1 for none */
    public IntegerProperty selectedProperty() {
        return selected;
    }

    /** @return the picked adversarial image, or null */
    public ImagePayload selectedPayload() {
        int i = selected.get();
        return run.get() == null || i < 0 || i >= run.get().size() ? null : payload(i);
    }

    public StringProperty adaptiveDefenseProperty() {
        return adaptiveDefense;
    }

    public StringProperty adaptiveMethodProperty() {
        return adaptiveMethod;
    }

    public StringProperty adaptiveNormProperty() {
        return adaptiveNorm;
    }

    public StringProperty adaptiveEpsProperty() {
        return adaptiveEps;
    }

    public IntegerProperty adaptiveStepsProperty() {
        return adaptiveSteps;
    }

    /** @return the last adaptive result, or null */
    public ObjectProperty<AttackService.AdaptiveOne> adaptiveProperty() {
        return adaptive;
    }

    public StringProperty adaptiveStatusProperty() {
        return adaptiveStatus;
    }

    public ObservableList<String> attacks() {
        return attacks;
    }

    public StringProperty attackProperty() {
        return attack;
    }

    public ObservableMap<String, String> params() {
        return params;
    }

    public StringProperty splitProperty() {
        return split;
    }

    public IntegerProperty countProperty() {
        return count;
    }

    public LongProperty seedProperty() {
        return seed;
    }

    public ObjectProperty<AttackService.AttackRun> runProperty() {
        return run;
    }

    public ObservableList<Integer> gallery() {
        return gallery;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public StringProperty statusProperty() {
        return status;
    }
}
