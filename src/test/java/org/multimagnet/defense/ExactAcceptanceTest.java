package org.multimagnet.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The exact acceptance probability against a brute-force enumeration of every ensemble, and by hand. */
class ExactAcceptanceTest {

    /** Fraction of the subsets of size n of {0..m-1} (enumerated by bit mask) whose vote accepts the image. */
    private static double bruteForce(ThresholdApproach approach, double[] marks, double[] thresholds, int n) {
        int m = marks.length;
        int accepted = 0;
        int total = 0;
        for (int mask = 0; mask < 1 << m; mask++) {
            if (Integer.bitCount(mask) != n) {
                continue;
            }
            double[] own = new double[n];
            double[] ownMarks = new double[n];
            int j = 0;
            for (int i = 0; i < m; i++) {
                if ((mask >> i & 1) == 1) {
                    own[j] = thresholds[i];
                    ownMarks[j++] = marks[i];
                }
            }
            total++;
            accepted += Vote.count(ownMarks, approach.apply(own)).verdict() == Verdict.LEGITIMATE ? 1 : 0;
        }
        return (double) accepted / total;
    }

    @Test
    void byHand() {
        // m = 5, members 0, 2, 4 vote legitimate under their own thresholds
        double[] marks = {0.1, 0.9, 0.2, 0.8, 0.3};
        double[] tau = {0.5, 0.5, 0.5, 0.5, 0.5};
        // n = 3: [C(3,2)·C(2,1) + C(3,3)] / C(5,3) = 7/10
        assertEquals(0.7, ExactAcceptance.probability(ThresholdApproach.MTA, marks, tau, 3), 1e-15);
        assertEquals(0.6, ExactAcceptance.probability(ThresholdApproach.MTA, marks, tau, 1), 1e-15);
        assertEquals(1.0, ExactAcceptance.probability(ThresholdApproach.MTA, marks, tau, 5), 1e-15);
        // minTA with thresholds 0.15 (member 0) and 1 elsewhere: an ensemble with member 0 compares with 0.15, where
        // only member 0 votes legitimate; without it everyone compares with 1 and accepts.
        double[] tauMin = {0.15, 1, 1, 1, 1};
        // n = 3: C(4,3) = 4 of the 10 ensembles lack member 0
        assertEquals(0.4, ExactAcceptance.probability(ThresholdApproach.MIN_TA, marks, tauMin, 3), 1e-15);
        // n = 1: every member alone compares with its own threshold, and all five accept
        assertEquals(0.4 / 2 + 1.0 / 2,
                ExactAcceptance.probability(ThresholdApproach.MIN_TA, marks, tauMin, List.of(3, 1)), 1e-15);
    }

    @Test
    void equalsBruteForceEnumerationForRandomVotePatterns() {
        SplittableRandom rng = new SplittableRandom(11);
        int cases = 0;
        for (int trial = 0; trial < 400; trial++) {
            int m = 1 + rng.nextInt(12);
            double[] marks = new double[m];
            double[] tau = new double[m];
            for (int i = 0; i < m; i++) {
                // few distinct values: ties among thresholds and marks equal to thresholds occur
                marks[i] = rng.nextInt(6) / 5.0;
                tau[i] = rng.nextInt(6) / 5.0;
                if (rng.nextInt(20) == 0) {
                    marks[i] = Double.NaN; // votes adversarial
                }
            }
            for (int n = 1; n <= m; n += 2) {
                for (ThresholdApproach a : ThresholdApproach.values()) {
                    assertEquals(bruteForce(a, marks, tau, n), ExactAcceptance.probability(a, marks, tau, n), 1e-12,
                            a + " m=" + m + " n=" + n + " marks " + java.util.Arrays.toString(marks) + " τ "
                                    + java.util.Arrays.toString(tau));
                    cases++;
                }
            }
        }
        assertEquals(true, cases > 1000, cases + " cases");
    }

    @Test
    void enumeratesEveryEnsembleOnce() {
        int total = 0;
        for (int n = 1; n <= 9; n += 2) {
            List<Ensemble> all = ExactAcceptance.ensembles(10, n);
            Set<Ensemble> distinct = new HashSet<>(all);
            assertEquals(all.size(), distinct.size());
            assertEquals((long) ExactAcceptance.choose(10, n), all.size());
            total += all.size();
        }
        assertEquals(512, total, "the odd ensembles of a repository of 10");
        assertEquals(184_756, (long) ExactAcceptance.choose(20, 10));
        assertThrows(IllegalArgumentException.class, () -> ExactAcceptance.ensembles(10, 4));
    }
}
