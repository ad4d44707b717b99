package org.multimagnet.attack;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.ImageShape;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DeepFool, multi-class, L2 (Moosavi-Dezfooli et al. 2016, Algorithm 2; paper §2.2, Table 1).
 *
 * <p>At each step F is linearised at the current image x_i; for every class k ≠ y,
 * {@code w_k = ∇(z_k − z_y)} and {@code f_k = z_k − z_y}; the nearest linearised boundary is
 * {@code l = argmin_k |f_k| / ||w_k||}, and the step {@code r_i = (|f_l| / ||w_l|| + 1e-4) · w_l / ||w_l||} is
 * added to the total r. The next image is {@code clip_[0,1](x + (1 + overshoot)·r)}. An image stops as soon as F no
 * longer predicts y, or after {@code maxIterations} steps. The result is that image, not a gradient. Here y is the
 * label the attack moves away from ({@link AttackLabels}): F's prediction by default, as in the original algorithm;
 * with true labels, an image F already misclassifies stops before the first step and comes back unchanged.
 *
 * <p>All K classes are scanned with y masked out, so a label that is the last class (the case
 * implementations that slice "the other classes" by position get wrong) is handled like any other. The 1e-4 is
 * the original implementation's push past the boundary.
 */
public final class DeepFool extends MinimizationAttack {
    /** The original implementation's extra step length past the linearised boundary. */
    private static final double PUSH = 1e-4;

    private final DeepFoolParams params;
    private final boolean allIterations;

    /** @param params overshoot and the most iterations */
    public DeepFool(DeepFoolParams params) {
        this(params, false);
    }

    /**
     * @param params        overshoot and the most iterations
     * @param allIterations for timing only (the {@code bench} command): every image takes all
     *                      {@code maxIterations} steps instead of stopping once F's prediction changes, so that the
     *                      work does not depend on how quickly F is fooled. The attack then keeps pushing past the
     *                      boundary; its images are not the paper's DeepFool images.
     */
    public DeepFool(DeepFoolParams params, boolean allIterations) {
        this.params = Objects.requireNonNull(params, "params");
        this.allIterations = allIterations;
    }

    @Override
    public String name() {
        return "deepfool";
    }

    @Override
    public DeepFoolParams params() {
        return params;
    }

    @Override
    protected Perturbation perturb(Classifier f, float[] x0, int n, int[] labels, Cancellation cancel) {
        ImageShape shape = f.inputShape();
        int d = shape.size();
        double[] rTotal = new double[x0.length];
        float[] x = x0.clone();
        int[] iterations = new int[n];
        boolean[] active = new boolean[n];
        Arrays.fill(active, true);
        for (int it = 0; ; it++) {
            cancel.throwIfCancelled();
            int[] predicted = predict(f, x, n);
            for (int i = 0; i < n; i++) {
                active[i] &= allIterations || predicted[i] == labels[i];
            }
            int[] rows = IntStream.range(0, n).filter(i -> active[i]).toArray();
            if (rows.length == 0 || it == params.maxIterations()) {
                break;
            }
            Step step = nearestBoundary(f, Tensors.gather(x, d, rows), rows, labels);
            double scale = 1 + params.overshoot();
            for (int r = 0; r < rows.length; r++) {
                int i = rows[r];
                if (!Double.isFinite(step.distance[r])) {
                    active[i] = false; // every w_k vanished: F is flat here and no linear step can help
                    continue;
                }
                double norm = step.norm[r];
                double length = (step.distance[r] + PUSH) / norm;
                for (int j = 0; j < d; j++) {
                    rTotal[i * d + j] += length * step.direction[r * d + j];
                    x[i * d + j] = (float) Math.min(1.0, Math.max(0.0, x0[i * d + j] + scale * rTotal[i * d + j]));
                }
                iterations[i]++;
            }
        }
        return new Perturbation(x, iterations);
    }

    /** Per active image: |f_l|/||w_l|| (infinite when no class gives a usable direction), w_l and ||w_l||. */
    private record Step(double[] distance, float[] direction, double[] norm) {
    }

    /** Finds, for each image in {@code xa}, the nearest linearised boundary over all classes k ≠ y. */
    private static Step nearestBoundary(Classifier f, float[] xa, int[] rows, int[] labels) {
        int m = rows.length;
        int k = f.classCount();
        int d = f.inputShape().size();
        INDArray images = Tensors.images(xa, m, f.inputShape());
        double[] distance = new double[m];
        double[] norm = new double[m];
        Arrays.fill(distance, Double.POSITIVE_INFINITY);
        float[] direction = new float[m * d];
        // one forward pass; each class then costs one backward pass through it
        Classifier.ForwardPass pass = f.forward(images);
        float[] z = Tensors.floats(pass.logits());
        for (int c = 0; c < k; c++) {
            float[] weights = new float[m * k];
            boolean any = false;
            for (int r = 0; r < m; r++) {
                int y = labels[rows[r]];
                if (c != y) {
                    weights[r * k + c] = 1f;
                    weights[r * k + y] = -1f;
                    any = true;
                }
            }
            if (!any) {
                continue;
            }
            float[] g = Tensors.floats(pass.inputGradient(Tensors.matrix(weights, m, k)));
            for (int r = 0; r < m; r++) {
                int y = labels[rows[r]];
                if (c == y) {
                    continue;
                }
                double sq = 0;
                for (int j = r * d; j < (r + 1) * d; j++) {
                    sq += (double) g[j] * g[j];
                }
                double wNorm = Math.sqrt(sq);
                if (wNorm == 0) {
                    continue;
                }
                double dist = Math.abs((double) z[r * k + c] - z[r * k + y]) / wNorm;
                if (dist < distance[r]) {
                    distance[r] = dist;
                    norm[r] = wNorm;
                    System.arraycopy(g, r * d, direction, r * d, d);
                }
            }
        }
        return new Step(distance, direction, norm);
    }
}
