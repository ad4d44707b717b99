package org.multimagnet.experiment;

import java.util.List;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.JensenShannonDivergence;
import org.multimagnet.defense.MetricName;
import org.multimagnet.defense.ThresholdApproach;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An attack that knows the defense (white-box: the repository S, the calibrated thresholds and the vote rule, not
 * the draw), as Carlini and Wagner attacked MagNet: projected gradient descent, under an L∞ or L2 budget ε, on
 * <pre>L(x′) = Σ_{i ∈ S} f(z(a_i(x′))) + λ · Σ_{i ∈ S} max(0, mark_i(x′)/τ_i − (1 − margin))</pre>
 * where f(z) = max(z_y − max_{k≠y} z_k, −κ) is Carlini–Wagner's margin of F on member i's reformed image (y the
 * class moved away from), and the second sum pushes every member's mark (RE, paper Eq. 1, or JSD at C_best's T,
 * Eq. 6–7) below its threshold with a margin. Marks are divided by their threshold so that one λ suits both
 * metrics. Under minTA every member compares with the smallest threshold of its ensemble, so the attack uses the
 * smallest τ of S for every member. Every member is attacked at once, so the loss holds whichever ensemble is drawn.
 * Each step follows the two terms' gradients scaled to the same length ({@link #direction}), λ weighing them.
 *
 * <p>{@link Threat#OBLIVIOUS} drops the defense from the loss (f on z(x′) alone, the attacks of the paper's tables)
 * so that both threat models are compared with the same optimiser and budget.
 */
public final class AdaptiveAttack {
    /** The budget's norm. */
    public enum Norm {
        /** ‖x′ − x‖_∞ ≤ ε, sign-of-gradient steps. */
        LINF,
        /** ‖x′ − x‖_2 ≤ ε, normalised-gradient steps. */
        L2
    }

    /** What the attacker knows. */
    public enum Threat {
        /** F only (the paper's setting). */
        OBLIVIOUS,
        /** F, S, the thresholds and the vote rule; not the draw. */
        WHITEBOX
    }

    /**
     * @param threat   what the attacker knows
     * @param norm     the budget's norm
     * @param eps      the budget ε
     * @param steps    PGD iterations
     * @param stepSize the step α (in the norm's units)
     * @param lambda   weight λ of the detector term
     * @param margin   how far below its threshold a mark is pushed, as a fraction of it
     * @param kappa    κ: how confidently F must be fooled
     */
    public record Settings(Threat threat, Norm norm, double eps, int steps, double stepSize, double lambda,
                           double margin, double kappa) {
        public Settings {
            if (!(eps > 0) || steps < 1 || !(stepSize > 0) || !(lambda >= 0) || !(margin >= 0 && margin < 1)
                    || !(kappa >= 0)) {
                throw new IllegalArgumentException("adaptive attack: eps > 0, steps ≥ 1, step size > 0, λ ≥ 0, "
                        + "margin in [0, 1) and κ ≥ 0 expected, got " + this);
            }
        }

        /** @return these settings with another λ */
        public Settings withLambda(double l) {
            return new Settings(threat, norm, eps, steps, stepSize, l, margin, kappa);
        }

        /** The usual choice: 2.5·ε / steps per step (Madry et al.), λ 10, margin 0.1, κ 0. */
        public static Settings of(Threat threat, Norm norm, double eps, int steps) {
            return new Settings(threat, norm, eps, steps, 2.5 * eps / steps, 10, 0.1, 0);
        }
    }

    private final Classifier f;
    private final List<? extends Autoencoder> s;
    private final MetricName metric;
    private final double temperature;
    private final double[] tau;
    private final Settings settings;

    /**
     * @param f        the classifier F
     * @param s        the repository S, in the order of C_best's thresholds
     * @param cBest    the defense's calibration: metric, T, every member's τ, approach
     * @param settings the attack's settings
     */
    public AdaptiveAttack(Classifier f, List<? extends Autoencoder> s, CBest cBest, Settings settings) {
        this(f, s, cBest.combination().metric(), cBest.combination().temperature() == null ? 1.0
                : cBest.combination().temperature(), cBest.combination().approach(),
                s.stream().mapToDouble(a -> cBest.thresholdOf(a.id())).toArray(), settings);
    }

    /** The same, from C_best's parts: {@code thresholds[i]} is member i's τ. */
    AdaptiveAttack(Classifier f, List<? extends Autoencoder> s, MetricName metric, double temperature,
                   ThresholdApproach approach, double[] thresholds, Settings settings) {
        this.f = f;
        this.s = List.copyOf(s);
        this.metric = metric;
        this.temperature = temperature;
        this.tau = thresholds.clone();
        if (approach == ThresholdApproach.MIN_TA) {
            java.util.Arrays.fill(tau, java.util.Arrays.stream(thresholds).min().orElse(0));
        }
        this.settings = settings;
    }

    /** @return F's predicted class for each image: what the attack moves each image away from */
    public static int[] predictions(Classifier f, INDArray x) {
        return Protocol.argmaxRows(f.logits(x));
    }

    /** The loss of every image of a batch and its gradient with respect to the images. */
    record LossAndGradient(double[] loss, INDArray gradient) {
    }

    /**
     * Attacks a batch.
     *
     * @param x0       {@code [N, C, H, W]} clean images
     * @param awayFrom the class each image is moved away from
     * @return {@code [N, C, H, W]} adversarial images within ε of x0 and in [0, 1]
     */
    public INDArray run(INDArray x0, int[] awayFrom, ProgressListener progress, Cancellation cancellation) {
        INDArray x = x0.castTo(DataType.FLOAT).dup();
        for (int t = 0; t < settings.steps(); t++) {
            cancellation.throwIfCancelled();
            step(x, direction(x, awayFrom));
            project(x, x0);
            progress.progress(t + 1, settings.steps(), "step " + (t + 1) + "/" + settings.steps());
        }
        return x;
    }

    /**
     * The step's direction: F's margins and the detector term, each gradient scaled to unit L2 norm per image, then
     * ĝ_margin + λ·ĝ_detector. Their raw scales differ by orders of magnitude (logits against marks over thresholds),
     * and a plain sum lets one of them decide every sign.
     */
    private INDArray direction(INDArray x, int[] awayFrom) {
        if (settings.threat() == Threat.OBLIVIOUS || settings.lambda() == 0) {
            return lossAndGradient(x, awayFrom, 1, 0).gradient();
        }
        INDArray margin = unitRows(lossAndGradient(x, awayFrom, 1, 0).gradient());
        INDArray detector = unitRows(lossAndGradient(x, awayFrom, 0, 1).gradient());
        return margin.addi(detector.muli(settings.lambda()));
    }

    private static INDArray unitRows(INDArray g) {
        long n = g.size(0);
        INDArray flat = g.reshape(n, -1);
        INDArray norms = flat.norm2(1).addi(1e-12).reshape(n, 1);
        return flat.div(norms).reshape(g.shape());
    }

    private void step(INDArray x, INDArray g) {
        if (settings.norm() == Norm.LINF) {
            x.subi(org.nd4j.linalg.ops.transforms.Transforms.sign(g).muli(settings.stepSize()));
            return;
        }
        long n = x.size(0);
        INDArray flat = g.reshape(n, -1);
        INDArray norms = flat.norm2(1).addi(1e-12).reshape(n, 1);
        x.subi(flat.div(norms).muli(settings.stepSize()).reshape(x.shape()));
    }

    /** Back into the ε-ball around x0 and into [0, 1]. */
    private void project(INDArray x, INDArray x0) {
        int n = (int) x.size(0);
        float[] v = x.dup().data().asFloat();
        float[] o = x0.castTo(DataType.FLOAT).dup().data().asFloat();
        int d = v.length / n;
        float eps = (float) settings.eps();
        for (int i = 0; i < n; i++) {
            double scale = 1;
            if (settings.norm() == Norm.L2) {
                double sq = 0;
                for (int p = i * d; p < (i + 1) * d; p++) {
                    sq += (double) (v[p] - o[p]) * (v[p] - o[p]);
                }
                scale = Math.sqrt(sq) > settings.eps() ? settings.eps() / Math.sqrt(sq) : 1;
            }
            for (int p = i * d; p < (i + 1) * d; p++) {
                float delta = (float) ((v[p] - o[p]) * scale);
                if (settings.norm() == Norm.LINF) {
                    delta = Math.max(-eps, Math.min(eps, delta));
                }
                v[p] = Math.max(0f, Math.min(1f, o[p] + delta));
            }
        }
        x.assign(Nd4j.create(v, x.shape()));
    }

    /** L and ∂L/∂x for a batch (one forward and backward pass through F and every member). */
    LossAndGradient lossAndGradient(INDArray x, int[] awayFrom) {
        return lossAndGradient(x, awayFrom, 1, settings.lambda());
    }

    /** The same with weights of the two terms: μ·Σ f(z(a_i(x))) + λ·Σ hinge_i. */
    LossAndGradient lossAndGradient(INDArray x, int[] awayFrom, double mu, double lambda) {
        int n = (int) x.size(0);
        int k = f.classCount();
        double[] loss = new double[n];
        if (settings.threat() == Threat.OBLIVIOUS) {
            Classifier.ForwardPass pass = f.forward(x);
            INDArray w = marginWeights(pass.logits(), awayFrom, loss, mu);
            return new LossAndGradient(loss, pass.inputGradient(w));
        }
        int d = (int) (x.length() / n);
        INDArray grad = Nd4j.zeros(DataType.FLOAT, x.shape());
        INDArray gradRows = grad.reshape(n, d); // a view: the rows of grad, one per image
        INDArray pSideWeights = Nd4j.zeros(DataType.DOUBLE, n, k);
        double[][] logP = metric == MetricName.JSD ? logSoftmax(f.logits(x), temperature) : null;
        for (int i = 0; i < s.size(); i++) {
            Autoencoder.ReconstructionPass ae = s.get(i).reconstructionPass(x);
            INDArray r = ae.reconstruction();
            Classifier.ForwardPass onR = f.forward(r);
            INDArray wR = marginWeights(onR.logits(), awayFrom, loss, mu).castTo(DataType.DOUBLE);
            INDArray gR = Nd4j.zeros(DataType.DOUBLE, x.shape());
            INDArray gRRows = gR.reshape(n, d);
            double scale = lambda / tau[i];
            if (metric == MetricName.RE) {
                INDArray diff = x.castTo(DataType.DOUBLE).sub(r.castTo(DataType.DOUBLE)).reshape(n, d);
                double[] mark = org.nd4j.linalg.ops.transforms.Transforms.abs(diff, true).mean(1).toDoubleVector();
                INDArray sign = org.nd4j.linalg.ops.transforms.Transforms.sign(diff).divi(d);
                for (int j = 0; j < n; j++) {
                    double h = mark[j] / tau[i] - (1 - settings.margin());
                    if (h > 0) {
                        loss[j] += lambda * h;
                        INDArray sj = sign.getRow(j).mul(scale);
                        gradRows.getRow(j).addi(sj.castTo(DataType.FLOAT));
                        gRRows.getRow(j).subi(sj);
                    }
                }
            } else {
                double[][] logQ = logSoftmax(onR.logits(), temperature);
                for (int j = 0; j < n; j++) {
                    double[] gp = new double[k];
                    double[] gq = new double[k];
                    double mark = jsdAndGradients(logP[j], logQ[j], temperature, gp, gq);
                    double h = mark / tau[i] - (1 - settings.margin());
                    if (h > 0) {
                        loss[j] += lambda * h;
                        for (int c = 0; c < k; c++) {
                            pSideWeights.putScalar(j, c, pSideWeights.getDouble(j, c) + scale * gp[c]);
                            wR.putScalar(j, c, wR.getDouble(j, c) + scale * gq[c]);
                        }
                    }
                }
            }
            INDArray throughF = onR.inputGradient(wR.castTo(DataType.FLOAT)).castTo(DataType.DOUBLE);
            grad.addi(ae.inputGradient(gR.addi(throughF).castTo(DataType.FLOAT)));
        }
        if (metric == MetricName.JSD) {
            grad.addi(f.forward(x).inputGradient(pSideWeights.castTo(DataType.FLOAT)));
        }
        return new LossAndGradient(loss, grad);
    }

    /**
     * Carlini–Wagner's f(z) = max(z_y − max_{k≠y} z_k, −κ) for every row, added to {@code loss}; @return its
     * gradient with respect to the logits (e_y − e_k* where the max is not clamped), times {@code weight}
     */
    private INDArray marginWeights(INDArray logits, int[] y, double[] loss, double weight) {
        int n = (int) logits.size(0);
        int k = (int) logits.size(1);
        float[][] z = logits.toFloatMatrix();
        INDArray w = Nd4j.zeros(DataType.FLOAT, n, k);
        for (int j = 0; j < n; j++) {
            int best = -1;
            for (int c = 0; c < k; c++) {
                if (c != y[j] && (best < 0 || z[j][c] > z[j][best])) {
                    best = c;
                }
            }
            double m = z[j][y[j]] - z[j][best];
            if (m > -settings.kappa()) {
                loss[j] += weight * m;
                w.putScalar(j, y[j], (float) weight);
                w.putScalar(j, best, (float) -weight);
            } else {
                loss[j] += weight * -settings.kappa();
            }
        }
        return w;
    }

    /** log softmax(z/T) of every row, as the JSD mark computes it ({@link JensenShannonDivergence}). */
    private static double[][] logSoftmax(INDArray logits, double t) {
        double[][] z = logits.toDoubleMatrix();
        for (double[] row : z) {
            JensenShannonDivergence.logSoftmaxRow(row, 0, row.length, t);
        }
        return z;
    }

    /**
     * JSD(P, Q) of Eq. 6 (natural logarithms) and its gradients with respect to the logits behind P and Q:
     * ∂JSD/∂P_c = ½·log(P_c / M_c), then through softmax(z/T): ∂/∂z_c = (P_c/T)·(g_c − Σ_b P_b g_b).
     */
    static double jsdAndGradients(double[] logP, double[] logQ, double t, double[] gradP, double[] gradQ) {
        int k = logP.length;
        double jsd = 0;
        double[] gp = new double[k];
        double[] gq = new double[k];
        double sp = 0;
        double sq = 0;
        for (int c = 0; c < k; c++) {
            double p = Math.exp(logP[c]);
            double q = Math.exp(logQ[c]);
            double logM = Math.max(logP[c], logQ[c]) + Math.log1p(Math.exp(-Math.abs(logP[c] - logQ[c])))
                    - Math.log(2);
            jsd += 0.5 * (p * (logP[c] - logM) + q * (logQ[c] - logM));
            gp[c] = 0.5 * (logP[c] - logM);
            gq[c] = 0.5 * (logQ[c] - logM);
            sp += p * gp[c];
            sq += q * gq[c];
        }
        for (int c = 0; c < k; c++) {
            gradP[c] = Math.exp(logP[c]) / t * (gp[c] - sp);
            gradQ[c] = Math.exp(logQ[c]) / t * (gq[c] - sq);
        }
        return Math.max(0, jsd);
    }
}
