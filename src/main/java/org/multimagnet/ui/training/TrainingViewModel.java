package org.multimagnet.ui.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.multimagnet.ui.common.BackgroundTask;
import org.multimagnet.ui.common.ComputeExecutor;
import org.multimagnet.ui.common.DialogService;
import org.multimagnet.ui.common.Errors;
import org.multimagnet.ui.common.TaskHandle;
import org.multimagnet.ui.common.ReplaceQuestion;
import org.multimagnet.ui.common.WorkspaceModel;
import org.multimagnet.workspace.Consent;
import org.multimagnet.ui.training.TrainingService.LossPoint;
import org.multimagnet.ui.training.TrainingService.MemberForm;
import org.multimagnet.ui.training.TrainingService.ModelRow;
import org.multimagnet.ui.training.TrainingService.TrainOptions;
import org.multimagnet.ui.training.TrainingService.TrainOutcome;

/**
 * The training pane's state: the model table, the member editor, training options, and while training the live
 * loss points, progress, ETA and the last outcome (reconstructions next to originals).
 */
public final class TrainingViewModel {
    /** The loss chart takes new points at most this often (10 redraws a second). */
    private static final long CHART_INTERVAL_NANOS = 100_000_000L;

    private final TrainingService service;
    private final ComputeExecutor executor;
    private final DialogService dialogs;
    private final WorkspaceModel workspace;

