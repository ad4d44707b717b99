package org.multimagnet.ui.calibration;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.multimagnet.common.Cancellation;
import org.multimagnet.workspace.Consent;
import org.multimagnet.common.ProgressListener;

/**
 * What the calibration pane needs from the engine (defense.Calibration, workspace.CalibrationStore): the grid C,
 * running the calibration on V = V_leg ∪ V_atk, and its stored results. Runs on the compute thread.
 */
public interface CalibrationService {

    /** @return the attacks the workspace holds a V_atk set or a calibration for */
    List<String> attacks(Path workspace);

    /** @return the attack of the workspace's most recent calibration (the one deployment uses), if any */
    default Optional<String> latest(Path workspace) {
        return Optional.empty();
    }

    /** @return the stored grid C for the attack, or the engine's example grid */
    GridForm grid(Path workspace, String attack);

    /**
     * Runs the calibration over the grid, stores grid.json, cbest.json and grid-results.json; the calibration it
     * replaces is kept in the workspace's history.
     *
     * @param consent whether a calibration the attack has may be replaced
     * @throws org.multimagnet.common.UserException naming the bad grid field, or a missing model / V_atk
     * @throws org.multimagnet.workspace.ReplacementRefused before any forward pass, when the attack is calibrated
     *                                                      and {@code consent} does not allow replacing it
     */
    Outcome calibrate(Path workspace, String attack, GridForm grid, Consent consent, ProgressListener progress,
                      Cancellation cancellation);

    /** @return the stored results of an earlier calibration (no mark distributions), if any */
    Optional<Outcome> stored(Path workspace, String attack);

    /**
     * The file C as text fields, as the user edits them.
     *
     * @param falsePositiveRates      T_fp, comma-separated, e.g. {@code 0.001, 0.005, 0.01}
     * @param temperatures            K, comma-separated (JSD only)
     * @param re                      include RE
     * @param jsd                     include JSD
     * @param mta                     include MTA
     * @param minTa                   include minTA
     * @param ensembleSizes           the n MultiMagNet draws from, comma-separated, odd (MagNet's n = 1 is always
     *                                calibrated)
     * @param seed                    seed of the ensemble draws
     * @param ensemblesPerCombination random ensembles per combination
     */
    record GridForm(String falsePositiveRates, String temperatures, boolean re, boolean jsd, boolean mta,
                    boolean minTa, String ensembleSizes, long seed, int ensemblesPerCombination) {
    }

    /**
     * One combination's result (paper Eq. 8, 9).
     *
     * @param falsePositiveRate t_fp
     * @param temperature       T for JSD, null for RE
     * @param metric            RE or JSD
     * @param approach          MTA or minTA
     * @param ensemble          the defense and its ensemble sizes, e.g. "MultiMagNet, n ∈ {3,5,7,9}"
     * @param acc               ACC
     * @param ppv               the paper's PPV (detection rate)
     * @param npv               the paper's NPV (legitimate images accepted)
     */
    record Cell(double falsePositiveRate, Double temperature, String metric, String approach, String ensemble,
                double acc, double ppv, double npv) {
    }

    /**
     * Marks of one member on V_leg and V_atk for the best (metric, T).
     *
     * @param legitimate    marks of V_leg
     * @param adversarial   marks of V_atk
     * @param threshold     the member's threshold at the best t_fp
     */
    record Marks(double[] legitimate, double[] adversarial, double threshold) {
    }

    /**
     * A calibration's result.
     *
     * @param attack     the attack V_atk was made with
     * @param cells      every combination
     * @param best       C_best
     * @param thresholds τ_i of every member of S for C_best, by id
     * @param marks      per member id, the marks of V for C_best's metric (empty when read from disk)
     * @param summary    one line (sizes, times)
     * @param otherBests the C_best of each other defense calibrated (MagNet's beside MultiMagNet's), starred too
     */
    record Outcome(String attack, List<Cell> cells, Cell best, Map<Integer, Double> thresholds,
                   Map<Integer, Marks> marks, String summary, List<Cell> otherBests) {
        public Outcome {
            cells = List.copyOf(cells);
            otherBests = otherBests == null ? List.of() : List.copyOf(otherBests);
            thresholds = Map.copyOf(thresholds);
            marks = Map.copyOf(marks);
        }
    }
}
