package org.multimagnet.experiment;

import java.util.List;
import java.util.SplittableRandom;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.Ensemble;
import org.multimagnet.defense.JensenShannonDivergence;
import org.multimagnet.defense.MetricName;
import org.multimagnet.defense.ReformerSource;
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
 * <p>{@link Method#EOT} replaces "every member at once" by the expectation over the defense's own draws: each step
 * averages the loss over k ensembles per image drawn as deployment draws them (n, the members, minTA's threshold
 * within the ensemble, the reformer), seeded.
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
        WHITEBOX,
        /**
         * The recipe of S but not S: the attacker trains its own S′ with seeds of its own and derives thresholds on
         * it with the defender's rule; the attack runs white-box on S′ and is scored against S.
         */
        GRAYBOX
    }

    /** Which ensembles the detector term and F's margins are taken over. */
    public enum Method {
        /** Every member of S at once: whichever ensemble is drawn, its members are all attacked. */
        ALL_MEMBERS,
        /**
         * Expectation over transformation: each step averages the loss over k ensembles drawn per image exactly as
         * deployment draws them (n from C_best's sizes, the approach's thresholds within each ensemble, F's margin
         * on the reformer drawn from it).
         */
        EOT
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
     * @param method   all members at once, or EOT over drawn ensembles
     * @param draws    k: ensembles drawn per image and step under EOT
     * @param seed     seed of EOT's draws
     */
    public record Settings(Threat threat, Norm norm, double eps, int steps, double stepSize, double lambda,
                           double margin, double kappa, Method method, int draws, long seed) {
        public Settings {
            if (!(eps > 0) || steps < 1 || !(stepSize > 0) || !(lambda >= 0) || !(margin >= 0 && margin < 1)
                    || !(kappa >= 0) || method == null || draws < 1) {
                throw new IllegalArgumentException("adaptive attack: eps > 0, steps ≥ 1, step size > 0, λ ≥ 0, "
                        + "margin in [0, 1), κ ≥ 0, a method and draws ≥ 1 expected, got " + this);
            }
        }

        /** All members at once. */
        public Settings(Threat threat, Norm norm, double eps, int steps, double stepSize, double lambda,
                        double margin, double kappa) {
            this(threat, norm, eps, steps, stepSize, lambda, margin, kappa, Method.ALL_MEMBERS, 1, 0);
        }

        /** @return these settings with another λ */
        public Settings withLambda(double l) {
            return new Settings(threat, norm, eps, steps, stepSize, l, margin, kappa, method, draws, seed);
        }

        /** @return these settings averaging the loss over {@code k} ensembles drawn per step from {@code seed} */
        public Settings withEot(int k, long drawSeed) {
            return new Settings(threat, norm, eps, steps, stepSize, lambda, margin, kappa, Method.EOT, k, drawSeed);
        }

        /** The usual choice: 2.5·ε / steps per step (Madry et al.), λ 10, margin 0.1, κ 0. */
        public static Settings of(Threat threat, Norm norm, double eps, int steps) {
            return new Settings(threat, norm, eps, steps, 2.5 * eps / steps, 10, 0.1, 0);
        }
    }

    /**
     * The defense as the attacker sees it: the calibration it attacks through (the defender's C_best, or under
     * gray-box thresholds it derived on its own S′).
     *
     * @param metric      RE or JSD
     * @param temperature T of JSD (1 for RE)
     * @param approach    MTA or minTA
     * @param thresholds  τ_i of every member, in S's order
     * @param sizes       the ensemble sizes n is drawn from
     */
    public record Target(MetricName metric, double temperature, ThresholdApproach approach, double[] thresholds,
                         List<Integer> sizes) {
        public Target {
            thresholds = thresholds.clone();
            sizes = List.copyOf(sizes);
        }

        /** The defender's C_best over {@code s}. */
        public static Target of(CBest cBest, List<? extends Autoencoder> s) {
            Double t = cBest.combination().temperature();
            return new Target(cBest.combination().metric(), t == null ? 1.0 : t, cBest.combination().approach(),
                    s.stream().mapToDouble(a -> cBest.thresholdOf(a.id())).toArray(),
                    cBest.combination().ensembleSizes());
        }
    }

    private final Classifier f;
    private final List<? extends Autoencoder> s;
    private final MetricName metric;
    private final double temperature;
    private final ThresholdApproach approach;
    // the calibrated τ_i, and the τ every member is compared with when all are attacked at once
    private final double[] calibrated;
    private final double[] tau;
    private final List<Integer> sizes;
    private final Settings settings;

    /**
     * @param f        the classifier F
     * @param s        the repository S, in the order of C_best's thresholds
     * @param cBest    the defense's calibration: metric, T, every member's τ, approach
     * @param settings the attack's settings
     */
    public AdaptiveAttack(Classifier f, List<? extends Autoencoder> s, CBest cBest, Settings settings) {
        this(f, s, Target.of(cBest, s), settings);
    }

    /**
     * @param f        the classifier the attacker differentiates through
     * @param s        the members it attacks (S, or its own S′ under gray-box)
     * @param target   their thresholds and the vote rule, in the order of {@code s}
     * @param settings the attack's settings
     */
    public AdaptiveAttack(Classifier f, List<? extends Autoencoder> s, Target target, Settings settings) {
        if (target.thresholds().length != s.size()) {
            throw new IllegalArgumentException(s.size() + " members but " + target.thresholds().length
                    + " thresholds");
        }
        this.f = f;
        this.s = List.copyOf(s);
        this.metric = target.metric();
        this.temperature = target.temperature();
        this.approach = target.approach();
        this.calibrated = target.thresholds().clone();
        this.tau = target.thresholds().clone();
        if (approach == ThresholdApproach.MIN_TA) {
            java.util.Arrays.fill(tau, java.util.Arrays.stream(calibrated).min().orElse(0));
        }
        this.sizes = target.sizes();
        this.settings = settings;
    }

    /** The same, from C_best's parts: {@code thresholds[i]} is member i's τ; n drawn from the largest odd size. */
    AdaptiveAttack(Classifier f, List<? extends Autoencoder> s, MetricName metric, double temperature,
                   ThresholdApproach approach, double[] thresholds, Settings settings) {
        this(f, s, new Target(metric, temperature, approach, thresholds, List.of(s.size() - (s.size() + 1) % 2)),
                settings);
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
        return run(x0, awayFrom, new SplittableRandom(settings.seed()), progress, cancellation);
    }

    /**
     * Attacks a batch, EOT's draws taken from {@code draws} (so that consecutive batches draw on).
     */
    public INDArray run(INDArray x0, int[] awayFrom, SplittableRandom draws, ProgressListener progress,
                        Cancellation cancellation) {
        double[] lambdas = new double[(int) x0.size(0)];
        java.util.Arrays.fill(lambdas, settings.lambda());
        return run(x0, awayFrom, lambdas, draws, progress, cancellation);
    }

    /**
     * Attacks a batch with a λ of its own for every image (the λ search gives each image its own).
     *
     * @param lambdas λ_j of image j, in place of the settings' λ
     */
    public INDArray run(INDArray x0, int[] awayFrom, double[] lambdas, SplittableRandom draws,
                        ProgressListener progress, Cancellation cancellation) {
        INDArray x = x0.castTo(DataType.FLOAT).dup();
        int n = (int) x0.size(0);
        if (lambdas.length != n) {
            throw new IllegalArgumentException(n + " images but " + lambdas.length + " λ");
        }
        for (int t = 0; t < settings.steps(); t++) {
            cancellation.throwIfCancelled();
            Weights w = settings.method() == Method.EOT ? eotWeights(n, draws) : allMembers(n);
            step(x, direction(x, awayFrom, w, lambdas));
            project(x, x0);
            progress.progress(t + 1, settings.steps(), "step " + (t + 1) + "/" + settings.steps());
        }
        return x;
    }

    /**
     * The step's direction: F's margins and the detector term, each gradient scaled to unit L2 norm per image, then
     * ĝ_margin + λ_j·ĝ_detector. Their raw scales differ by orders of magnitude (logits against marks over
     * thresholds), and a plain sum lets one of them decide every sign.
     */
    private INDArray direction(INDArray x, int[] awayFrom, Weights w, double[] lambdas) {
        if (settings.threat() == Threat.OBLIVIOUS || java.util.Arrays.stream(lambdas).allMatch(l -> l == 0)) {
            return lossAndGradient(x, awayFrom, w, 1, 0).gradient();
        }
        INDArray margin = unitRows(lossAndGradient(x, awayFrom, w, 1, 0).gradient());
        INDArray detector = unitRows(lossAndGradient(x, awayFrom, w, 0, 1).gradient());
        long n = x.size(0);
        INDArray perImage = Nd4j.create(lambdas, new long[] {n, 1}, DataType.FLOAT);
        INDArray scaled = detector.reshape(n, -1).mulColumnVector(perImage).reshape(x.shape());
        return margin.addi(scaled);
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

    /**
     * What every member contributes to each image's loss: the weight of F's margin on its reconstruction, and hinge
     * terms w·max(0, mark/τ − (1 − margin)) on its mark, each with the τ it is compared with. All members at once is
     * weight 1 and one hinge per member; EOT sums over the drawn ensembles, each weighed 1/k.
     */
    static final class Weights {
        final double[][] margin;
        // hinge[i][j]: member i, image j: τ_0, w_0, τ_1, w_1, …
        final double[][][] hinge;

        Weights(int m, int n) {
            margin = new double[m][n];
            hinge = new double[m][n][0];
        }

        void addHinge(int i, int j, double threshold, double weight) {
            double[] h = java.util.Arrays.copyOf(hinge[i][j], hinge[i][j].length + 2);
            h[h.length - 2] = threshold;
            h[h.length - 1] = weight;
            hinge[i][j] = h;
        }

        boolean uses(int i) {
            for (int j = 0; j < margin[i].length; j++) {
                if (margin[i][j] != 0 || hinge[i][j].length > 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Every member, its margin weighed 1, compared with its τ (minTA: the smallest τ of S). */
    Weights allMembers(int n) {
        Weights w = new Weights(s.size(), n);
        for (int i = 0; i < s.size(); i++) {
            for (int j = 0; j < n; j++) {
                w.margin[i][j] = 1;
                w.addHinge(i, j, tau[i], 1);
            }
        }
        return w;
    }

    /**
     * k ensembles per image as deployment draws them ({@link Ensemble#draw(int, List, SplittableRandom)}, then the
     * reformer from the ensemble): each contributes, weighed 1/k, F's margin on its reformer and the hinge of each of
     * its members at the threshold the approach gives that member within it.
     */
    Weights eotWeights(int n, SplittableRandom rng) {
        List<Ensemble> drawn = new java.util.ArrayList<>();
        List<Integer> reformers = new java.util.ArrayList<>();
        for (int j = 0; j < n; j++) {
            for (int d = 0; d < settings.draws(); d++) {
                Ensemble r = Ensemble.draw(s.size(), sizes, rng);
                drawn.add(r);
                reformers.add(ReformerSource.ENSEMBLE.draw(r, rng));
            }
        }
        return eotWeights(n, drawn, reformers);
    }

    /** The EOT weights of given draws: {@code draws} ensembles and reformers per image, image after image. */
    Weights eotWeights(int n, List<Ensemble> ensembles, List<Integer> reformers) {
        int k = ensembles.size() / n;
        Weights w = new Weights(s.size(), n);
        for (int j = 0; j < n; j++) {
            for (int d = 0; d < k; d++) {
                Ensemble r = ensembles.get(j * k + d);
                double[] own = new double[r.size()];
                for (int q = 0; q < r.size(); q++) {
                    own[q] = calibrated[r.member(q)];
                }
                double[] used = approach.apply(own);
                for (int q = 0; q < r.size(); q++) {
                    w.addHinge(r.member(q), j, used[q], 1.0 / k);
                }
                w.margin[reformers.get(j * k + d)][j] += 1.0 / k;
            }
        }
        return w;
    }

    /** L and ∂L/∂x for a batch (one forward and backward pass through F and every member). */
    LossAndGradient lossAndGradient(INDArray x, int[] awayFrom) {
        return lossAndGradient(x, awayFrom, allMembers((int) x.size(0)), 1, settings.lambda());
    }

    /** L and ∂L/∂x for a batch under given weights (EOT's draws, or all members). */
    LossAndGradient lossAndGradient(INDArray x, int[] awayFrom, Weights w) {
        return lossAndGradient(x, awayFrom, w, 1, settings.lambda());
    }

    /** The same with weights of the two terms: μ·Σ f(z(a_i(x))) + λ·Σ hinge_i. */
    LossAndGradient lossAndGradient(INDArray x, int[] awayFrom, Weights weights, double mu, double lambda) {
        int n = (int) x.size(0);
        int k = f.classCount();
        double[] loss = new double[n];
        if (settings.threat() == Threat.OBLIVIOUS) {
            Classifier.ForwardPass pass = f.forward(x);
            double[] mus = new double[n];
            java.util.Arrays.fill(mus, mu);
            INDArray w = marginWeights(pass.logits(), awayFrom, loss, mus);
            return new LossAndGradient(loss, pass.inputGradient(w));
        }
        int d = (int) (x.length() / n);
        INDArray grad = Nd4j.zeros(DataType.FLOAT, x.shape());
        INDArray gradRows = grad.reshape(n, d); // a view: the rows of grad, one per image
        INDArray pSideWeights = Nd4j.zeros(DataType.DOUBLE, n, k);
        double[][] logP = metric == MetricName.JSD ? logSoftmax(f.logits(x), temperature) : null;
        for (int i = 0; i < s.size(); i++) {
            if (!weights.uses(i)) {
                continue;
            }
            Autoencoder.ReconstructionPass ae = s.get(i).reconstructionPass(x);
            INDArray r = ae.reconstruction();
            Classifier.ForwardPass onR = f.forward(r);
            double[] mus = new double[n];
            for (int j = 0; j < n; j++) {
                mus[j] = mu * weights.margin[i][j];
            }
            INDArray wR = marginWeights(onR.logits(), awayFrom, loss, mus).castTo(DataType.DOUBLE);
            INDArray gR = Nd4j.zeros(DataType.DOUBLE, x.shape());
            INDArray gRRows = gR.reshape(n, d);
            if (metric == MetricName.RE) {
                INDArray diff = x.castTo(DataType.DOUBLE).sub(r.castTo(DataType.DOUBLE)).reshape(n, d);
                double[] mark = org.nd4j.linalg.ops.transforms.Transforms.abs(diff, true).mean(1).toDoubleVector();
                INDArray sign = org.nd4j.linalg.ops.transforms.Transforms.sign(diff).divi(d);
                for (int j = 0; j < n; j++) {
                    double[] hs = hinge(weights.hinge[i][j], mark[j]);
                    if (hs[1] > 0) {
                        loss[j] += lambda * hs[0];
                        INDArray sj = sign.getRow(j).mul(lambda * hs[1]);
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
                    double[] hs = hinge(weights.hinge[i][j], mark);
                    if (hs[1] > 0) {
                        loss[j] += lambda * hs[0];
                        double scale = lambda * hs[1];
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
     * Σ_q w_q·max(0, mark/τ_q − (1 − margin)) over one member's hinge terms for one image; @return that sum and its
     * slope with respect to the mark (0 when no term is active)
     */
    private double[] hinge(double[] terms, double mark) {
        double value = 0;
        double slope = 0;
        for (int q = 0; q < terms.length; q += 2) {
            double h = mark / terms[q] - (1 - settings.margin());
            if (h > 0) {
                value += terms[q + 1] * h;
                slope += terms[q + 1] / terms[q];
            }
        }
        return new double[] {value, slope};
    }

    /**
     * Carlini–Wagner's f(z) = max(z_y − max_{k≠y} z_k, −κ) for every row j, times {@code weights[j]}, added to
     * {@code loss}; @return its gradient with respect to the logits (e_y − e_k* where the max is not clamped)
     */
    private INDArray marginWeights(INDArray logits, int[] y, double[] loss, double[] weights) {
        int n = (int) logits.size(0);
        int k = (int) logits.size(1);
        float[][] z = logits.toFloatMatrix();
        INDArray w = Nd4j.zeros(DataType.FLOAT, n, k);
        for (int j = 0; j < n; j++) {
            double weight = weights[j];
            if (weight == 0) {
                continue;
            }
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
