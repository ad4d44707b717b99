package org.multimagnet.ui.deployment;

import java.nio.file.Path;
import java.util.List;
import org.multimagnet.data.ImageShape;

/**
 * What the deployment pane needs from the engine (defense deployment over a workspace's models and C_best).
 * Every method runs on the compute thread and returns plain values.
 */
public interface DeploymentService {

    /**
     * Loads the classifier F, the repository S and the calibrated thresholds of {@code workspace} (lazily, once).
     *
     * @param attack     the calibration (by the attack it was made on) to deploy with; null for the most recent one
     * @param allowStale decide with a calibration made with models that changed since (the setup then carries the
     *                   warning); otherwise such a calibration is refused
     * @throws org.multimagnet.common.UserException when an artifact is missing, naming it and the command that makes
     *                                              it, or when the calibration is stale and not allowed
     */
    Setup open(Path workspace, String attack, boolean allowStale);

    /** Opens {@code workspace} with a calibration, refusing a stale one ({@link #open(Path, String, boolean)}). */
    default Setup open(Path workspace, String attack) {
        return open(workspace, attack, false);
    }

    /** Opens {@code workspace} with its most recent calibration ({@link #open(Path, String)} with null). */
    default Setup open(Path workspace) {
        return open(workspace, null);
    }

    /**
     * Reads an image file and fits it to the models' input shape (grey/colour, size).
     *
     * @return the fitted pixels and, in words, each conversion that made them fit (empty when none was needed)
     * @throws org.multimagnet.common.UserException naming the file when it is not a readable image
     */
    org.multimagnet.data.ImageFiles.LoadedImage readImage(Path file, ImageShape shape);

    /** The ensemble size that means "drawn per image from C_best's sizes", as deployment draws it (paper §4.2.1). */
    int DRAWN = 0;

    /**
     * Draws an ensemble of {@code ensembleSize} members ({@link #DRAWN}: n drawn first) with {@code seed}, lets each
     * vote on {@code image}, and reforms it when the majority votes legitimate (paper §4.2).
     */
    Result classify(float[] image, int ensembleSize, long seed);

    /**
     * How many of all the possible ensembles of each size accept {@code image}, exactly (from every member's vote,
     * not sampled): the share the defense's own draw of R accepts it with.
     *
     * @param sizes the ensemble sizes asked for (odd, ≤ m)
     * @return one row per size, in the order asked; empty when the service cannot tell
     */
    default List<Acceptance> acceptance(float[] image, List<Integer> sizes) {
        return List.of();
    }

    /**
     * The ensembles of one size that accept an image.
     *
     * @param n          the ensemble size
     * @param accepting  how many of them accept it
     * @param ensembles  C(m, n)
     */
    record Acceptance(int n, long accepting, long ensembles) {
        /** @return accepting / ensembles */
        public double share() {
            return (double) accepting / ensembles;
        }
    }

    /** @return D = D_leg ∪ D_atk of the calibrated attack, for stream mode */
    StreamSet streamSet();

    /**
     * What the workspace offers.
     *
     * @param shape          the models' input shape
     * @param classNames     F's classes
     * @param repositorySize m = |S|
     * @param ensembleSizes  the allowed n (odd, ≤ m), {@link #DRAWN} first when C_best draws n from several sizes
     * @param defaultSize    the n the pane opens with: {@link #DRAWN} when C_best draws n, else its n
     * @param description    e.g. "RE · MTA · t_fp 0.001 · calibrated on fgsm"
     * @param terms          C_best's combination term by term, for the pane's header
     * @param attack         the attack whose calibration is used
     * @param calibrations   every attack the workspace holds a calibration for (the pane's picker)
     * @param models         which models decide, e.g. "F + S (10 members), newest ae-03 trained 2026-12-03 14:02"
     * @param warning        the warning of a stale calibration used anyway, in the command line's words; empty
     *                       when the calibration was made with the models it decides with
     */
    record Setup(ImageShape shape, List<String> classNames, int repositorySize, List<Integer> ensembleSizes,
                 int defaultSize, String description, Terms terms, String attack, List<String> calibrations,
                 String models, String warning) {
        public Setup {
            classNames = List.copyOf(classNames);
            ensembleSizes = List.copyOf(ensembleSizes);
            calibrations = List.copyOf(calibrations);
            warning = warning == null ? "" : warning;
        }
    }

    /**
     * C_best's combination (paper §4.1.2) as the header shows it.
     *
     * @param metric            RE or JSD
     * @param temperature       T of JSD, null for RE
     * @param approach          MTA or minTA
     * @param falsePositiveRate t_fp
     * @param sizes             the n drawn from, e.g. "3,5,7,9", or "1" for MagNet
     */
    record Terms(String metric, Double temperature, String approach, double falsePositiveRate, String sizes) {
        /** @return the sizes n is drawn from, as numbers */
        public List<Integer> drawnSizes() {
            return java.util.Arrays.stream(sizes.split(",")).map(String::strip).map(Integer::valueOf).toList();
        }
    }

    /**
     * One member's vote.
     *
     * @param id             the member's id in S
     * @param structure      its architecture, e.g. {@code [3, avg, 3]}
     * @param reconstruction a(x), CHW
     * @param mark           its mark of x (RE or JSD)
     * @param threshold      its threshold
     * @param legitimate     its vote: mark ≤ threshold
     */
    record MemberVote(int id, String structure, float[] reconstruction, double mark, double threshold,
                      boolean legitimate) {
    }

    /**
     * The ensemble's answer.
     *
     * @param seed          the seed that drew the ensemble
     * @param members       the drawn members' votes
     * @param legitimate    the majority verdict
     * @param reformed      the reformed image, or null when rejected
     * @param reformerId    the member that reformed it, or -1
     * @param before        F's class probabilities on x
     * @param after         F's class probabilities on the reformed image, or null when rejected
     */
    record Result(long seed, List<MemberVote> members, boolean legitimate, float[] reformed, int reformerId,
                  float[] before, float[] after) {
        public Result {
            members = List.copyOf(members);
        }

        /** @return how many members voted legitimate */
        public int legitimateVotes() {
            return (int) members.stream().filter(MemberVote::legitimate).count();
        }
    }

    /**
     * Images to stream through the defense.
     *
     * @param pixels      N images, CHW each
     * @param shape       their shape
     * @param adversarial whether each is from D_atk
     * @param labels      their true labels
     * @param description e.g. "D = 2,000 legitimate + 2,000 fgsm"
     */
    record StreamSet(float[] pixels, ImageShape shape, boolean[] adversarial, int[] labels, String description) {
        /** @return N */
        public int size() {
            return adversarial.length;
        }
    }
}
