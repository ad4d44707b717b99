package org.multimagnet.attack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.ImageShape;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one template every attack follows (after Foolbox's attack base class, {@code attacks/base.py}): a subclass
 * writes only {@link #perturb}; everything the field's most reported attack bugs come from is decided here.
 *
 * <ul>
 *   <li>shapes, labels and the [0,1] range of the input are checked;</li>
 *   <li>the input is copied and never modified;</li>
 *   <li>every image is attacked, those F already misclassifies included (ART, which the authors used, does the same),
 *       away from the label {@link AttackLabels} chooses: by default F's own prediction on the clean image, from a
 *       fresh forward pass, else the true label;</li>
 *   <li>the final images are clipped to [0,1] and, for {@link FixedEpsilonAttack}s, to the ε-ball, exactly in
 *       float32 (subclasses clip after every step as well);</li>
 *   <li>success is decided by a fresh forward pass of F on the final images, never by the attack's own
 *       bookkeeping: F's prediction differs from the label the attack moved away from (paper §2.3,
 *       {@code F(x) ≠ F(x')}, for the default);</li>
 *   <li>a final image equal to its source bit for bit (an attack that failed, a gradient of exactly 0) is flagged
 *       {@code unchanged} and counted, since such a pair cannot be told apart by any detector;</li>
 *   <li>sets are attacked batch by batch, with progress and cancellation between batches.</li>
 * </ul>
 *
 * <p>Extend {@link FixedEpsilonAttack} or {@link MinimizationAttack}, not this class directly.
 */
public abstract class AttackTemplate implements Attack {

    AttackTemplate() {
        // the two bases in this package are the only direct subclasses
    }

    /**
     * The perturbation itself, untargeted: moves each image away from its entry in {@code labels}. Those are F's
     * predictions on {@code x0} or the true labels (see {@link AttackLabels}); with true labels F may already
     * disagree with some of them.
     *
     * @param f      the classifier
     * @param x0     {@code n·C·H·W} clean pixels in [0,1]; the subclass may not modify them
     * @param n      number of images, at least 1
     * @param labels the labels to move away from, length n, each in [0, K)
     * @param cancel to check between iterations
     * @return the perturbed images and the iterations spent on each
     */
    protected abstract Perturbation perturb(Classifier f, float[] x0, int n, int[] labels, Cancellation cancel);

    /**
     * Brings {@code x} back into the attack's feasible set: [0,1], and for fixed-ε attacks the ε-ball around
     * {@code x0}. Called by subclasses after every step and by the template on the final images.
     *
     * @param x  images to fix, modified in place
     * @param x0 the clean images
     */
    protected abstract void enforceBounds(float[] x, float[] x0);

    /**
     * What {@link #perturb} returns.
     *
     * @param images     {@code n·C·H·W} perturbed pixels
     * @param iterations gradient steps spent per image
     */
    protected record Perturbation(float[] images, int[] iterations) {
    }

    /**
     * Attacks one batch away from F's predictions ({@link AttackLabels#PREDICTED}).
     *
     * @see #attack(Classifier, INDArray, int[], AttackLabels, Cancellation)
     */
    public final BatchResult attack(Classifier f, INDArray x, int[] labels, Cancellation cancel) {
        return attack(f, x, labels, AttackLabels.PREDICTED, cancel);
    }

    /**
     * Attacks one batch.
     *
     * @param f       the classifier
     * @param x       {@code [N, C, H, W]} with {@code [C, H, W] = f.inputShape()}, values in [0,1]; not modified
     * @param labels  the true labels, length N, each in [0, K)
     * @param awayFrom which label each image is moved away from
     * @param cancel  checked between iterations
     * @return raw and final images and a result per image
     * @throws IllegalArgumentException naming the offending shape, label or value
     */
    public final BatchResult attack(Classifier f, INDArray x, int[] labels, AttackLabels awayFrom,
                                    Cancellation cancel) {
        ImageShape shape = f.inputShape();
        long[] expected = shape.batch(labels.length);
        if (!Arrays.equals(x.shape(), expected)) {
            throw new IllegalArgumentException(name() + ": images of shape " + Arrays.toString(x.shape())
                    + " for " + labels.length + " labels; F expects " + Arrays.toString(expected));
        }
        return attack(f, Tensors.floats(x), labels, awayFrom, cancel);
    }

    @Override
    public final AttackOutcome run(Classifier f, Dataset images, AttackLabels awayFrom, int batchSize,
                                   ProgressListener progress, Cancellation cancel) {
        Objects.requireNonNull(awayFrom, "awayFrom");
        if (batchSize < 1) {
            throw new IllegalArgumentException(name() + ": batch size must be at least 1, got " + batchSize);
        }
        if (!images.shape().equals(f.inputShape())) {
            throw new IllegalArgumentException(name() + ": images of " + images.shape() + " but F expects "
                    + f.inputShape());
        }
        long start = System.nanoTime();
        int n = images.size();
        int d = images.shape().size();
        float[] adversarial = new float[n * d];
        List<ImageResult> results = new ArrayList<>(n);
        progress.progress(0, Math.max(n, 1), name() + ": 0/" + n + " images");
        for (int from = 0; from < n; from += batchSize) {
            cancel.throwIfCancelled();
            int to = Math.min(n, from + batchSize);
            float[] x = Arrays.copyOfRange(images.pixels(), from * d, to * d);
            BatchResult batch = attack(f, x, Arrays.copyOfRange(images.labels(), from, to), awayFrom, cancel);
            System.arraycopy(batch.adversarial(), 0, adversarial, from * d, (to - from) * d);
            for (ImageResult r : batch.results()) {
                results.add(r.withIndex(from + r.index()));
            }
            progress.progress(to, n, name() + ": " + to + "/" + n + " images");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new AttackOutcome(name(), getClass().getName(), params(), awayFrom, images.shape(), adversarial,
                images.labels().clone(), results, AttackSummary.of(results, seconds));
    }

    private BatchResult attack(Classifier f, float[] x, int[] labels, AttackLabels awayFrom, Cancellation cancel) {
        ImageShape shape = f.inputShape();
        int n = labels.length;
        int d = shape.size();
        int k = f.classCount();
        checkInput(x, labels, k);
        float[] x0 = x.clone();
        int[] before = predict(f, x0, n);
        int[] target = awayFrom == AttackLabels.PREDICTED ? before : labels;

        Perturbation p = perturb(f, x0.clone(), n, target.clone(), cancel);
        if (p.images().length != x0.length || p.iterations().length != n) {
            throw new IllegalStateException(name() + ": perturbation returned " + p.images().length
                    + " values and " + p.iterations().length + " counts for " + n + " images");
        }
        float[] raw = p.images();
        float[] adversarial = raw.clone();
        enforceBounds(adversarial, x0);
        int[] after = predict(f, adversarial, n);

        List<ImageResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double sq = 0;
            double linf = 0;
            for (int j = i * d; j < (i + 1) * d; j++) {
                double delta = (double) adversarial[j] - x0[j];
                sq += delta * delta;
                linf = Math.max(linf, Math.abs(delta));
            }
            boolean unchanged = Arrays.equals(adversarial, i * d, (i + 1) * d, x0, i * d, (i + 1) * d);
            results.add(new ImageResult(i, labels[i], before[i], after[i], before[i] != labels[i],
                    after[i] != target[i], Math.sqrt(sq), linf, p.iterations()[i], unchanged));
        }
        return new BatchResult(raw, adversarial, results);
    }

    private void checkInput(float[] x, int[] labels, int k) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException(name() + ": label " + labels[i] + " of image " + i
                        + " is outside [0, " + k + ")");
            }
        }
        for (int j = 0; j < x.length; j++) {
            if (!(x[j] >= 0f && x[j] <= 1f)) {
                throw new IllegalArgumentException(name() + ": pixel value " + x[j] + " at position " + j
                        + " is outside [0, 1]");
            }
        }
    }

    /** @return F's prediction on each of the {@code n} images, from a fresh forward pass */
    static int[] predict(Classifier f, float[] x, int n) {
        INDArray z = f.logits(Tensors.images(x, n, f.inputShape()));
        return Tensors.argmax(Tensors.floats(z), n, f.classCount());
    }

    /** Clips every value to [0,1] in place. */
    static void clip01(float[] x) {
        for (int j = 0; j < x.length; j++) {
            x[j] = Math.min(1f, Math.max(0f, x[j]));
        }
    }
}
