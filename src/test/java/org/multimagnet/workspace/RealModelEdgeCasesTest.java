package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.ImageShape;
import org.multimagnet.defense.Decision;
import org.multimagnet.defense.Deployment;
import org.multimagnet.defense.DeploymentSettings;
import org.multimagnet.defense.JensenShannonDivergence;
import org.multimagnet.defense.MemberThreshold;
import org.multimagnet.defense.MemberVote;
import org.multimagnet.defense.MetricName;
import org.multimagnet.defense.ThresholdApproach;
import org.multimagnet.defense.Verdict;
import org.multimagnet.nn.ModelSpec;
import org.multimagnet.nn.ModelSpecs;
import org.multimagnet.nn.NetworkAutoencoder;
import org.multimagnet.nn.NetworkClassifier;
import org.multimagnet.nn.NetworkModel;
import org.multimagnet.nn.Trainer;
import org.multimagnet.nn.TrainingListener;
import org.multimagnet.nn.TrainingOptions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An all-black and an all-white image through deployment with real SameDiff models (the MNIST classifier
 * and members 1..3, each trained for one batch): a verdict, finite marks and probabilities, never NaN.
 */
class RealModelEdgeCasesTest {
    private static NetworkModel trainOneBatch(ModelSpec spec) {
        ImageShape shape = ImageShape.MNIST;
        int n = 8;
        float[] px = new float[n * shape.size()];
        SplittableRandom rnd = new SplittableRandom(spec.id() + 1);
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) rnd.nextDouble();
        }
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7};
        Dataset d = new Dataset("synthetic", "test", shape, px, labels, CrashArtifacts.DIGITS, -1);
        return new Trainer(TrainingListener.NONE, Cancellation.NEVER)
                .train(spec, d, labels, new TrainingOptions(1, n, 1, n, 0)).model();
    }

    @Test
    void blackAndWhiteImagesThroughRealModels() {
        NetworkClassifier f = (NetworkClassifier) trainOneBatch(ModelSpecs.mnistClassifier());
        List<NetworkAutoencoder> s = new ArrayList<>();
        for (ModelSpec spec : ModelSpecs.mnistMembers().subList(0, 3)) {
            s.add((NetworkAutoencoder) trainOneBatch(spec));
        }
        List<MemberThreshold> tau = List.of(new MemberThreshold(1, 0.05), new MemberThreshold(2, 0.05),
                new MemberThreshold(3, 0.05));
        for (DeploymentSettings settings : List.of(
                new DeploymentSettings(MetricName.RE, null, ThresholdApproach.MTA, 3, tau, null),
                new DeploymentSettings(MetricName.JSD, 100.0, ThresholdApproach.MIN_TA, 3, tau, null))) {
            Deployment d = new Deployment(f, s, settings);
            for (float value : new float[] {0f, 1f}) {
                INDArray image = Nd4j.valueArrayOf(new long[] {1, 28, 28}, value, DataType.FLOAT);
                Decision dec = d.decide(image, new SplittableRandom(5));
                assertNotNull(dec.verdict());
                assertEquals(3, dec.qLeg() + dec.qAdv());
                for (MemberVote v : dec.members()) {
                    assertTrue(Double.isFinite(v.mark()) && v.mark() >= 0, settings.metric() + " mark " + v.mark());
                    if (settings.metric() == MetricName.JSD) {
                        assertTrue(v.mark() <= JensenShannonDivergence.LN2 + 1e-9);
                    } else {
                        // RE recomputed independently from the member's own reconstruction
                        double re = 0;
                        for (float r : v.reconstruction()) {
                            re += Math.abs(r - value);
                        }
                        assertEquals(re / v.reconstruction().length, v.mark(), 1e-5);
                    }
                }
                double sum = 0;
                for (float p : dec.probabilities()) {
                    assertTrue(Float.isFinite(p) && p >= 0 && p <= 1);
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-4);
                if (dec.verdict() == Verdict.LEGITIMATE) {
                    assertNotNull(dec.reformedPrediction());
                }
            }
        }
    }
}
