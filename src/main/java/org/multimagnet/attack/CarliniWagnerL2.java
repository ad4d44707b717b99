package org.multimagnet.attack;

import java.util.Arrays;
import java.util.Objects;
import org.multimagnet.common.Cancellation;
import org.multimagnet.nn.Classifier;

/**
 * The Carlini-Wagner L2 attack, untargeted (Carlini and Wagner 2017; paper §2.2, Eq. 5, Table 1).
 *
 * <p>Change of variable (the "tanh box"): {@code x = (tanh(w) + 1) / 2}, so every iterate lies in [0,1]. For each
 * image it minimises, with Adam on w,
 * {@code ||x − x0||₂² + c · f(x)}, {@code f(x) = max(Z_y(x) − max_{i≠y} Z_i(x), −κ)}, with Z the logits and y
 * the label the attack moves away from (F's prediction by default, {@link AttackLabels}).
 * A binary search over c starts at {@code c0}: after each of {@code binarySearchSteps} runs of
 * {@code maxIterations} steps, c is halved towards the last failing value if the run found an adversarial, else
 * raised (×10 while no success was ever seen). Across all runs the successful iterate with the smallest L2 is
 * kept; an image with none is returned unchanged (the template then reports failure).
 *
 * <p>Gradient: ∇_x of the squared distance is {@code 2(x − x0)}; the logit term is F's vector-Jacobian product
 * with weights {@code c·(e_y − e_j)} (j the best other class) while {@code f > −κ}, else 0; the chain rule through
 * the box multiplies by {@code (1 − tanh²(w)) / 2}.
 */
public final class CarliniWagnerL2 extends MinimizationAttack {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPSILON = 1e-8;
    /** Keeps atanh finite at pixels 0 and 1 (the reference implementation's factor). */
    private static final double BOX_SHRINK = 0.999999;
    /** Upper bound of c meaning "no success seen yet". */
    private static final double NO_UPPER = 1e10;

    private final CarliniWagnerL2Params params;

    /** @param params κ, learning rate, c0, binary-search steps, iterations */
    public CarliniWagnerL2(CarliniWagnerL2Params params) {
        this.params = Objects.requireNonNull(params, "params");
    }

    @Override
    public String name() {
        return "cw";
    }

    @Override
    public CarliniWagnerL2Params params() {
        return params;
    }

    @Override
    protected Perturbation perturb(Classifier f, float[] x0, int n, int[] labels, Cancellation cancel) {
        double[] w0 = new double[x0.length];
        for (int j = 0; j < w0.length; j++) {
            w0[j] = atanh((2.0 * x0[j] - 1.0) * BOX_SHRINK);
        }
        double[] c = new double[n];
        double[] lower = new double[n];
        double[] upper = new double[n];
        Arrays.fill(c, params.c0());
        Arrays.fill(upper, NO_UPPER);
        double[] bestL2 = new double[n];
        Arrays.fill(bestL2, Double.POSITIVE_INFINITY);
        float[] best = x0.clone();
        int[] iterations = new int[n];

        for (int step = 0; step < params.binarySearchSteps(); step++) {
            boolean[] succeeded = minimise(f, x0, n, labels, w0, c, best, bestL2, iterations, cancel);
            for (int i = 0; i < n; i++) {
                if (succeeded[i]) {
                    upper[i] = Math.min(upper[i], c[i]);
                    c[i] = (lower[i] + upper[i]) / 2;
                } else {
                    lower[i] = Math.max(lower[i], c[i]);
                    c[i] = upper[i] < NO_UPPER ? (lower[i] + upper[i]) / 2 : c[i] * 10;
                }
            }
        }
        return new Perturbation(best, iterations);
    }

    /**
     * One run of Adam at fixed c per image, from the clean images; updates {@code best}/{@code bestL2}.
     *
     * @return per image, whether this run found an adversarial
     */
    private boolean[] minimise(Classifier f, float[] x0, int n, int[] labels, double[] w0, double[] c, float[] best,
                               double[] bestL2, int[] iterations, Cancellation cancel) {
        int d = f.inputShape().size();
        int k = f.classCount();
        double kappa = params.kappa();
        double[] w = w0.clone();
        double[] tanh = new double[w.length];
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        float[] x = new float[w.length];
        boolean[] succeeded = new boolean[n];
        for (int it = 0; it <= params.maxIterations(); it++) {
            cancel.throwIfCancelled();
            for (int j = 0; j < w.length; j++) {
                tanh[j] = Math.tanh(w[j]);
                x[j] = (float) ((tanh[j] + 1) / 2);
            }
            // one forward pass gives the logits and, once the weights are chosen from them, the gradient
            Classifier.ForwardPass pass = f.forward(Tensors.images(x, n, f.inputShape()));
            float[] z = Tensors.floats(pass.logits());
            float[] weights = new float[n * k];
            boolean anyActive = false;
            for (int i = 0; i < n; i++) {
                int y = labels[i];
                int other = bestOtherClass(z, i, k, y);
                double margin = (double) z[i * k + y] - z[i * k + other];
                if (margin < -kappa) {
                    double l2 = squaredDistance(x, x0, i, d);
                    succeeded[i] = true;
                    if (l2 < bestL2[i]) {
                        bestL2[i] = l2;
                        System.arraycopy(x, i * d, best, i * d, d);
                    }
                }
                if (margin > -kappa) {
                    weights[i * k + y] = (float) c[i];
                    weights[i * k + other] = (float) -c[i];
                    anyActive = true;
                }
            }
            if (it == params.maxIterations()) {
                break; // the last pass only scores the final iterate
            }
            float[] gLogits = anyActive
                    ? Tensors.floats(pass.inputGradient(Tensors.matrix(weights, n, k)))
                    : new float[x.length];
            adamStep(w, m, v, it + 1, x, x0, tanh, gLogits);
            for (int i = 0; i < n; i++) {
                iterations[i]++;
            }
        }
        return succeeded;
    }

    /** One Adam step on w for the gradient {@code (2(x − x0) + gLogits) · (1 − tanh²(w)) / 2}. */
    private void adamStep(double[] w, double[] m, double[] v, int t, float[] x, float[] x0, double[] tanh,
                          float[] gLogits) {
        double lr = params.learningRate();
        double correction1 = 1 - Math.pow(BETA1, t);
        double correction2 = 1 - Math.pow(BETA2, t);
        for (int j = 0; j < w.length; j++) {
            double gx = 2.0 * ((double) x[j] - x0[j]) + gLogits[j];
            double g = gx * (1 - tanh[j] * tanh[j]) / 2;
            m[j] = BETA1 * m[j] + (1 - BETA1) * g;
            v[j] = BETA2 * v[j] + (1 - BETA2) * g * g;
            w[j] -= lr * (m[j] / correction1) / (Math.sqrt(v[j] / correction2) + ADAM_EPSILON);
        }
    }

    private static int bestOtherClass(float[] z, int i, int k, int y) {
        int other = -1;
        for (int j = 0; j < k; j++) {
            if (j != y && (other < 0 || z[i * k + j] > z[i * k + other])) {
                other = j;
            }
        }
        return other;
    }

    private static double squaredDistance(float[] x, float[] x0, int i, int d) {
        double s = 0;
        for (int j = i * d; j < (i + 1) * d; j++) {
            double delta = (double) x[j] - x0[j];
            s += delta * delta;
        }
        return s;
    }

    private static double atanh(double a) {
        return 0.5 * Math.log((1 + a) / (1 - a));
    }
}