    private final ObservableList<ModelRow> models = FXCollections.observableArrayList();
    /** Loss points delivered so far in this training run (the chart adds them as they come). */
    private final ObservableList<LossPoint> losses = FXCollections.observableArrayList();
    /** When the chart last took points (FX thread only). */
    private long lastChartUpdate;
    private final ObjectProperty<TrainOutcome> outcome = new SimpleObjectProperty<>();
    private final IntegerProperty epochs = new SimpleIntegerProperty(1);
    private final IntegerProperty limit = new SimpleIntegerProperty(2000);
    private final LongProperty seed = new SimpleLongProperty(1);
    private final BooleanProperty training = new SimpleBooleanProperty(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty status = new SimpleStringProperty("");
    // Member editor fields.
    private final IntegerProperty formId = new SimpleIntegerProperty(1);
    private final StringProperty formStructure = new SimpleStringProperty("3, avg, 3");
    private final StringProperty formActivation = new SimpleStringProperty("sigmoid");
    private final DoubleProperty formNoise = new SimpleDoubleProperty(0.1);
    private final IntegerProperty formEpochs = new SimpleIntegerProperty(50);
    private TaskHandle running;
    private boolean loaded;

    public TrainingViewModel(TrainingService service, ComputeExecutor executor, DialogService dialogs,
                             WorkspaceModel workspace) {
        this.service = service;
        this.executor = executor;
        this.dialogs = dialogs;
        this.workspace = workspace;
        workspace.folderProperty().addListener((o, a, b) -> reload());
    }

    /** Lists the workspace's models once (when the pane is first shown). */
    public void ensureLoaded() {
        if (!loaded) {
            reload();
        }
    }

    /** Lists the workspace's models again. */
    public void reload() {
        loaded = true;
        Path folder = workspace.folder();
        executor.submit(BackgroundTask.of("Listing models", (p, c) -> service.models(folder))
                .onSuccess(list -> {
                    // an unchanged list keeps the table's selection
                    if (!models.equals(list)) {
                        models.setAll(list);
                    }
                })
                .onFailure(e -> {
                    models.clear();
                    status.set(Errors.describe(e));
                }));
    }

    /** Fills the editor from a row (member rows only). */
    public void edit(ModelRow row) {
        if (row == null || row.id() == 0) {
            return;
        }
        formId.set(row.id());
        formStructure.set(row.structure().replace("[", "").replace("]", ""));
        formActivation.set(row.activation());
        formNoise.set(row.noise());
        formEpochs.set(row.epochs());
    }

    /** Prepares the editor for a new member with the next free id. */
    public void newMember() {
        int next = models.stream().mapToInt(ModelRow::id).max().orElse(0) + 1;
        formId.set(next);
    }

    /** Adds or replaces the member in the editor. */
    public void saveMember() {
        MemberForm form = new MemberForm(formId.get(), formStructure.get(), formActivation.get(), formNoise.get(),
                formEpochs.get());
        Path folder = workspace.folder();
        executor.submit(BackgroundTask.of("Saving member " + form.id(), (p, c) -> service.saveMember(folder, form))
                .onSuccess(l -> {
                    models.setAll(l);
                    status.set("Saved member " + form.id() + ".");
                })
                .onFailure(e -> dialogs.showError("Member " + form.id() + " not saved", e)));
    }

    /** Removes member {@code id}. */
    public void removeMember(int id) {
        if (id <= 0) {
            dialogs.showError("Cannot remove F", "The classifier F is not a member of S; only members can be removed.");
            return;
        }
        Path folder = workspace.folder();
        executor.submit(BackgroundTask.of("Removing member " + id, (p, c) -> service.removeMember(folder, id))
                .onSuccess(models::setAll)
                .onFailure(e -> dialogs.showError("Member " + id + " not removed", e)));
    }

    /**
     * Trains the given models one after another (one task, cancellable between batches). When some are trained
     * already, the user is asked first; the replaced models stay in the workspace's history.
     */
    public void train(List<Integer> ids) {
        train(ids, Consent.ASK_FIRST);
    }

    private void train(List<Integer> ids, Consent consent) {
        if (ids.isEmpty()) {
            status.set("Select a model to train, or press Train all.");
            return;
        }
        if (running != null && !running.isDone()) {
            status.set("A training is running; cancel it first (Esc).");
            return;
        }
        TrainOptions options = new TrainOptions(epochs.get(), limit.get(), seed.get());
        Path folder = workspace.folder();
        ConcurrentLinkedQueue<LossPoint> queue = new ConcurrentLinkedQueue<>();
        losses.clear();
        outcome.set(null);
        training.set(true);
        progress.set(0);
        List<Integer> order = List.copyOf(ids);
        running = executor.submit(BackgroundTask.<List<TrainOutcome>>of("Training " + describe(order), (p, cancel) -> {
            service.requireConsent(folder, order, consent);
            List<TrainOutcome> out = new ArrayList<>();
            for (int k = 0; k < order.size(); k++) {
                int model = k;
                int id = order.get(k);
                out.add(service.train(folder, id, options, consent, point -> {
                    queue.add(point);
                    // Whole run's progress: models done plus this model's share.
                    long total = (long) point.epochs() * point.batches();
                    long done = (long) (point.epoch() - 1) * point.batches() + point.batch();
                    p.progress((long) model * total + done, (long) order.size() * total,
                            label(id) + " · epoch " + point.epoch() + "/" + point.epochs()
                                    + String.format(" · loss %.5f", point.loss()));
                }, cancel));
            }
            return out;
        }).onProgress(pr -> {
            // the loss chart at most every CHART_INTERVAL_NANOS: a small member trains hundreds of batches a second on
            // the lane path, and each chart update is a full redraw on the FX thread (the rest come in onSuccess etc.)
            long now = System.nanoTime();
            if (now - lastChartUpdate >= CHART_INTERVAL_NANOS) {
                lastChartUpdate = now;
                drain(queue);
            }
            progress.set(pr.fraction());
            status.set(pr.describe());
        }).onSuccess(list -> {
            drain(queue);
            progress.set(1);
            TrainOutcome last = list.get(list.size() - 1);
            outcome.set(last);
            status.set(String.format("Trained %s in %.1f s. %s", describe(order),
                    list.stream().mapToDouble(TrainOutcome::seconds).sum(), last.summary()));
            workspace.touch();
        }).onCancelled(() -> {
            drain(queue);
            status.set("Training cancelled; the models already stored are unchanged.");
        }).onFailure(e -> {
            drain(queue); // the points reported before the failure, as every report showed them before the throttle
            var refused = ReplaceQuestion.refusal(e);
            if (refused.isPresent()) {
                training.set(false);
                String with = options.epochs() > 0 ? options.epochs() + "-epoch " + (order.size() == 1 ? "model"
                        : "models") : "newly trained " + (order.size() == 1 ? "model" : "models");
                if (ReplaceQuestion.ask(dialogs, refused.get(), with, false) == ReplaceQuestion.Answer.REPLACE) {
                    train(order, Consent.REPLACE);
                } else {
                    status.set("Nothing trained: the stored models are unchanged.");
                }
                return;
            }
            status.set(Errors.describe(e));
            dialogs.showError("Training failed", e);
        }).onFinished(() -> {
            if (running == null || running.isDone()) {
                training.set(false);
            }
            reload();
        }));
    }

    /** Trains every model of the table. */
    public void trainAll() {
        train(models.stream().map(ModelRow::id).toList());
    }

    /** Cancels the running training. */
    public void cancel() {
        if (running != null) {
            running.cancel();
        }
    }

    private void drain(ConcurrentLinkedQueue<LossPoint> queue) {
        List<LossPoint> batch = new ArrayList<>();
        for (LossPoint p; (p = queue.poll()) != null; ) {
            batch.add(p);
        }
        if (!batch.isEmpty()) {
            losses.addAll(batch);
        }
    }

    private static String label(int id) {
        return id == 0 ? "F" : "AE " + id;
    }

    private static String describe(List<Integer> ids) {
        return ids.size() == 1 ? label(ids.get(0)) : ids.size() + " models";
    }

    public ObservableList<ModelRow> models() {
        return models;
    }

    public ObservableList<LossPoint> losses() {
        return losses;
    }

    public ObjectProperty<TrainOutcome> outcomeProperty() {
        return outcome;
    }

    public IntegerProperty epochsProperty() {
        return epochs;
    }

    public IntegerProperty limitProperty() {
        return limit;
    }

    public LongProperty seedProperty() {
        return seed;
    }

    public BooleanProperty trainingProperty() {
        return training;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public IntegerProperty formIdProperty() {
        return formId;
    }

    public StringProperty formStructureProperty() {
        return formStructure;
    }

    public StringProperty formActivationProperty() {
        return formActivation;
    }

    public DoubleProperty formNoiseProperty() {
        return formNoise;
    }

    public IntegerProperty formEpochsProperty() {
        return formEpochs;
    }
}
