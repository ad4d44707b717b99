package org.multimagnet.experiment;

import org.multimagnet.defense.DefenseKind;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.multimagnet.common.Cancellation;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.CalibrationTiming;
import org.multimagnet.defense.Combination;
import org.multimagnet.defense.ConfusionMatrix;
import org.multimagnet.defense.MemberThreshold;
import org.multimagnet.defense.MetricName;
import org.multimagnet.defense.Observations;
import org.multimagnet.defense.ReformerSource;
import org.multimagnet.defense.ThresholdApproach;
import org.multimagnet.defense.Verdict;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The protocol checked on a hand-made D whose every vote is known. */
class ProtocolTest {
    private static final int M = 5;

    /**
     * D: 6 legitimate images (marks 0.1 for every member, below every threshold of 0.5) and 6 adversarial ones.
     * Adversarial images 6..8 have mark 0.9 for every member (always detected); 9..11 have mark 0.2 (never detected).
     * F classifies x correctly except the adversarial images; every reconstruction is classified correctly.
     */
    private static ProtocolData handMadeD() {
        int count = 12;
        int[] labels = new int[count];
        double[][] re = new double[M][count];
        INDArray logitsX = Nd4j.zeros(DataType.FLOAT, count, 3);
        INDArray logitsR = Nd4j.zeros(DataType.FLOAT, M, count, 3);
        for (int i = 0; i < count; i++) {
            labels[i] = i % 3;
            int predicted = i >= 6 ? (labels[i] + 1) % 3 : labels[i];
            logitsX.putScalar(new long[] {i, predicted}, 5f);
            for (int a = 0; a < M; a++) {
                re[a][i] = i < 6 ? 0.1 : (i < 9 ? 0.9 : 0.2);
                logitsR.putScalar(new long[] {a, i, labels[i]}, 5f);
            }
        }
        Observations o = new Observations(new int[] {1, 2, 3, 4, 5}, logitsX, logitsR, re, null);
        return new ProtocolData(o, labels, 6);
    }

    private static CBest cBest(ThresholdApproach approach) {
        List<MemberThreshold> t = new ArrayList<>();
        for (int id = 1; id <= M; id++) {
            t.add(new MemberThreshold(id, 0.5));
        }
        return new CBest("fgsm", new Combination(0.01, null, MetricName.RE, approach, 3), 1, 1, 1,
                new ConfusionMatrix(1, 0, 0, 1), t, 6, 6, 1, 1, "2026-11-25T00:00:00Z",
                new CalibrationTiming(0, 0, 0, 0, 1, 1), Map.of());
    }

    @Test
    void scoresEqualTheHandComputedValuesWhenEveryChunkIsAllOfD() {
        ProtocolSettings s = new ProtocolSettings(1, 12, 7, List.of(3), ReformerSource.ENSEMBLE);
        Evaluation e = Protocol.run(handMadeD(), cBest(ThresholdApproach.MTA), DefenseKind.MULTIMAGNET, s, "hand",
                null, Cancellation.NEVER);
        ConfusionMatrix cm = e.chunks().get(0).confusion();
        assertEquals(new ConfusionMatrix(3, 3, 0, 6), cm);
        assertEquals(9.0 / 12, e.accuracy().mean(), 1e-12);
        assertEquals(3.0 / 6, e.ppv().mean(), 1e-12, "PPV = TN/(TN+FN): detection rate");
        assertEquals(1.0, e.npv().mean(), 1e-12, "NPV = TP/(TP+FP)");
        assertEquals(6.0 / 12, e.scenarios().noDefense().mean(), 1e-12, "F fails on every adversarial image");
        // detector: 6 legit accepted and right, 3 adversarial discarded (right), 3 adversarial accepted and wrong
        assertEquals(9.0 / 12, e.scenarios().detector().mean(), 1e-12);
        // the reformer's reconstructions are all classified correctly
        assertEquals(1.0, e.scenarios().withReformer().mean(), 1e-12);
        assertEquals(0.0, e.attackAccuracy(), 1e-12, "Table 6: F is wrong on all of D_atk");
    }

    @Test
    void exportedMarksRecomputeThePrintedScores() {
        ProtocolSettings s = new ProtocolSettings(4, 3, 11, List.of(1, 3, 5), ReformerSource.ENSEMBLE);
        List<MarkRow> rows = new ArrayList<>();
        Evaluation e = Protocol.run(handMadeD(), cBest(ThresholdApproach.MIN_TA), DefenseKind.MULTIMAGNET, s, "hand",
                rows::add, Cancellation.NEVER);
        double[] acc = new double[4];
        for (int c = 0; c < 4; c++) {
            int chunk = c;
            Set<Integer> images = new HashSet<>();
            int correct = 0;
            for (MarkRow r : rows) {
                if (r.chunk() == chunk && images.add(r.image())) {
                    correct += r.truth() == r.verdict() ? 1 : 0;
                }
                if (r.chunk() == chunk) {
                    assertEquals(r.mark() <= r.threshold() ? Verdict.LEGITIMATE : Verdict.ADVERSARIAL, r.vote());
                    assertTrue(r.ensembleSize() % 2 == 1);
                }
            }
            assertEquals(3, images.size());
            acc[c] = correct / 3.0;
        }
        assertEquals(MeanStd.of(acc).mean(), e.accuracy().mean(), 1e-12);
        assertEquals(MeanStd.of(acc).std(), e.accuracy().std(), 1e-12);
    }

    @Test
    void sameSeedSameChunksAndEnsembles() {
        ProtocolSettings s = new ProtocolSettings(3, 4, 5, List.of(3, 5), ReformerSource.ENSEMBLE);
        Evaluation a = Protocol.run(handMadeD(), cBest(ThresholdApproach.MTA), DefenseKind.MULTIMAGNET, s, "h", null, Cancellation.NEVER);
        Evaluation b = Protocol.run(handMadeD(), cBest(ThresholdApproach.MTA), DefenseKind.MULTIMAGNET, s, "h", null, Cancellation.NEVER);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(a.chunks().get(c).memberIds(), b.chunks().get(c).memberIds());
        }
    }

    @Test
    void tooFewImagesForTheChunksIsRefusedWithTheCounts() {
        ProtocolSettings s = new ProtocolSettings(40, 100, 1, List.of(3), ReformerSource.ENSEMBLE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Protocol.run(handMadeD(),
                cBest(ThresholdApproach.MTA), DefenseKind.MULTIMAGNET, s, "h", null, Cancellation.NEVER));
        assertTrue(e.getMessage().contains("4000") && e.getMessage().contains("12"), e.getMessage());
    }
}
