package org.multimagnet.ui.calibration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
import org.multimagnet.ui.calibration.CalibrationService.Cell;
import org.multimagnet.ui.calibration.CalibrationService.GridForm;
import org.multimagnet.ui.calibration.CalibrationService.Outcome;
import org.multimagnet.ui.common.BackgroundTask;
import org.multimagnet.ui.common.ComputeExecutor;
import org.multimagnet.ui.common.DialogService;
import org.multimagnet.ui.common.Errors;
import org.multimagnet.ui.common.TaskHandle;
import org.multimagnet.ui.common.ReplaceQuestion;
import org.multimagnet.ui.common.WorkspaceModel;
import org.multimagnet.workspace.Consent;

/**
 * The calibration pane's state (paper §4.1): the grid C as editable text, the run, and the result as a heat map
 * (t_fp × T for a chosen metric, approach and n), the best cell, member thresholds and mark distributions.
 */
public final class CalibrationViewModel {
    private final CalibrationService service;
    private final ComputeExecutor executor;
    private final DialogService dialogs;
    private final WorkspaceModel workspace;

    private final ObservableList<String> attacks = FXCollections.observableArrayList();
    private final StringProperty attack = new SimpleStringProperty();
    private final StringProperty falsePositiveRates = new SimpleStringProperty("");
    private final StringProperty temperatures = new SimpleStringProperty("");
    private final BooleanProperty re = new SimpleBooleanProperty(true);
    private final BooleanProperty jsd = new SimpleBooleanProperty(true);
    private final BooleanProperty mta = new SimpleBooleanProperty(true);
    private final BooleanProperty minTa = new SimpleBooleanProperty(true);
    private final StringProperty ensembleSizes = new SimpleStringProperty("");
    private final LongProperty seed = new SimpleLongProperty(2019);
    private final IntegerProperty ensemblesPerCombination = new SimpleIntegerProperty(1);

    private final ObjectProperty<Outcome> outcome = new SimpleObjectProperty<>();
    // The heat map's slice.
    private final StringProperty metric = new SimpleStringProperty("RE");
    private final StringProperty approach = new SimpleStringProperty("MTA");
    private final StringProperty ensemble = new SimpleStringProperty("");
    private final ObservableList<String> metrics = FXCollections.observableArrayList();
    private final ObservableList<String> approaches = FXCollections.observableArrayList();
    private final ObservableList<String> ensembles = FXCollections.observableArrayList();
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty status = new SimpleStringProperty("");
    private TaskHandle task;
    private boolean loaded;

    public CalibrationViewModel(CalibrationService service, ComputeExecutor executor, DialogService dialogs,
                                WorkspaceModel workspace) {
        this.service = service;
        this.executor = executor;
        this.dialogs = dialogs;
        this.workspace = workspace;
        attack.addListener((o, a, b) -> loadAttack());
        workspace.folderProperty().addListener((o, a, b) -> {
            // nothing of the previous workspace stays on screen
            attack.set(null);
            outcome.set(null);
            attacks.clear();
            status.set("");
            reload();
        });
        // new V_atk sets or calibrations, made here or by another process, join the list
        workspace.revisionProperty().addListener((o, a, b) -> {
            if (loaded && !busy.get()) {
                reload();
            }
        });
        outcome.addListener((o, a, b) -> slices(b));
    }

    /** Lists the workspace's attacks once (first time the pane is shown). */
    public void ensureLoaded() {
        if (!loaded) {
            reload();
        }
    }

    /** Lists the attacks with a V_atk set or a calibration. */
    public void reload() {
        loaded = true;
        Path folder = workspace.folder();
        executor.submit(BackgroundTask.of("Listing calibrations", (p, c) ->
                        new Listed(service.attacks(folder), service.latest(folder).orElse(null)))
                .onSuccess(listed -> {
                    List<String> list = listed.attacks();
                    if (!list.equals(attacks)) {
                        attacks.setAll(list);
                    }
                    if (list.isEmpty()) {
                        attack.set(null);
                        status.set("No V_atk set in this workspace yet: generate one on the Attack tab "
                                + "(images from: validation).");
                    } else if (attack.get() == null || !list.contains(attack.get())) {
                        // the calibration deployment uses, so that the two panes open on the same one
                        attack.set(listed.latest() != null && list.contains(listed.latest()) ? listed.latest() : list.get(0));
                    }
                })
                .onFailure(e -> status.set(Errors.describe(e))));
    }

    private void loadAttack() {
        String a = attack.get();
        if (a == null) {
            return;
        }
        Path folder = workspace.folder();
        executor.submit(BackgroundTask.of("Reading calibration of " + a, (p, c) ->
                        new Stored(service.grid(folder, a), service.stored(folder, a)))
                .onSuccess(s -> {
                    setForm(s.grid());
                    outcome.set(s.outcome().orElse(null));
                    status.set(s.outcome().map(Outcome::summary).orElse("Not calibrated yet for " + a
                            + ": edit the grid C and press Run (Ctrl+R)."));
                })
                .onFailure(e -> status.set(Errors.describe(e))));
    }

    private record Listed(List<String> attacks, String latest) {
    }

    private record Stored(GridForm grid, Optional<Outcome> outcome) {
    }

    /**
     * Runs the calibration with the edited grid. When the attack is calibrated already, the user is asked first;
     * the replaced calibration stays in the workspace's history.
     */
    public void run() {
        run(Consent.ASK_FIRST);
    }

