package org.multimagnet.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.data.ImageShape;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Numerical edge cases: an all-black and an all-white image, a saturated classifier, a member whose marks
 * on V_leg are all equal (threshold ties), an ensemble larger than S. Each has a defined answer or a message.
 */
class NumericalEdgeCasesTest {
    private static final ImageShape SHAPE = Fakes.SHAPE;

    /** a(x) = x: reconstruction error 0 on every image, so every mark on V_leg is the same. */
    record IdentityAutoencoder(int id) implements Autoencoder {
        @Override
        public ImageShape inputShape() {
            return SHAPE;
        }

        @Override
        public INDArray reconstruct(INDArray x) {
            return x.castTo(DataType.FLOAT).dup();
        }
    }

    /** F with logits a million times the fake's: softmax is exactly 0 for all classes but one. */
    static final class SaturatedClassifier implements Classifier {
        final Fakes.LinearClassifier inner = new Fakes.LinearClassifier(11);

        @Override
        public ImageShape inputShape() {
            return SHAPE;
        }

        @Override
        public int classCount() {
            return Fakes.K;
        }

        @Override
        public INDArray logits(INDArray x) {
            return inner.logits(x).muli(1e6);
        }

        @Override
        public LogitsAndGradient gradient(INDArray x, INDArray oneHot, INDArray w) {
            throw new UnsupportedOperationException("deployment does not need gradients");
        }
    }

    private static INDArray filled(double value) {
        return Nd4j.valueArrayOf(new long[] {SHAPE.channels(), SHAPE.height(), SHAPE.width()}, value, DataType.FLOAT);
    }

    private static List<MemberThreshold> thresholds(int m, double t) {
        List<MemberThreshold> out = new ArrayList<>();
        for (int i = 1; i <= m; i++) {
            out.add(new MemberThreshold(i, t));
        }
        return out;
    }

    private static void checkDecision(Decision d, int n) {
        assertNotNull(d.verdict());
        assertEquals(n, d.qLeg() + d.qAdv());
        for (MemberVote v : d.members()) {
            assertTrue(Double.isFinite(v.mark()) && v.mark() >= 0, "mark " + v.mark());
            assertEquals(v.mark() <= v.threshold() ? Verdict.LEGITIMATE : Verdict.ADVERSARIAL, v.vote());
        }
        double sum = 0;
        for (float p : d.probabilities()) {
            assertTrue(p >= 0 && p <= 1 && Float.isFinite(p), "probability " + p);
            sum += p;
        }
        assertEquals(1.0, sum, 1e-5);
    }

    @Test
    void allBlackAndAllWhiteImagesGetAVerdictWithFiniteMarksForBothMetrics() {
        List<Autoencoder> s = Fakes.repository();
        for (Classifier f : List.of(new Fakes.LinearClassifier(11), new SaturatedClassifier())) {
            for (DeploymentSettings settings : List.of(
                    new DeploymentSettings(MetricName.RE, null, ThresholdApproach.MTA, 3, thresholds(5, 0.05), null),
                    new DeploymentSettings(MetricName.JSD, 40.0, ThresholdApproach.MIN_TA, 5, thresholds(5, 1e-4),
                            null))) {
                Deployment d = new Deployment(f, s, settings);
                for (double value : new double[] {0.0, 1.0}) {
                    Decision dec = d.decide(filled(value), new SplittableRandom(3));
                    checkDecision(dec, settings.ensembleSizes().get(0));
                    if (settings.metric() == MetricName.JSD) {
                        dec.members().forEach(v -> assertTrue(v.mark() <= JensenShannonDivergence.LN2 + 1e-12));
                    } else {
                        // RE of a(x) = (1−s)x + s/2 on a constant image is s/2 exactly, an independent check
                        for (MemberVote v : dec.members()) {
                            double shrink = 0.1 + 0.1 * v.id();
                            assertEquals(shrink / 2, v.mark(), 1e-6, "member " + v.id());
                        }
                    }
                }
            }
        }
    }

    @Test
    void identicalMarksOnVLegGiveThatMarkAsThresholdAndAVoteForLegitimateOnTies() {
        double[] ties = new double[50];
        java.util.Arrays.fill(ties, 0.25);
        for (double tFp : new double[] {0.001, 0.01, 0.5, 0.99}) {
            assertEquals(0.25, Thresholds.threshold(ties, tFp), "t_fp " + tFp);
        }
        // a whole calibration with one member whose RE is 0 on every image of V
        List<Autoencoder> s = new ArrayList<>(Fakes.repository().subList(0, 2));
        s.add(new IdentityAutoencoder(3));
        INDArray vLeg = Fakes.legitimate(40, 1);
        CalibrationGrid grid = new CalibrationGrid(List.of(0.01, 0.05), List.of(), List.of(MetricName.RE),
                List.of(ThresholdApproach.MTA), List.of(1, 3), 5L, 2);
        CalibrationResult r = Calibration.run(new Fakes.LinearClassifier(11), s, vLeg, Fakes.adversarial(vLeg, 2),
                grid, "ties", ProgressListener.NONE, Cancellation.NEVER);
        assertEquals(0.0, r.cBest().thresholdOf(3), "the tied mark is the threshold");
        for (GridRow row : r.rows()) {
            assertTrue(Double.isFinite(row.acc()) && row.acc() >= 0 && row.acc() <= 1, row.toString());
        }
        // deployed alone, the tied member votes legitimate on every image, black and white included
        Deployment alone = new Deployment(new Fakes.LinearClassifier(11), List.of(new IdentityAutoencoder(3)),
                new DeploymentSettings(MetricName.RE, null, ThresholdApproach.MTA, 1, List.of(new MemberThreshold(3,
                        r.cBest().thresholdOf(3))), null));
        for (double value : new double[] {0.0, 1.0}) {
            Decision d = alone.decide(filled(value), new SplittableRandom(1));
            assertEquals(Verdict.LEGITIMATE, d.verdict());
            assertEquals(0.0, d.members().get(0).mark());
        }
    }

    @Test
    void anEnsembleLargerThanSIsRefusedWithAMessageBeforeAnyForwardPass() {
        List<Autoencoder> s = Fakes.repository(); // m = 5
        AtomicInteger calls = new AtomicInteger();
        Classifier counting = new Fakes.LinearClassifier(11);
        Autoencoder watched = new Autoencoder() {
            @Override
            public int id() {
                return 9;
            }

            @Override
            public ImageShape inputShape() {
                return SHAPE;
            }

            @Override
            public INDArray reconstruct(INDArray x) {
                calls.incrementAndGet();
                return x.dup();
            }
        };
        List<Autoencoder> withWatched = new ArrayList<>(s);
        withWatched.set(0, watched);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Deployment(counting, s,
                new DeploymentSettings(MetricName.RE, null, ThresholdApproach.MTA, 7, thresholds(5, 0.1), null)));
        assertEquals("ensemble size n = 7 is larger than the repository S (m = 5 autoencoders)", e.getMessage());
        INDArray vLeg = Fakes.legitimate(10, 1);
        CalibrationGrid grid = new CalibrationGrid(List.of(0.01), List.of(), List.of(MetricName.RE),
                List.of(ThresholdApproach.MTA), List.of(3, 9), 5L, 2);
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> Calibration.run(counting,
                withWatched, vLeg, Fakes.adversarial(vLeg, 2), grid, "x", ProgressListener.NONE, Cancellation.NEVER));
        assertTrue(c.getMessage().contains("n = 9") && c.getMessage().contains("m = 5"), c.getMessage());
        assertEquals(0, calls.get(), "no forward pass was spent before the refusal");
    }
}
