package org.multimagnet.ui.attack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.data.ImageShape;
import org.multimagnet.workspace.Consent;

/**
 * What the attack pane needs from the engine: the attacks, their Table 1 defaults, and generating a set against
 * the workspace's classifier F (stored with {@code workspace.AttackSetStore}). Runs on the compute thread.
 */
public interface AttackService {
    /** @return the attack names: fgsm, bim, deepfool, cw */
    List<String> attacks();

    /**
     * @return the attack's parameters with the paper's defaults (Table 1) for the workspace's kind of images, in the
     *     parameter record's order, as text
     */
    Map<String, String> defaults(Path workspace, String attack);

    /**
     * Attacks {@code count} images of the split drawn with {@code seed}, and stores the set in the workspace.
     *
     * @param split   {@code test} (D_atk) or {@code validation} (V_atk)
     * @param consent whether the workspace's set may be replaced (the replaced one is kept in its history)
     * @param scratch save under {@code W/scratch/} instead, replacing nothing
     * @throws org.multimagnet.common.UserException for a bad parameter (naming it) or a missing classifier
     * @throws org.multimagnet.workspace.ReplacementRefused before the attack, when the set exists and
     *                                                      {@code consent} does not allow replacing it
     */
    AttackRun generate(Path workspace, String attack, Map<String, String> params, String split, int count, long seed,
                       Consent consent, boolean scratch, ProgressListener progress, Cancellation cancellation);

    /**
     * Reads a set the workspace already holds ({@code W/attacks/<attack>-<split>/}) as the pane shows a generated one.
     *
     * @return the set, or empty when the workspace holds none for this attack and split
     */
    java.util.Optional<AttackRun> stored(Path workspace, String attack, String split);

    /**
     * Attacks one image with the workspace's classifier F and returns the adversarial image; nothing is stored.
     *
     * @param image the source image, CHW, in the workspace's image shape
     * @param label its true label, or -1 when unknown
     * @throws org.multimagnet.common.UserException for a bad parameter or a missing classifier
     */
    float[] attackOne(Path workspace, String attack, Map<String, String> params, float[] image, ImageShape shape,
                      int label);

    /**
     * Attacks one image with an attacker that knows the defense (white-box: S, the thresholds and the vote rule, not
     * the draw), as {@code adaptive} does, and scores the result exactly over every draw of the defender's ensemble.
     * Nothing is stored.
     *
     * @param image the source image, CHW, in the workspace's image shape
     * @param label its true label, or -1 when unknown (F's prediction on it is then taken as the right class)
     * @throws org.multimagnet.common.UserException for a bad setting (naming it), a missing classifier, members or
     *                                              calibration
     */
    AdaptiveOne adaptiveOne(Path workspace, AdaptiveRequest request, float[] image, ImageShape shape, int label,
                            ProgressListener progress, Cancellation cancellation);

    /**
     * The adaptive attack's settings for one image.
     *
     * @param defense multimagnet or magnet: whose C_best is attacked
     * @param method  all-members or eot
     * @param norm    l2 or linf
     * @param eps     the budget ε
     * @param steps   PGD steps
     * @param draws   eot: ensembles drawn per step
     * @param seed    eot's draws
     */
    record AdaptiveRequest(String defense, String method, String norm, double eps, int steps, int draws, long seed) {
    }

    /**
     * One image attacked adaptively, as the defense sees it.
     *
     * @param adversarial the attacked image, CHW
     * @param shape       its shape
     * @param label       the class counted as right (the true label, or F's prediction on the source)
     * @param before      F's class of the source image
     * @param after       F's class of the attacked image, without the defense
     * @param sizes       the ensemble sizes the defense draws n from
     * @param accepted    the probability that a drawn ensemble accepts the attacked image (the share of all possible
     *                    ensembles, averaged over the sizes)
     * @param defended    the probability that it is rejected, or accepted and classified right after reform
     * @param l2          ‖x′ − x‖₂
     * @param linf        ‖x′ − x‖_∞
     * @param attacked    what was attacked, as text (defense and its C_best, method, norm, ε, steps)
     * @param seconds     wall time
     */
    record AdaptiveOne(float[] adversarial, ImageShape shape, int label, int before, int after, List<Integer> sizes,
                       double accepted, double defended, double l2, double linf, String attacked, double seconds) {
        public AdaptiveOne {
            sizes = List.copyOf(sizes);
        }
    }

    /**
     * A generated set, as plain arrays.
     *
     * @param attack       the attack
     * @param params       its parameters as used
     * @param shape        image shape
     * @param classNames   class names
     * @param originals    the source images, N·C·H·W
     * @param adversarial  the attacked images, N·C·H·W
     * @param labels       true labels
     * @param before       F's predictions on the originals
     * @param after        F's predictions on the adversarial images (fresh forward pass)
     * @param success      whether the attack fooled F on each image
     * @param l2           per-image L2 distortion
     * @param linf         per-image L∞ distortion
     * @param successRate  successes / images attacked (all of them)
     * @param accuracyAfter F's accuracy on the adversarial images
     * @param seconds      wall time
     * @param savedTo      the set's folder in the workspace
     */
    record AttackRun(String attack, String params, ImageShape shape, List<String> classNames, float[] originals,
                     float[] adversarial, int[] labels, int[] before, int[] after, boolean[] success, double[] l2,
                     double[] linf, double successRate, double accuracyAfter, double seconds, Path savedTo) {
        public AttackRun {
            classNames = List.copyOf(classNames);
        }

        /** @return N */
        public int size() {
            return labels.length;
        }
    }
}
