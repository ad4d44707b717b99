package org.multimagnet.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.nn.Autoencoder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class CalibrationTest {
    private static final int N = 50;
    private static Fakes.LinearClassifier f;
    private static List<Autoencoder> s;
    private static INDArray vLeg;
    private static INDArray vAtk;
    private static CalibrationData data;

    @BeforeAll
    static void observe() {
        f = new Fakes.LinearClassifier(11);
        s = Fakes.repository();
        vLeg = Fakes.legitimate(N, 1);
        vAtk = Fakes.adversarial(vLeg, 2);
        data = Calibration.observe(f, s, vLeg, vAtk, ProgressListener.NONE, Cancellation.NEVER);
    }

    private static CalibrationGrid grid(List<Integer> sizes) {
        return new CalibrationGrid(List.of(0.1, 0.01), List.of(1.0, 10.0), List.of(MetricName.JSD, MetricName.RE),
                List.of(ThresholdApproach.MTA, ThresholdApproach.MIN_TA), sizes, 7L, 3);
    }

    @Test
    void picksTheCombinationOfHighestAccuracyOnAHandMadeGrid() {
        // The perturbation lives where F does not look: RE separates V_leg from V_atk perfectly, JSD cannot
        // (a legitimate image and its adversarial version get the same JSD mark). With one member (MagNet) the
        // rejected share of V_leg is round(t_fp·50): 5 images for t_fp = 0.1, 1 for 0.01 (0.5 rounds up).
        CalibrationResult r = Calibration.evaluate(data, grid(List.of(1, 3)), "fake", ProgressListener.NONE,
                Cancellation.NEVER);
        assertEquals(2 * 2 * (2 + 1) + 2 * (2 + 1), r.rows().size(),
                "JSD: 2 T × 2 t_fp × (2 δ for MultiMagNet + MTA for MagNet); RE: no T");
        CBest magnet = r.cBest(DefenseKind.MAGNET).orElseThrow();
        assertEquals(new Combination(0.01, null, MetricName.RE, ThresholdApproach.MTA, 1), magnet.combination());
        assertEquals(new ConfusionMatrix(3 * N, 0, 3, 3 * (N - 1)), magnet.confusion(), "3 ensembles pooled");
        CBest best = r.cBest();
        assertEquals(DefenseKind.MULTIMAGNET, best.defense());
        assertEquals(List.of(3), best.combination().ensembleSizes(), "the 1 of the grid's sizes is MagNet's");
        assertEquals(MetricName.RE, best.combination().metric());
        assertTrue(best.acc() >= magnet.acc(), best + " vs " + magnet);
        GridRow reLoose = r.rows().stream().filter(row -> row.combination().equals(
                new Combination(0.1, null, MetricName.RE, ThresholdApproach.MTA, 1))).findFirst().orElseThrow();
        assertEquals(new ConfusionMatrix(3 * N, 0, 3 * 5, 3 * (N - 5)), reLoose.confusion());
        assertEquals((2.0 * N - 5) / (2 * N), reLoose.acc(), 1e-12);
        assertEquals(1.0, reLoose.ppv(), 1e-12);
        assertEquals((N - 5.0) / N, reLoose.npv(), 1e-12);
        for (GridRow row : r.rows()) {
            if (row.combination().metric() == MetricName.JSD) {
                assertTrue(row.acc() <= 0.56, "JSD cannot see the perturbation, got " + row);
            }
        }
        assertEquals(s.size(), best.thresholds().size(), "C_best holds a threshold for every member of S");
        assertNull(best.combination().temperature());
    }

    @Test
    void aVAtkFromPartOfVLegIsWeighedAgainstItsOwnSourcesWithThresholdsFromAllOfVLeg() {
        int[] sources = {4, 9, 13, 21, 30, 31, 40, 47, 48, 49};
        INDArray atk = Fakes.adversarial(vLeg.get(NDArrayIndex.indices(toLong(sources)), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.all()).dup(), 2);
        CalibrationData paired = Calibration.observe(f, s, vLeg, atk, sources, ProgressListener.NONE,
                Cancellation.NEVER);
        assertEquals(sources.length, paired.legitimateInAccuracy());
        CalibrationGrid g = grid(List.of(1, 3));
        CalibrationResult r = Calibration.evaluate(paired, g, "fake", ProgressListener.NONE, Cancellation.NEVER);
        Map<List<Integer>, List<Ensemble>> drawn = Calibration.drawEnsembles(g, s.size());
        java.util.Set<Integer> sourceSet = java.util.Arrays.stream(sources).boxed().collect(java.util.stream.Collectors.toSet());
        for (GridRow row : r.rows()) {
            Combination c = row.combination();
            double[][] marks = paired.marks(c.metric(), c.temperature());
            // by hand: τ from the marks of all 50 images of V_leg; the vote counted on the 10 sources and V_atk only
            double[] tau = Thresholds.thresholds(marks, N, new double[] {c.falsePositiveRate()})[0];
            long tn = 0, fn = 0, fp = 0, tp = 0;
            for (Ensemble e : drawn.get(c.ensembleSizes())) {
                double[] own = new double[e.size()];
                for (int i = 0; i < e.size(); i++) {
                    own[i] = tau[e.member(i)];
                }
                double[] used = c.approach().apply(own);
                for (int j = 0; j < N + sources.length; j++) {
                    if (j < N && !sourceSet.contains(j)) {
                        continue;
                    }
                    int votes = 0;
                    for (int i = 0; i < e.size(); i++) {
                        votes += marks[e.member(i)][j] <= used[i] ? 1 : 0;
                    }
                    boolean legitimateVote = votes > e.size() - votes;
                    if (j < N) {
                        tp += legitimateVote ? 1 : 0;
                        fp += legitimateVote ? 0 : 1;
                    } else {
                        fn += legitimateVote ? 1 : 0;
                        tn += legitimateVote ? 0 : 1;
                    }
                }
            }
            assertEquals(new ConfusionMatrix(tn, fn, fp, tp), row.confusion(), c.toString());
            assertEquals(2L * sources.length * drawn.get(c.ensembleSizes()).size(), tn + fn + fp + tp,
                    "both halves of V weigh the same");
        }
        CalibrationData unpaired = Calibration.observe(f, s, vLeg, atk, ProgressListener.NONE, Cancellation.NEVER);
        assertEquals(N, unpaired.legitimateInAccuracy(), "without the pairing all of V_leg counts");
    }

    private static long[] toLong(int[] a) {
        return java.util.Arrays.stream(a).asLongStream().toArray();
    }

    @Test
    void cBestThresholdsAreEveryMembersThresholdForTheBestCombination() {
        CBest best = Calibration.evaluate(data, grid(List.of(3)), "fake", ProgressListener.NONE, Cancellation.NEVER)
                .cBest();
        double[][] marks = data.marks(best.combination().metric(), best.combination().temperature());
        for (int i = 0; i < s.size(); i++) {
            double[] onVLeg = java.util.Arrays.copyOf(marks[i], N);
            assertEquals(s.get(i).id(), best.thresholds().get(i).id());
            assertEquals(Thresholds.threshold(onVLeg, best.combination().falsePositiveRate()),
                    best.thresholds().get(i).threshold());
        }
    }

    @Test
    void minTaInTheGridUsesTheMinimumOverTheDrawnMembersOnly() {
        // Marks by hand: 3 members, V_leg = 2 images, V_atk = 1. Member 2 has a tiny threshold but is never drawn.
        double[][] marks = {{0.5, 0.4, 0.45}, {0.6, 0.5, 0.55}, {0.01, 0.01, 0.01}};
        double[] tau = {0.5, 0.6, 0.01};
        Ensemble r = new Ensemble(new int[] {0}, 3);
        Combination c = new Combination(0.1, null, MetricName.RE, ThresholdApproach.MIN_TA, 1);
        GridRow row = Calibration.evaluateCombination(c, List.of(r), marks, tau, 2);
        // Own threshold 0.5 (not the global minimum 0.01): both legitimate accepted, the adversarial (0.45) too.
        assertEquals(new ConfusionMatrix(0, 1, 0, 2), row.confusion());
        Ensemble r3 = new Ensemble(new int[] {0, 1, 2}, 3);
        Combination c3 = new Combination(0.1, null, MetricName.RE, ThresholdApproach.MIN_TA, 3);
        // With member 2 drawn, every member compares against 0.01: everything rejected.
        assertEquals(new ConfusionMatrix(1, 0, 2, 0),
                Calibration.evaluateCombination(c3, List.of(r3), marks, tau, 2).confusion());
    }

    @Test
    void gridMarksEqualMarksComputedOneImageAtATimeByDeployment() {
        for (MetricName me : MetricName.values()) {
            Double k = me == MetricName.JSD ? 10.0 : null;
            double[][] cached = data.marks(me, k);
            List<MemberThreshold> tau = s.stream().map(a -> new MemberThreshold(a.id(), 1.0)).toList();
            Deployment d = new Deployment(f, s, new DeploymentSettings(me, k, ThresholdApproach.MTA, 5, tau, null));
            INDArray v = org.nd4j.linalg.factory.Nd4j.concat(0, vLeg, vAtk);
            for (int j = 0; j < 2 * N; j += 4) { // every 4th image of V_leg and V_atk keeps the test fast
                INDArray x = v.get(NDArrayIndex.point(j), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
                Decision dec = d.decide(x, Ensemble.all(5), new SplittableRandom(j));
                for (int i = 0; i < 5; i++) {
                    assertEquals(s.get(i).id(), dec.members().get(i).id());
                    assertEquals(cached[i][j], dec.members().get(i).mark(), 1e-6 * Math.max(1e-3, cached[i][j]),
                            me + " member " + i + " image " + j);
                }
            }
        }
    }

    @Test
    void multiMagNetEnsemblesDrawTheirSizeLikeDeploymentAndMagNetHasOneMember() {
        CalibrationGrid g = new CalibrationGrid(List.of(0.1), List.of(), List.of(MetricName.RE),
                List.of(ThresholdApproach.MTA), List.of(1, 3, 5), 7L, 200);
        Map<List<Integer>, List<Ensemble>> drawn = Calibration.drawEnsembles(g, 5);
        assertEquals(java.util.Set.of(List.of(3, 5), List.of(1)), drawn.keySet());
        Map<Integer, Long> bySize = drawn.get(List.of(3, 5)).stream()
                .collect(java.util.stream.Collectors.groupingBy(Ensemble::size, java.util.stream.Collectors.counting()));
        assertEquals(java.util.Set.of(3, 5), bySize.keySet());
        assertTrue(bySize.get(3) > 70 && bySize.get(5) > 70, "n drawn uniformly: " + bySize);
        assertTrue(drawn.get(List.of(1)).stream().allMatch(e -> e.size() == 1));
    }

    @Test
    void tiesBetweenCombinationsAreRecordedInCBest() {
        // t_fp 0.1 and 0.104 of |V_leg| = 50 both give index 5 (5.2 rounds to 5): the same thresholds, the same
        // votes, the same accuracy.
        CalibrationGrid g = new CalibrationGrid(List.of(0.1, 0.104), List.of(), List.of(MetricName.RE),
                List.of(ThresholdApproach.MTA), List.of(3), 7L, 3);
        CalibrationResult r = Calibration.evaluate(data, g, "fake", ProgressListener.NONE, Cancellation.NEVER);
        CBest magnet = r.cBest(DefenseKind.MAGNET).orElseThrow();
        assertEquals(0.1, magnet.combination().falsePositiveRate(), "the first in grid order is kept");
        assertEquals(List.of(new Combination(0.104, null, MetricName.RE, ThresholdApproach.MTA, 1)), magnet.ties());
        CBest multi = r.cBest();
        assertEquals(List.of(new Combination(0.104, null, MetricName.RE, ThresholdApproach.MTA, List.of(3))),
                multi.ties());
    }

    @Test
    void ensembleDrawsFollowTheGridSeed() {
        CalibrationGrid g = grid(List.of(3));
        assertEquals(Calibration.drawEnsembles(g, 5), Calibration.drawEnsembles(g, 5));
        assertTrue(!Calibration.drawEnsembles(g, 5).equals(Calibration.drawEnsembles(g.withSeed(8), 5)));
    }

    @Test
    void refusesEnsembleSizesAboveM() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Calibration.evaluate(data,
                grid(List.of(7)), "fake", ProgressListener.NONE, Cancellation.NEVER));
        assertTrue(e.getMessage().contains("m = 5"), e.getMessage());
    }

    @Test
    void gridRejectsBadValuesNamingTheField() {
        IllegalArgumentException even = assertThrows(IllegalArgumentException.class, () -> new CalibrationGrid(
                List.of(0.01), List.of(1.0), List.of(MetricName.RE), List.of(ThresholdApproach.MTA), List.of(2), 1L, 1));
        assertTrue(even.getMessage().startsWith("ensembleSizes"), even.getMessage());
        IllegalArgumentException rate = assertThrows(IllegalArgumentException.class, () -> new CalibrationGrid(
                List.of(1.5), List.of(1.0), List.of(MetricName.RE), List.of(ThresholdApproach.MTA), List.of(1), 1L, 1));
        assertTrue(rate.getMessage().startsWith("falsePositiveRates"), rate.getMessage());
        IllegalArgumentException temp = assertThrows(IllegalArgumentException.class, () -> new CalibrationGrid(
                List.of(0.1), List.of(0.5), List.of(MetricName.JSD), List.of(ThresholdApproach.MTA), List.of(1), 1L, 1));
        assertTrue(temp.getMessage().startsWith("temperatures"), temp.getMessage());
    }

    @Test
    void gridRoundTripsThroughJson() throws Exception {
        CalibrationGrid g = CalibrationGrid.example();
        String json = org.multimagnet.common.Json.write(g);
        assertTrue(json.contains("\"minTA\""), json);
        assertEquals(g, org.multimagnet.common.Json.mapper().readValue(json, CalibrationGrid.class));
    }
}