    private void run(Consent consent) {
        String a = attack.get();
        if (a == null) {
            status.set("No V_atk set to calibrate on: generate one on the Attack tab (images from: validation).");
            return;
        }
        if (task != null && !task.isDone()) {
            status.set("A calibration is running; cancel it first (Esc).");
            return;
        }
        GridForm form = form();
        Path folder = workspace.folder();
        busy.set(true);
        status.set("Calibrating on " + a + "…");
        task = executor.submit(BackgroundTask.of("Calibrating " + a, (p, c) ->
                        service.calibrate(folder, a, form, consent, p, c))
                .onProgress(pr -> status.set(pr.describe()))
                .onSuccess(o -> {
                    outcome.set(o);
                    status.set(o.summary());
                    workspace.touch();
                })
                .onCancelled(() -> status.set("Calibration cancelled; the stored C_best is unchanged."))
                .onFailure(e -> {
                    var refused = ReplaceQuestion.refusal(e);
                    if (refused.isPresent()) {
                        busy.set(false);
                        if (ReplaceQuestion.ask(dialogs, refused.get(), "a calibration over the grid as edited",
                                false) == ReplaceQuestion.Answer.REPLACE) {
                            run(Consent.REPLACE);
                        } else {
                            status.set("Nothing replaced: the stored C_best is unchanged.");
                        }
                        return;
                    }
                    status.set(Errors.describe(e));
                    dialogs.showError("Calibration failed", e);
                })
                .onFinished(() -> {
                    if (task == null || task.isDone()) {
                        busy.set(false);
                    }
                }));
    }

    /** Cancels a running calibration. */
    public void cancel() {
        if (task != null) {
            task.cancel();
        }
    }

    /** @return the grid as edited */
    public GridForm form() {
        return new GridForm(falsePositiveRates.get(), temperatures.get(), re.get(), jsd.get(), mta.get(), minTa.get(),
                ensembleSizes.get(), seed.get(), ensemblesPerCombination.get());
    }

    private void setForm(GridForm g) {
        falsePositiveRates.set(g.falsePositiveRates());
        temperatures.set(g.temperatures());
        re.set(g.re());
        jsd.set(g.jsd());
        mta.set(g.mta());
        minTa.set(g.minTa());
        ensembleSizes.set(g.ensembleSizes());
        seed.set(g.seed());
        ensemblesPerCombination.set(g.ensemblesPerCombination());
    }

    private void slices(Outcome o) {
        if (o == null) {
            return;
        }
        metrics.setAll(o.cells().stream().map(Cell::metric).distinct().toList());
        approaches.setAll(o.cells().stream().map(Cell::approach).distinct().toList());
        ensembles.setAll(o.cells().stream().map(Cell::ensemble).distinct().toList());
        // Show the best cell's slice first.
        metric.set(o.best().metric());
        approach.set(o.best().approach());
        ensemble.set(o.best().ensemble());
    }

    /** @return the t_fp values of the current result, ascending */
    public List<Double> falsePositiveAxis() {
        Outcome o = outcome.get();
        return o == null ? List.of() : o.cells().stream().map(Cell::falsePositiveRate).distinct().sorted().toList();
    }

    /** @return the T values of the heat map's metric (a single null for RE), ascending */
    public List<Double> temperatureAxis() {
        Outcome o = outcome.get();
        if (o == null) {
            return List.of();
        }
        List<Double> ts = new ArrayList<>(o.cells().stream().filter(c -> c.metric().equals(metric.get()))
                .map(Cell::temperature).distinct().toList());
        ts.sort(Comparator.nullsFirst(Comparator.naturalOrder()));
        return ts;
    }

    /** @return the cell at (t_fp, T) of the current slice, if the grid had it */
    public Optional<Cell> cell(double tfp, Double temperature) {
        Outcome o = outcome.get();
        if (o == null) {
            return Optional.empty();
        }
        return o.cells().stream().filter(c -> c.falsePositiveRate() == tfp
                && Objects.equals(c.temperature(), temperature) && c.metric().equals(metric.get())
                && c.approach().equals(approach.get()) && c.ensemble().equals(ensemble.get())).findFirst();
    }

    public ObservableList<String> attacks() {
        return attacks;
    }

    public StringProperty attackProperty() {
        return attack;
    }

    public StringProperty falsePositiveRatesProperty() {
        return falsePositiveRates;
    }

    public StringProperty temperaturesProperty() {
        return temperatures;
    }

    public BooleanProperty reProperty() {
        return re;
    }

    public BooleanProperty jsdProperty() {
        return jsd;
    }

    public BooleanProperty mtaProperty() {
        return mta;
    }

    public BooleanProperty minTaProperty() {
        return minTa;
    }

    public StringProperty ensembleSizesProperty() {
        return ensembleSizes;
    }

    public LongProperty seedProperty() {
        return seed;
    }

    public IntegerProperty ensemblesPerCombinationProperty() {
        return ensemblesPerCombination;
    }

    public ObjectProperty<Outcome> outcomeProperty() {
        return outcome;
    }

    public StringProperty metricProperty() {
        return metric;
    }

    public StringProperty approachProperty() {
        return approach;
    }

    /** @return the defense (and its ensemble sizes) of the heat map's slice */
    public StringProperty ensembleProperty() {
        return ensemble;
    }

    public ObservableList<String> metrics() {
        return metrics;
    }

    public ObservableList<String> approaches() {
        return approaches;
    }

    public ObservableList<String> ensembles() {
        return ensembles;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public StringProperty statusProperty() {
        return status;
    }
}
