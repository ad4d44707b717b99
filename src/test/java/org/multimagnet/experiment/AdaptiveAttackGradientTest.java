package org.multimagnet.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.multimagnet.data.ImageShape;
import org.multimagnet.defense.JensenShannonDivergence;
import org.multimagnet.defense.MetricName;
import org.multimagnet.defense.ReconstructionError;
import org.multimagnet.defense.ThresholdApproach;
import org.multimagnet.nn.ModelSpecs;
import org.multimagnet.nn.NetworkAutoencoder;
import org.multimagnet.nn.NetworkClassifier;
import org.multimagnet.nn.NetworkModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The adaptive attack's loss gradient against central finite differences along random directions, through the
 * demo's trained MNIST members and classifier: F's margins on every member's reconstruction, the RE detector term
 * under MTA and minTA, and the oblivious loss. JSD's own gradient is checked exactly in double precision; through the
 * float32 networks its marks (about 1e-3) are too small for a finite difference to resolve.
 */
class AdaptiveAttackGradientTest {
    private static final ImageShape SHAPE = ImageShape.MNIST;

    private static double total(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    /** log softmax(z / T) in double. */
    private static double[] logSoftmax(double[] z, double t) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v / t);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v / t - max);
        }
        double[] out = new double[z.length];
        for (int c = 0; c < z.length; c++) {
            out[c] = z[c] / t - max - Math.log(sum);
        }
        return out;
    }

    @Test
    void jsdGradientWithRespectToBothLogitsMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(8);
        for (double t : new double[] {1, 10, 40}) {
            double[] zp = new double[10];
            double[] zq = new double[10];
            for (int c = 0; c < 10; c++) {
                zp[c] = 4 * rng.nextGaussian();
                zq[c] = 4 * rng.nextGaussian();
            }
            double[] gp = new double[10];
            double[] gq = new double[10];
            AdaptiveAttack.jsdAndGradients(logSoftmax(zp, t), logSoftmax(zq, t), t, gp, gq);
            double h = 1e-6;
            for (int c = 0; c < 10; c++) {
                double[] up = zp.clone();
                double[] down = zp.clone();
                up[c] += h;
                down[c] -= h;
                double numeric = (AdaptiveAttack.jsdAndGradients(logSoftmax(up, t), logSoftmax(zq, t), t,
                        new double[10], new double[10]) - AdaptiveAttack.jsdAndGradients(logSoftmax(down, t),
                        logSoftmax(zq, t), t, new double[10], new double[10])) / (2 * h);
                assertEquals(numeric, gp[c], 1e-7, "∂JSD/∂z_p[" + c + "] at T " + t);
                up = zq.clone();
                down = zq.clone();
                up[c] += h;
                down[c] -= h;
                numeric = (AdaptiveAttack.jsdAndGradients(logSoftmax(zp, t), logSoftmax(up, t), t, new double[10],
                        new double[10]) - AdaptiveAttack.jsdAndGradients(logSoftmax(zp, t), logSoftmax(down, t), t,
                        new double[10], new double[10])) / (2 * h);
                assertEquals(numeric, gq[c], 1e-7, "∂JSD/∂z_q[" + c + "] at T " + t);
            }
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        // the demo's trained models: untrained ones give marks so small that float32 rounding swamps the differences
        org.multimagnet.workspace.ModelStore store = new org.multimagnet.workspace.ModelStore(
                org.multimagnet.TestWorkspaces.DEMO);
        NetworkClassifier f = store.loadClassifier();
        List<NetworkAutoencoder> s = new ArrayList<>();
        for (int id : new int[] {1, 2, 6}) { // sigmoid members without max pooling: smooth but for F's ReLUs
            s.add(store.loadAutoencoder(id));
        }
        SplittableRandom rng = new SplittableRandom(4);
        // noise in [0.1, 0.9]: |x − a(x)| stays away from its kink (a trained member reconstructs a digit's black
        // background as ~0, right at x)
        int n = 2;
        float[] pixels = new float[n * SHAPE.size()];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = 0.1f + 0.8f * (float) rng.nextDouble();
        }
        INDArray x = Nd4j.create(pixels, SHAPE.batch(n));
        // The loss is a sum, so its two terms are checked apart: F's margins alone (λ = 0, away from F's own
        // prediction, as the attack is run), and the detector term alone (away from F's least likely class, whose
        // margins are clamped at −κ and contribute nothing)
        float[][] z = f.logits(x).toFloatMatrix();
        int[] away = new int[n];
        int[] unlikely = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 1; k < z[i].length; k++) {
                away[i] = z[i][k] > z[i][away[i]] ? k : away[i];
                unlikely[i] = z[i][k] < z[i][unlikely[i]] ? k : unlikely[i];
            }
        }
        record Case(AdaptiveAttack.Threat threat, MetricName metric, double temperature, ThresholdApproach approach) {
        }
        List<Case> cases = List.of(new Case(AdaptiveAttack.Threat.WHITEBOX, MetricName.RE, 1, ThresholdApproach.MTA),
                new Case(AdaptiveAttack.Threat.WHITEBOX, MetricName.RE, 1, ThresholdApproach.MIN_TA),
                new Case(AdaptiveAttack.Threat.OBLIVIOUS, MetricName.RE, 1, ThresholdApproach.MTA));
        for (Case c : cases) {
            for (boolean detectorOnly : new boolean[] {false, true}) {
            if (detectorOnly && c.threat() == AdaptiveAttack.Threat.OBLIVIOUS) {
                continue;
            }
            int[] from = detectorOnly ? unlikely : away;
            // each threshold a quarter of the member's smallest mark: every hinge active, and far from its kink
            double[] tau = new double[s.size()];
            for (int i = 0; i < s.size(); i++) {
                INDArray r = s.get(i).reconstruct(x);
                INDArray marks = c.metric() == MetricName.RE ? ReconstructionError.of(x, r)
                        : JensenShannonDivergence.of(f.logits(x), f.logits(r), c.temperature());
                tau[i] = marks.minNumber().doubleValue() / 4;
            }
            AdaptiveAttack attack = new AdaptiveAttack(f, s, c.metric(), c.temperature(), c.approach(), tau,
                    new AdaptiveAttack.Settings(c.threat(), AdaptiveAttack.Norm.L2, 1, 1, 0.1, detectorOnly ? 0.5 : 0,
                            0, detectorOnly ? 0 : 1e3)); // κ = 1000: no margin sits at its clamp
            AdaptiveAttack.LossAndGradient lg = attack.lossAndGradient(x, from);
            double[] g = lg.gradient().castTo(DataType.DOUBLE).dup().data().asDouble();
            for (int trial = 0; trial < 3; trial++) {
                double[] u = new double[pixels.length];
                double norm = 0;
                for (int p = 0; p < u.length; p++) {
                    u[p] = rng.nextGaussian();
                    norm += u[p] * u[p];
                }
                double analytic = 0;
                for (int p = 0; p < u.length; p++) {
                    u[p] /= Math.sqrt(norm);
                    analytic += g[p] * u[p];
                }
                INDArray dir = Nd4j.create(u, SHAPE.batch(n)).castTo(DataType.FLOAT);
                // three step sizes: a kink of F's ReLUs inside one step moves that difference, not the others, while
                // a wrong gradient disagrees with all three
                double closest = Double.NaN;
                StringBuilder seen = new StringBuilder();
                for (double h : new double[] {3e-3, 1e-3, 3e-4}) {
                    double plus = total(attack.lossAndGradient(x.add(dir.mul(h)), from).loss());
                    double minus = total(attack.lossAndGradient(x.sub(dir.mul(h)), from).loss());
                    double numeric = (plus - minus) / (2 * h);
                    seen.append(String.format(java.util.Locale.ROOT, " h %.0e: %.6g", h, numeric));
                    if (Double.isNaN(closest) || Math.abs(numeric - analytic) < Math.abs(closest - analytic)) {
                        closest = numeric;
                    }
                }
                // float32 networks: the members' own vector-Jacobian products agree with central differences within
                // 0.1–6% (noise in 784 summed float32 outputs, and max-pooling kinks); through F and three members,
                // within 10%. A missing term or a sign error is off by far more.
                double tolerance = detectorOnly ? 5e-2 : 1e-1;
                assertEquals(closest, analytic, tolerance * Math.max(1e-3, Math.abs(closest)), c + (detectorOnly
                        ? " (detector term)" : " (margins)") + " trial " + trial + ": gradient " + analytic
                        + ", finite differences" + seen);
            }
            assertTrue(total(lg.loss()) > 0, c.toString());
            }
        }
    }

    /**
     * EOT's loss with its draws fixed (two ensembles per image, of sizes 1 and 3, with their reformers) under minTA,
     * where a member's threshold depends on the ensemble: F's margins on the reformers alone, then the detector term
     * alone, against central finite differences as above.
     */
    @Test
    void eotGradientWithFixedDrawsMatchesFiniteDifferences() {
        org.multimagnet.workspace.ModelStore store = new org.multimagnet.workspace.ModelStore(
                org.multimagnet.TestWorkspaces.DEMO);
        NetworkClassifier f = store.loadClassifier();
        List<NetworkAutoencoder> s = new ArrayList<>();
        for (int id : new int[] {1, 2, 6}) {
            s.add(store.loadAutoencoder(id));
        }
        SplittableRandom rng = new SplittableRandom(5);
        int n = 2;
        float[] pixels = new float[n * SHAPE.size()];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = 0.1f + 0.8f * (float) rng.nextDouble();
        }
        INDArray x = Nd4j.create(pixels, SHAPE.batch(n));
        float[][] z = f.logits(x).toFloatMatrix();
        int[] away = new int[n];
        int[] unlikely = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 1; k < z[i].length; k++) {
                away[i] = z[i][k] > z[i][away[i]] ? k : away[i];
                unlikely[i] = z[i][k] < z[i][unlikely[i]] ? k : unlikely[i];
            }
        }
        // distinct thresholds, all below every mark: each hinge active, and minTA's minimum differs by ensemble
        double[] tau = new double[s.size()];
        for (int i = 0; i < s.size(); i++) {
            tau[i] = ReconstructionError.of(x, s.get(i).reconstruct(x)).minNumber().doubleValue() / (3 + i);
        }
        List<org.multimagnet.defense.Ensemble> drawn = List.of(
                new org.multimagnet.defense.Ensemble(new int[] {0, 1, 2}, 3),
                new org.multimagnet.defense.Ensemble(new int[] {2}, 3),
                new org.multimagnet.defense.Ensemble(new int[] {1}, 3),
                new org.multimagnet.defense.Ensemble(new int[] {0, 1, 2}, 3));
        List<Integer> reformers = List.of(1, 2, 1, 0);
        for (boolean detectorOnly : new boolean[] {false, true}) {
            int[] from = detectorOnly ? unlikely : away;
            AdaptiveAttack attack = new AdaptiveAttack(f, s, new AdaptiveAttack.Target(MetricName.RE, 1,
                    ThresholdApproach.MIN_TA, tau, List.of(1, 3)), new AdaptiveAttack.Settings(
                    AdaptiveAttack.Threat.WHITEBOX, AdaptiveAttack.Norm.L2, 1, 1, 0.1, detectorOnly ? 0.5 : 0, 0,
                    detectorOnly ? 0 : 1e3).withEot(2, 1));
            AdaptiveAttack.Weights w = attack.eotWeights(n, drawn, reformers);
            // member 0 reforms image 1 only, with weight ½; member 2 meets image 0 at its own τ (alone) and at
            // the ensemble's minimum
            assertEquals(0, w.margin[0][0]);
            assertEquals(0.5, w.margin[0][1]);
            assertEquals(4, w.hinge[2][0].length);
            AdaptiveAttack.LossAndGradient lg = attack.lossAndGradient(x, from, w);
            assertTrue(total(lg.loss()) != 0, "loss");
            double[] g = lg.gradient().castTo(DataType.DOUBLE).dup().data().asDouble();
            for (int trial = 0; trial < 3; trial++) {
                // along the gradient plus a random unit vector: the sum over members and draws has terms of both signs,
                // and along a purely random direction they cancel to a few percent of each, below the float32
                // noise of each term; a wrong weight or a missing term still moves the slope along ĝ
                double gNorm = 0;
                for (double v : g) {
                    gNorm += v * v;
                }
                gNorm = Math.sqrt(gNorm);
                double[] u = new double[pixels.length];
                double rNorm = 0;
                double[] r = new double[pixels.length];
                for (int p = 0; p < u.length; p++) {
                    r[p] = rng.nextGaussian();
                    rNorm += r[p] * r[p];
                }
                double norm = 0;
                for (int p = 0; p < u.length; p++) {
                    u[p] = g[p] / gNorm + r[p] / Math.sqrt(rNorm);
                    norm += u[p] * u[p];
                }
                double analytic = 0;
                for (int p = 0; p < u.length; p++) {
                    u[p] /= Math.sqrt(norm);
                    analytic += g[p] * u[p];
                }
                INDArray dir = Nd4j.create(u, SHAPE.batch(n)).castTo(DataType.FLOAT);
                double closest = Double.NaN;
                StringBuilder seen = new StringBuilder();
                for (double h : new double[] {3e-3, 1e-3, 3e-4}) {
                    double plus = total(attack.lossAndGradient(x.add(dir.mul(h)), from, w).loss());
                    double minus = total(attack.lossAndGradient(x.sub(dir.mul(h)), from, w).loss());
                    double numeric = (plus - minus) / (2 * h);
                    seen.append(String.format(java.util.Locale.ROOT, " h %.0e: %.6g", h, numeric));
                    if (Double.isNaN(closest) || Math.abs(numeric - analytic) < Math.abs(closest - analytic)) {
                        closest = numeric;
                    }
                }
                double tolerance = detectorOnly ? 5e-2 : 1e-1;
                assertEquals(closest, analytic, tolerance * Math.max(1e-3, Math.abs(closest)), (detectorOnly
                        ? "EOT detector term" : "EOT margins") + " trial " + trial + ": gradient " + analytic
                        + ", finite differences" + seen);
            }
        }
    }

    /** EOT's draws are those of deployment: the same seed draws the same ensembles and reformers. */
    @Test
    void eotDrawsAsDeploymentDraws() {
        double[] tau = {1, 2, 3, 4, 5};
        List<Integer> sizes = List.of(1, 3, 5);
        List<NetworkAutoencoder> five = new org.multimagnet.workspace.ModelStore(org.multimagnet.TestWorkspaces.DEMO)
                .loadAutoencoders().subList(0, 5);
        AdaptiveAttack attack = new AdaptiveAttack(null, five, new AdaptiveAttack.Target(MetricName.RE, 1,
                ThresholdApproach.MTA, tau, sizes), AdaptiveAttack.Settings.of(AdaptiveAttack.Threat.WHITEBOX,
                AdaptiveAttack.Norm.LINF, 0.1, 1).withEot(3, 9));
        AdaptiveAttack.Weights w = attack.eotWeights(1, new SplittableRandom(9));
        SplittableRandom same = new SplittableRandom(9);
        double[] margin = new double[5];
        double[] hinges = new double[5];
        for (int d = 0; d < 3; d++) {
            org.multimagnet.defense.Ensemble r = org.multimagnet.defense.Ensemble.draw(5, sizes, same);
            margin[org.multimagnet.defense.ReformerSource.ENSEMBLE.draw(r, same)] += 1.0 / 3;
            for (int q = 0; q < r.size(); q++) {
                hinges[r.member(q)] += 1;
            }
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(margin[i], w.margin[i][0], 1e-12, "margin weight of member " + i);
            assertEquals(hinges[i], w.hinge[i][0].length / 2, "hinge terms of member " + i);
        }
    }
}
