package org.multimagnet.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.nn.Autoencoder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

class DeploymentTest {
    private static Fakes.LinearClassifier f;
    private static List<Autoencoder> s;
    private static INDArray legit;
    private static INDArray adv;
    private static CBest cBest;

    @BeforeAll
    static void calibrate() {
        f = new Fakes.LinearClassifier(11);
        s = Fakes.repository();
        INDArray vLeg = Fakes.legitimate(60, 1);
        CalibrationGrid grid = new CalibrationGrid(List.of(0.02), List.of(), List.of(MetricName.RE),
                List.of(ThresholdApproach.MTA), List.of(3), 5L, 2);
        cBest = Calibration.run(f, s, vLeg, Fakes.adversarial(vLeg, 2), grid, "fake", ProgressListener.NONE,
                Cancellation.NEVER).cBest();
        legit = Fakes.legitimate(12, 99); // unseen images
        adv = Fakes.adversarial(legit, 98);
    }

    private static INDArray image(INDArray batch, int j) {
        return batch.get(NDArrayIndex.point(j), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
    }

    @Test
    void votesAgreeWithMarksAndThresholdsAndVerdictsWithTheMajority() {
        Deployment d = new Deployment(f, s, DeploymentSettings.from(cBest));
        SplittableRandom rng = new SplittableRandom(1);
        int accepted = 0;
        for (int j = 0; j < 12; j++) {
            for (INDArray batch : List.of(legit, adv)) {
                Decision dec = d.decide(image(batch, j), rng);
                assertEquals(3, dec.members().size());
                int qLeg = 0;
                for (MemberVote v : dec.members()) {
                    assertEquals(v.mark() <= v.threshold() ? Verdict.LEGITIMATE : Verdict.ADVERSARIAL, v.vote());
                    assertEquals(cBest.thresholdOf(v.id()), v.threshold(), "MTA: the member's own threshold");
                    assertEquals(16, v.reconstruction().length);
                    qLeg += v.vote() == Verdict.LEGITIMATE ? 1 : 0;
                }
                assertEquals(qLeg, dec.qLeg());
                assertEquals(3 - qLeg, dec.qAdv());
                assertEquals(qLeg > 3 - qLeg ? Verdict.LEGITIMATE : Verdict.ADVERSARIAL, dec.verdict());
                if (batch == legit && dec.verdict() == Verdict.LEGITIMATE) {
                    accepted++;
                }
                if (batch == adv) {
                    assertEquals(Verdict.ADVERSARIAL, dec.verdict(), "the fake perturbation is plain to see");
                }
            }
        }
        assertTrue(accepted >= 10, "clean images accepted: " + accepted + " of 12");
    }

    @Test
    void reformedImageIsTheReformersReconstructionAndIsClassifiedByF() {
        Deployment d = new Deployment(f, s, DeploymentSettings.from(cBest));
        Decision dec = d.decide(image(legit, 0), new SplittableRandom(4));
        assertEquals(Verdict.LEGITIMATE, dec.verdict());
        int reformer = dec.reformerId();
        assertTrue(dec.members().stream().anyMatch(v -> v.id() == reformer), "paper §4.2.5: drawn from R");
        MemberVote mv = dec.members().stream().filter(v -> v.id() == reformer).findFirst().orElseThrow();
        assertArrayEquals(mv.reconstruction(), dec.reformed());
        INDArray z = f.logits(Nd4j.create(dec.reformed(), 1, 1, 4, 4));
        float[] p = Transforms.softmax(z, true).toFloatMatrix()[0];
        assertArrayEquals(p, dec.reformedProbabilities(), 1e-6f);
        assertEquals(Nd4j.argMax(z, 1).getInt(0), dec.reformedPrediction());
        float[] p0 = Transforms.softmax(f.logits(image(legit, 0).reshape(1, 1, 4, 4)), true).toFloatMatrix()[0];
        assertArrayEquals(p0, dec.probabilities(), 1e-6f);
    }

    @Test
    void discardedImagesAreNotReformed() {
        Deployment d = new Deployment(f, s, DeploymentSettings.from(cBest));
        Decision dec = d.decide(image(adv, 0), new SplittableRandom(4));
        assertEquals(Verdict.ADVERSARIAL, dec.verdict());
        assertNull(dec.reformerId());
        assertNull(dec.reformed());
        assertNull(dec.reformedPrediction());
        assertTrue(dec.defendedPrediction().isEmpty());
    }

    @Test
    void reformerFromTheWholeRepositoryIsComputedWhenOutsideTheEnsemble() {
        Deployment d = new Deployment(f, s, DeploymentSettings.from(cBest).withReformerSource(ReformerSource.REPOSITORY));
        boolean sawOutside = false;
        for (int seed = 0; seed < 30 && !sawOutside; seed++) {
            Decision dec = d.decide(image(legit, 1), new SplittableRandom(seed));
            int reformer = dec.reformerId();
            if (dec.members().stream().noneMatch(v -> v.id() == reformer)) {
                sawOutside = true;
                INDArray expected = s.get(reformer - 1).reconstruct(image(legit, 1).reshape(1, 1, 4, 4));
                assertArrayEquals(expected.reshape(-1).toFloatVector(), dec.reformed(), 1e-7f);
            }
        }
        assertTrue(sawOutside);
    }

    @Test
    void minTaComparesWithTheSmallestThresholdOfTheDrawnMembersOnly() {
        // Give member 5 a tiny threshold; ensembles without it must not feel it.
        List<MemberThreshold> tau = new ArrayList<>();
        for (MemberThreshold t : cBest.thresholds()) {
            tau.add(t.id() == 5 ? new MemberThreshold(5, 1e-9) : t);
        }
        Deployment d = new Deployment(f, s, new DeploymentSettings(MetricName.RE, null, ThresholdApproach.MIN_TA, 3,
                tau, null));
        Ensemble without5 = new Ensemble(new int[] {0, 1, 2}, 5);
        Decision dec = d.decide(image(legit, 2), without5, new SplittableRandom(1));
        double min = Math.min(cBest.thresholdOf(1), Math.min(cBest.thresholdOf(2), cBest.thresholdOf(3)));
        for (MemberVote v : dec.members()) {
            assertEquals(min, v.threshold());
        }
        Decision with5 = d.decide(image(legit, 2), new Ensemble(new int[] {0, 1, 4}, 5), new SplittableRandom(1));
        for (MemberVote v : with5.members()) {
            assertEquals(1e-9, v.threshold());
        }
        assertEquals(Verdict.ADVERSARIAL, with5.verdict());
    }

    @Test
    void sameSeedSameDecisionsDifferentSeedsDifferentEnsembles() {
        Deployment d = new Deployment(f, s, DeploymentSettings.from(cBest));
        List<List<Integer>> a = ensembles(d, 21);
        assertEquals(a, ensembles(d, 21));
        assertNotEquals(a, ensembles(d, 22));
    }

    private static List<List<Integer>> ensembles(Deployment d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<Integer>> out = new ArrayList<>();
        for (int j = 0; j < 6; j++) {
            Decision dec = d.decide(image(legit, j), rng);
            List<Integer> ids = new ArrayList<>(dec.members().stream().map(MemberVote::id).toList());
            ids.add(dec.reformerId() == null ? -1 : dec.reformerId());
            out.add(ids);
        }
        return out;
    }

    @Test
    void magNetIsTheOneMemberCase() {
        Deployment d = new Deployment(f, s, DeploymentSettings.from(cBest).withEnsembleSize(1));
        Decision dec = d.decide(image(legit, 3), new SplittableRandom(9));
        assertEquals(1, dec.members().size());
        assertEquals(dec.members().get(0).vote(), dec.verdict());
        if (dec.verdict() == Verdict.LEGITIMATE) {
            assertEquals(dec.members().get(0).id(), dec.reformerId());
        }
    }

    @Test
    void batchPathAgreesWithOneImageAtATime() {
        Deployment d = new Deployment(f, s, DeploymentSettings.from(cBest));
        INDArray both = Nd4j.concat(0, legit, adv);
        Ensemble r = d.drawEnsemble(new SplittableRandom(3));
        BatchDecision b = d.decideBatch(both, r, new SplittableRandom(5));
        SplittableRandom rng = new SplittableRandom(5);
        for (int j = 0; j < b.imageCount(); j++) {
            Decision one = d.decide(image(both, j), r, rng);
            assertEquals(one.verdict(), b.verdicts()[j]);
            assertEquals(one.qLeg(), b.qLeg()[j]);
            assertEquals(one.prediction(), b.predictions()[j]);
            assertEquals(one.reformerId() == null ? -1 : one.reformerId(), b.reformerIds()[j]);
            assertEquals(one.reformedPrediction() == null ? -1 : one.reformedPrediction(), b.reformedPredictions()[j]);
            for (int i = 0; i < r.size(); i++) {
                assertEquals(one.members().get(i).mark(), b.marks()[i][j], 1e-9);
            }
        }
    }

    @Test
    void refusesEnsembleLargerThanTheRepositoryAndMissingThresholds() {
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> new Deployment(f, s, DeploymentSettings.from(cBest).withEnsembleSize(7)));
        assertTrue(big.getMessage().contains("m = 5"), big.getMessage());
        List<MemberThreshold> partial = cBest.thresholds().subList(0, 4);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new Deployment(f, s,
                new DeploymentSettings(MetricName.RE, null, ThresholdApproach.MTA, 3, partial, null)));
        assertTrue(missing.getMessage().contains("autoencoder 5"), missing.getMessage());
        assertNotNull(cBest.timing());
    }
}
