package org.multimagnet.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EnsembleAndVoteTest {

    @Test
    void sameSeedDrawsTheSameEnsembles() {
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        for (int k = 0; k < 20; k++) {
            assertEquals(Ensemble.draw(10, 5, a), Ensemble.draw(10, 5, b));
        }
    }

    @Test
    void differentSeedsDrawDifferentEnsembles() {
        assertNotEquals(Ensemble.draw(10, 5, new SplittableRandom(1)), Ensemble.draw(10, 5, new SplittableRandom(2)));
        Set<Ensemble> seen = new HashSet<>();
        for (long seed = 0; seed < 100; seed++) {
            seen.add(Ensemble.draw(10, 3, new SplittableRandom(seed)));
        }
        assertTrue(seen.size() > 50, "100 seeds gave only " + seen.size() + " of the 120 possible ensembles");
    }

    @Test
    void drawsDistinctMembersUniformly() {
        SplittableRandom rng = new SplittableRandom(7);
        int[] counts = new int[10];
        for (int k = 0; k < 10_000; k++) {
            Ensemble e = Ensemble.draw(10, 3, rng);
            assertEquals(3, e.size());
            assertEquals(3, java.util.Arrays.stream(e.members()).distinct().count());
            for (int p : e.members()) {
                counts[p]++;
            }
        }
        for (int c : counts) {
            assertEquals(3000, c, 200); // each member is drawn with probability 3/10
        }
    }

    @Test
    void refusesEvenSizesAndSizesAboveM() {
        SplittableRandom rng = new SplittableRandom(1);
        IllegalArgumentException even = assertThrows(IllegalArgumentException.class, () -> Ensemble.draw(10, 4, rng));
        assertTrue(even.getMessage().contains("odd"), even.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> Ensemble.draw(10, 11, rng));
        assertTrue(big.getMessage().contains("m = 10"), big.getMessage());
        assertEquals(9, Ensemble.draw(9, 9, rng).size(), "n = m is allowed (§4.2.1)");
    }

    @Test
    void oddEnsemblesNeverTie() {
        // Every pattern of member votes for n = 1, 3, 5, 7.
        for (int n = 1; n <= 7; n += 2) {
            for (int pattern = 0; pattern < (1 << n); pattern++) {
                double[] marks = new double[n];
                double[] thresholds = new double[n];
                for (int i = 0; i < n; i++) {
                    marks[i] = ((pattern >> i) & 1) == 1 ? 2.0 : 0.5;
                    thresholds[i] = 1.0;
                }
                Vote v = Vote.count(marks, thresholds);
                assertNotEquals(v.qLeg(), v.qAdv());
                assertEquals(n - Integer.bitCount(pattern), v.qLeg());
                assertEquals(v.qLeg() > v.qAdv() ? Verdict.LEGITIMATE : Verdict.ADVERSARIAL, v.verdict());
            }
        }
    }

    @Test
    void aMarkEqualToTheThresholdVotesLegitimate() {
        assertEquals(Verdict.LEGITIMATE, Vote.memberVote(0.25, 0.25));
        assertEquals(Verdict.ADVERSARIAL, Vote.memberVote(Math.nextUp(0.25), 0.25));
        assertEquals(Verdict.ADVERSARIAL, Vote.memberVote(Double.NaN, 0.25));
    }

    @Test
    void minTaUsesTheMinimumOfTheGivenMembersAndMtaTheirOwn() {
        double[] own = {0.4, 0.2, 0.9};
        assertArrayEquals(new double[] {0.2, 0.2, 0.2}, ThresholdApproach.MIN_TA.apply(own));
        assertArrayEquals(own, ThresholdApproach.MTA.apply(own));
        assertEquals(ThresholdApproach.MIN_TA, ThresholdApproach.fromPaperName("minTA"));
    }

    @Test
    void reformerFromTheEnsembleIsAMemberOfIt() {
        SplittableRandom rng = new SplittableRandom(3);
        Ensemble e = Ensemble.draw(10, 3, rng);
        Set<Integer> outside = new HashSet<>();
        for (int k = 0; k < 200; k++) {
            int p = ReformerSource.ENSEMBLE.draw(e, rng);
            assertTrue(java.util.Arrays.stream(e.members()).anyMatch(q -> q == p));
            int any = ReformerSource.REPOSITORY.draw(e, rng);
            if (java.util.Arrays.stream(e.members()).noneMatch(q -> q == any)) {
                outside.add(any);
            }
        }
        assertEquals(7, outside.size(), "from S, every member outside the ensemble is drawn too");
    }
}
