package org.multimagnet.attack;

import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.data.Dataset;
import org.multimagnet.nn.Classifier;

/**
 * An untargeted white-box attack on the application classifier F (paper §2.2): turns legitimate images into
 * adversarial ones, D_leg into D_atk.
 *
 * <p>Implementations extend {@link AttackTemplate}, which fixes the contract: the input is never modified, the
 * output lies in [0,1] (and in the ε-ball for fixed-ε attacks), every image is attacked (away from F's prediction
 * by default, see {@link AttackLabels}), and success is decided by a fresh forward pass of F on the final image.
 */
public interface Attack {

    /** @return the attack's short name as used on the command line and in folder names: fgsm, bim, deepfool, cw */
    String name();

    /** @return the validated parameter record (e.g. {@link BimParams}), serialised into manifests as is */
    Record params();

    /**
     * Attacks every image of {@code images} away from F's own prediction ({@link AttackLabels#PREDICTED}).
     *
     * @see #run(Classifier, Dataset, AttackLabels, int, ProgressListener, Cancellation)
     */
    default AttackOutcome run(Classifier f, Dataset images, int batchSize, ProgressListener progress,
                              Cancellation cancel) {
        return run(f, images, AttackLabels.PREDICTED, batchSize, progress, cancel);
    }

    /**
     * Attacks every image of {@code images}, {@code batchSize} at a time.
     *
     * @param f         the classifier attacked (white-box)
     * @param images    the source images, shape {@code f.inputShape()}, pixels in [0,1], with their true labels
     * @param awayFrom  which label each image is moved away from (and success decided against)
     * @param batchSize images per batch, at least 1
     * @param progress  told after every batch (images done of images in all)
     * @param cancel    checked between batches and between iterations
     * @return the adversarial images, a result per image and the summary
     * @throws IllegalArgumentException when shapes, labels or pixel ranges do not fit F
     * @throws java.util.concurrent.CancellationException when cancelled
     */
    AttackOutcome run(Classifier f, Dataset images, AttackLabels awayFrom, int batchSize, ProgressListener progress,
                      Cancellation cancel);
}
