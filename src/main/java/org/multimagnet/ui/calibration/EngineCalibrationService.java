package org.multimagnet.ui.calibration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.CalibrationGrid;
import org.multimagnet.defense.Combination;
import org.multimagnet.defense.GridRow;
import org.multimagnet.defense.MemberThreshold;
import org.multimagnet.defense.MetricName;
import org.multimagnet.defense.ThresholdApproach;
import org.multimagnet.stage.CalibrateStage;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.Consent;
import org.multimagnet.workspace.GridResults;
import org.multimagnet.defense.CalibrationResult;

/**
 * {@link CalibrationService} over the calibration stage ({@link CalibrateStage}, which the command line runs too)
 * and {@link CalibrationStore}'s stored results. Grid text is parsed here into the engine's {@link CalibrationGrid}, whose own checks
 * name a bad field.
 */
public final class EngineCalibrationService implements CalibrationService {
    /** Images of V_leg and of V_atk whose marks the distribution chart shows (a display sample, not the grid's V). */
    static final int MARK_SAMPLE = 500;

    private final CalibrateStage stage;

    /** The service over the workspace's model files. */
    public EngineCalibrationService() {
        this(new CalibrateStage());
    }

    /** @param stage the calibration stage the command line runs too */
    public EngineCalibrationService(CalibrateStage stage) {
        this.stage = stage;
    }

    @Override
    public List<String> attacks(Path workspace) {
        return CalibrateStage.attacks(workspace);
    }

    @Override
    public java.util.Optional<String> latest(Path workspace) {
        CalibrationStore store = new CalibrationStore(workspace);
        if (store.calibratedAttacks().isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(store.current(null).attack());
        } catch (org.multimagnet.common.UserException e) {
            return java.util.Optional.empty();
        }
    }

    /** The grid the command line would run for the attack, so that the form starts from the same one. */
    @Override
    public GridForm grid(Path workspace, String attack) {
        return toForm(stage.defaultGrid(workspace, attack));
    }

    @Override
    public Outcome calibrate(Path folder, String attack, GridForm form, Consent consent, ProgressListener progress,
                             Cancellation cancellation) {
        CalibrationGrid grid = toGrid(form); // names a bad field before any model is loaded
        CalibrateStage.Result r = stage.run(new CalibrateStage.Request(folder, attack, null, grid, null, null, consent,
                MARK_SAMPLE), progress, cancellation);
        CalibrationResult c = r.calibration();
        CBest best = c.cBest();
        Map<Integer, Marks> byId = new java.util.HashMap<>();
        r.marks().forEach((id, m) -> byId.put(id, new Marks(m.legitimate(), m.adversarial(), m.threshold())));
        return outcome(attack, c.rows(), c.best(), byId, String.format("Calibrated %d combinations on |V_leg| = %,d + "
                        + "|V_atk| = %,d in %.1f s (forward passes %.1f s). Saved to %s.", c.rows().size(),
                best.vLegCount(), best.vAtkCount(), c.timing().forwardPassSeconds() + c.timing().gridSeconds(),
                c.timing().forwardPassSeconds(), r.folder()));
    }

    @Override
    public Optional<Outcome> stored(Path workspace, String attack) {
        CalibrationStore store = new CalibrationStore(workspace);
        Optional<CBest> best = store.readCBest(attack);
        Optional<CBest> magnet = store.readCBest(attack, org.multimagnet.defense.DefenseKind.MAGNET);
        Optional<GridResults> rows = store.readGridResults(attack);
        if (best.isEmpty() || rows.isEmpty()) {
            return Optional.empty();
        }
        List<CBest> bests = new ArrayList<>(List.of(best.get()));
        magnet.filter(m -> !m.equals(best.get())).ifPresent(bests::add);
        return Optional.of(outcome(attack, rows.get().rows(), bests, Map.of(),
                "Stored calibration of " + attack + " from " + best.get().createdAt() + " (|V_leg| = "
                        + best.get().vLegCount() + ", |V_atk| = " + best.get().vAtkCount() + ")."));
    }

