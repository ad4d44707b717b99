package org.multimagnet.attack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.ImageShape;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one template every attack follows (STYLE.md point 5, after Foolbox's {@code attacks/base.py}): a subclass
 * writes only {@link #perturb}; everything the field's most reported attack bugs come from is decided here.
 *
 * <ul>
 *   <li>shapes, labels and the [0,1] range of the input are checked;</li>
 *   <li>the input is copied and never modified;</li>
 *   <li>images F already misclassifies are not attacked: they are returned unchanged, flagged
 *       {@code alreadyMisclassified} and left out of the success rate's denominator;</li>
 *   <li>the final images are clipped to [0,1] and, for {@link FixedEpsilonAttack}s, to the ε-ball, exactly in
 *       float32 (subclasses clip after every step as well);</li>
 *   <li>success is decided by a fresh forward pass of F on the final images, never by the attack's own
 *       bookkeeping;</li>
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
     * The perturbation itself. Called only with images F classifies correctly, so {@code labels} are also F's
     * predictions on {@code x0}.
     *
     * @param f      the classifier
     * @param x0     {@code n·C·H·W} clean pixels in [0,1]; the subclass may not modify them
     * @param n      number of images, at least 1
     * @param labels the true labels, length n
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
     * Attacks one batch.
     *
     * @param f      the classifier
     * @param x      {@code [N, C, H, W]} with {@code [C, H, W] = f.inputShape()}, values in [0,1]; not modified
     * @param labels the true labels, length N, each in [0, K)
     * @param cancel checked between iterations
     * @return raw and final images and a result per image
     * @throws IllegalArgumentException naming the offending shape, label or value
     */
    public final BatchResult attack(Classifier f, INDArray x, int[] labels, Cancellation cancel) {
        ImageShape shape = f.inputShape();
        long[] expected = shape.batch(labels.length);
        if (!Arrays.equals(x.shape(), expected)) {
            throw new IllegalArgumentException(name() + ": images of shape " + Arrays.toString(x.shape())
                    + " for " + labels.length + " labels; F expects " + Arrays.toString(expected));
        }
        return attack(f, Tensors.floats(x), labels, cancel);
    }

    @Override
    public final AttackOutcome run(Classifier f, Dataset images, int batchSize, ProgressListener progress,
                                   Cancellation cancel) {
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
            BatchResult batch = attack(f, x, Arrays.copyOfRange(images.labels(), from, to), cancel);
            System.arraycopy(batch.adversarial(), 0, adversarial, from * d, (to - from) * d);
            for (ImageResult r : batch.results()) {
                results.add(r.withIndex(from + r.index()));
            }
            progress.progress(to, n, name() + ": " + to + "/" + n + " images");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new AttackOutcome(name(), getClass().getName(), params(), images.shape(), adversarial, images.labels().clone(), results,
                AttackSummary.of(results, seconds));
    }

    private BatchResult attack(Classifier f, float[] x, int[] labels, Cancellation cancel) {
        ImageShape shape = f.inputShape();
        int n = labels.length;
        int d = shape.size();
        int k = f.classCount();
        checkInput(x, labels, k);
        float[] x0 = x.clone();
        int[] before = predict(f, x0, n);

        int[] attacked = java.util.stream.IntStream.range(0, n).filter(i -> before[i] == labels[i]).toArray();
        float[] raw = x0.clone();
        int[] iterations = new int[n];
        if (attacked.length > 0) {
            float[] sub0 = Tensors.gather(x0, d, attacked);
            int[] subLabels = Arrays.stream(attacked).map(i -> labels[i]).toArray();
            Perturbation p = perturb(f, sub0.clone(), attacked.length, subLabels, cancel);
            if (p.images().length != sub0.length || p.iterations().length != attacked.length) {
                throw new IllegalStateException(name() + ": perturbation returned " + p.images().length
                        + " values and " + p.iterations().length + " counts for " + attacked.length + " images");
            }
            Tensors.scatter(p.images(), d, attacked, raw);
            for (int r = 0; r < attacked.length; r++) {
                iterations[attacked[r]] = p.iterations()[r];
            }
        }
        float[] adversarial = raw.clone();
        enforceBounds(adversarial, x0);
        // already misclassified images go back exactly as they came, whatever the bounds did
        for (int i = 0; i < n; i++) {
            if (before[i] != labels[i]) {
                System.arraycopy(x0, i * d, adversarial, i * d, d);
            }
        }
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
            boolean already = before[i] != labels[i];
            results.add(new ImageResult(i, labels[i], before[i], after[i], already,
                    !already && after[i] != labels[i], Math.sqrt(sq), linf, iterations[i]));
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
