package org.multimagnet.stage;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.Calibration;
import org.multimagnet.defense.CalibrationData;
import org.multimagnet.defense.CalibrationGrid;
import org.multimagnet.defense.CalibrationResult;
import org.multimagnet.workspace.AttackSetStore;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.Consent;
import org.multimagnet.workspace.Workspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The calibration stage (paper §4.1) for one attack, as both the command line and the workbench run it: which grid
 * C applies, the checks that come before any forward pass, and the run itself.
 *
 * <p>The grid is the one given (a file, or one edited in a form), else the workspace's stored grid for the attack,
 * else the built-in example trimmed to the sizes S can hold. Every grid, however it came, is refused before the
 * models' forward passes when it asks for an ensemble larger than S.
 */
public final class CalibrateStage {

    /**
     * What to calibrate.
     *
     * @param workspace  the workspace folder W
     * @param attack     the attack whose V_atk is calibrated against
     * @param gridFile   the grid file C to read, or null
     * @param grid       a grid given as is (edited in a form), or null; at most one of {@code gridFile} and
     *                   {@code grid}; with neither, the stored grid or the trimmed example applies
     * @param seed       the seed of the ensemble draws, replacing the grid's own; null keeps the grid's
     * @param exportMarks where to write every mark computed on V as CSV, or null
     * @param consent    whether a calibration the attack has may be replaced
     * @param markSample images of V_leg and of V_atk whose marks under C_best the result carries (0 for none): a
     *                   display sample, not the grid's V
     */
    public record Request(Path workspace, String attack, Path gridFile, CalibrationGrid grid, Long seed,
                          Path exportMarks, Consent consent, int markSample) {
        public Request {
            Objects.requireNonNull(workspace, "workspace");
            Objects.requireNonNull(attack, "attack");
            Objects.requireNonNull(consent, "consent");
            if (gridFile != null && grid != null) {
                throw new IllegalArgumentException("a grid file or a grid, not both");
            }
            if (markSample < 0) {
                throw new IllegalArgumentException("markSample " + markSample + " < 0");
            }
        }
    }

    /**
     * Marks of one member on the displayed sample of V for C_best's metric.
     *
     * @param legitimate  marks of the V_leg sample
     * @param adversarial marks of the V_atk sample
     * @param threshold   the member's threshold under C_best
     */
    public record MemberMarks(double[] legitimate, double[] adversarial, double threshold) {
    }

    /**
     * A calibration as written.
     *
     * @param calibration the grid's rows, each defense's C_best and the timings
     * @param grid        the grid that ran (seed included), as recorded in grid.json
     * @param folder      {@code W/calibration/<attack>}
     * @param marks       per member id, the marks of the sample of V (empty when none was asked for)
     */
    public record Result(CalibrationResult calibration, CalibrationGrid grid, Path folder,
                         Map<Integer, MemberMarks> marks) {
        public Result {
            marks = Map.copyOf(marks);
        }
    }

    private final WorkspaceModels models;

    /** The stage over the workspace's model files. */
    public CalibrateStage() {
        this(WorkspaceModels.fromFiles());
    }

    /** @param models where F, S and the dataset come from */
    public CalibrateStage(WorkspaceModels models) {
        this.models = Objects.requireNonNull(models, "models");
    }

    /** @return the attacks the workspace holds a V_atk set or a calibration for, sorted */
    public static List<String> attacks(Path workspace) {
        TreeSet<String> out = new TreeSet<>(new CalibrationStore(workspace).calibratedAttacks());
        out.addAll(AttackSetStore.attacks(workspace, "validation"));
        return List.copyOf(out);
    }

    /**
     * @return the grid a calibration of {@code attack} runs when none is given: the stored one, else the example
     *         trimmed to the sizes S holds
     */
    public CalibrationGrid defaultGrid(Path workspace, String attack) {
        return new CalibrationStore(workspace).readGrid(attack)
                .orElseGet(() -> CalibrationGrid.example().forRepositorySize(models.repositorySize(workspace)));
    }

    /**
     * Runs the calibration and writes grid.json, grid-results.json and both C_best files. The lock, the V_atk set,
     * the grid and the consent are checked in that order, each before any model is loaded.
     *
     * @throws UserException naming the bad grid field, file or missing input
     * @throws org.multimagnet.workspace.ReplacementRefused when the attack is calibrated and consent is asking
     */
    public Result run(Request r, ProgressListener progress, Cancellation cancellation) {
        CalibrationStore store = new CalibrationStore(r.workspace());
        store.folder(r.attack()); // checks the name: it becomes part of paths
        // the lock (and finishing saves killed earlier) comes before any work, so that a second calibration is
        // refused at once rather than after its whole grid
        Workspace.lockForWriting(r.workspace());
        store.requireValidationSet(r.attack());
        Path gridFile = r.gridFile() != null ? r.gridFile() : store.folder(r.attack()).resolve(CalibrationStore.GRID);
        CalibrationGrid c = r.grid() != null ? r.grid() : r.gridFile() != null ? CalibrationStore.readGrid(r.gridFile())
                : store.readGrid(r.attack()).orElse(null);
        boolean fromFile = r.grid() == null && c != null;
        store.requireConsent(r.attack(), r.consent()); // after the grid is read: a bad grid is named first
        WorkspaceModels.Models m = models.load(r.workspace(), true);
        int size = m.repository().size();
        if (c == null) {
            c = CalibrationGrid.example().forRepositorySize(size);
        }
        for (int n : c.ensembleSizes()) {
            if (n > size) {
                String problem = tooLarge(n, size);
                throw fromFile ? UserException.badFile(gridFile, problem) : new UserException(problem);
            }
        }
        if (r.seed() != null) {
            c = c.withSeed(r.seed());
        }
        CalibrationResult result = store.calibrate(r.attack(), m.classifier(), m.repository(), m.dataset(), c,
                m.checksums(), r.exportMarks(), r.consent(), progress, cancellation);
        Map<Integer, MemberMarks> marks = r.markSample() == 0 ? Map.of()
                : sample(store, r.attack(), m, result.cBest(), r.markSample(), cancellation);
        return new Result(result, c, store.folder(r.attack()), marks);
    }

    /** The one wording of a grid S cannot hold, whichever face ran the calibration. */
    static String tooLarge(int n, int m) {
        return "ensembleSizes: " + n + " is larger than the repository S (m = " + m + " autoencoders)";
    }

    /** Marks of a sample of V for C_best's metric: the grid's own pass over all of V is not kept. */
    private static Map<Integer, MemberMarks> sample(CalibrationStore store, String attack, WorkspaceModels.Models m,
                                                    CBest best, int count, Cancellation cancellation) {
        CalibrationStore.ValidationSet v = store.validationSet(attack, m.dataset());
        long n = Math.min(count, Math.min(v.vLeg().size(0), v.vAtk().size(0)));
        INDArray leg = v.vLeg().get(NDArrayIndex.interval(0, n));
        INDArray adv = v.vAtk().get(NDArrayIndex.interval(0, n));
        CalibrationData data = Calibration.observe(m.classifier(), m.repository(), leg, adv, ProgressListener.NONE,
                cancellation);
        double[][] marks = data.marks(best.combination().metric(), best.combination().temperature());
        Map<Integer, MemberMarks> byId = new LinkedHashMap<>();
        for (int i = 0; i < m.repository().size(); i++) {
            int id = m.repository().get(i).id();
            byId.put(id, new MemberMarks(Arrays.copyOfRange(marks[i], 0, (int) n),
                    Arrays.copyOfRange(marks[i], (int) n, marks[i].length), best.thresholdOf(id)));
        }
        return byId;
    }
}