    /** Builds the pane's outcome from the engine's rows and C_best. */
    /** @param bests the C_best of each defense calibrated, the one whose thresholds the pane lists first */
    static Outcome outcome(String attack, List<GridRow> rows, List<CBest> bests, Map<Integer, Marks> marks,
                           String summary) {
        CBest best = bests.get(0);
        List<Cell> cells = rows.stream().map(r -> cell(r.combination(), r.acc(), r.ppv(), r.npv())).toList();
        Map<Integer, Double> tau = new LinkedHashMap<>();
        for (MemberThreshold t : best.thresholds()) {
            tau.put(t.id(), t.threshold());
        }
        List<Cell> others = bests.subList(1, bests.size()).stream()
                .map(b -> cell(b.combination(), b.acc(), b.ppv(), b.npv())).toList();
        return new Outcome(attack, cells, cell(best.combination(), best.acc(), best.ppv(), best.npv()), tau, marks,
                summary, others);
    }

    static Cell cell(Combination c, double acc, double ppv, double npv) {
        return new Cell(c.falsePositiveRate(), c.temperature(), c.metric().name(), approachName(c.approach()),
                ensembleLabel(c), acc, ppv, npv);
    }

    /** @return the defense and its sizes as the pane shows them */
    static String ensembleLabel(Combination c) {
        return c.ensembleSizes().size() == 1 ? c.defense().displayName() + ", n = " + c.sizesLabel()
                : c.defense().displayName() + ", n ∈ {" + c.sizesLabel() + "}";
    }

    static String approachName(ThresholdApproach a) {
        return a.paperName();
    }

    static GridForm toForm(CalibrationGrid g) {
        return new GridForm(join(g.falsePositiveRates()), join(g.temperatures()), g.metrics().contains(MetricName.RE),
                g.metrics().contains(MetricName.JSD), g.approaches().contains(ThresholdApproach.MTA),
                g.approaches().contains(ThresholdApproach.MIN_TA), join(g.ensembleSizes()), g.seed(),
                g.ensemblesPerCombination());
    }

    /**
     * @throws UserException naming the field whose text is not a list of numbers
     * @throws IllegalArgumentException from {@link CalibrationGrid}'s own checks, naming the field
     */
    public static CalibrationGrid toGrid(GridForm f) {
        List<MetricName> metrics = new ArrayList<>();
        if (f.re()) {
            metrics.add(MetricName.RE);
        }
        if (f.jsd()) {
            metrics.add(MetricName.JSD);
        }
        List<ThresholdApproach> approaches = new ArrayList<>();
        if (f.mta()) {
            approaches.add(ThresholdApproach.MTA);
        }
        if (f.minTa()) {
            approaches.add(ThresholdApproach.MIN_TA);
        }
        List<Double> temps = f.jsd() ? doubles("temperatures", f.temperatures()) : List.of();
        return new CalibrationGrid(doubles("falsePositiveRates", f.falsePositiveRates()), temps, metrics, approaches,
                doubles("ensembleSizes", f.ensembleSizes()).stream().map(d -> {
                    if (d != Math.rint(d)) {
                        throw new UserException("ensembleSizes: " + d + " is not a whole number");
                    }
                    return (int) Math.round(d);
                }).toList(), f.seed(), f.ensemblesPerCombination());
    }

    private static List<Double> doubles(String field, String text) {
        List<Double> out = new ArrayList<>();
        for (String part : (text == null ? "" : text).split("[,;\\s]+")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                out.add(Double.parseDouble(part.trim()));
            } catch (NumberFormatException e) {
                throw new UserException(field + ": '" + part.trim() + "' is not a number (expected a comma-separated "
                        + "list such as 0.001, 0.01)");
            }
        }
        return out;
    }

    private static String join(List<? extends Number> values) {
        return values.stream().map(v -> v instanceof Double d && d == Math.rint(d) && Math.abs(d) >= 1
                ? String.valueOf(d.longValue()) : String.valueOf(v)).collect(Collectors.joining(", "));
    }
}
