package org.multimagnet.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ThresholdsTest {

    @ParameterizedTest(name = "t_fp = {0}, |V_leg| = {1} -> index {2}")
    @CsvSource({
            "0.01, 2000, 20",
            "0.001, 5000, 5",    // 0.001·5000 is 5.000000000000001 in floating point: still 5
            "0.07, 1000, 70",    // 70.00000000000001
            "0.005, 2000, 10",
            "0.015, 100, 2",     // 1.5 rounds up
            "0.0001, 2000, 0",   // t_fp·|V| = 0.2: index 0, the largest mark
            "0.3, 10, 3",
            "0.99, 10, 9"})      // 9.9 -> 10, clamped to |V_leg| - 1
    void indexIsTfpTimesVLegRounded(double tFp, int vLeg, int index) {
        assertEquals(index, Thresholds.index(tFp, vLeg));
    }

    @Test
    void thresholdIsTheMarkAtTheIndexOfTheDescendingSort() {
        double[] marks = {0.3, 0.9, 0.1, 0.5, 0.7, 0.2, 0.8, 0.4, 0.6, 0.0};
        assertEquals(0.9, Thresholds.threshold(marks, 0.04)); // round(0.4) = 0
        assertEquals(0.8, Thresholds.threshold(marks, 0.05)); // round(0.5) = 1
        assertEquals(0.7, Thresholds.threshold(marks, 0.2));  // 2
        assertEquals(0.6, Thresholds.threshold(marks, 0.25)); // round(2.5) = 3
        assertEquals(0.3, marks[0], "input left unsorted");
    }

    /**
     * The count of rejected images of V_leg, checked by hand: with distinct marks, round(t_fp·N) of them are
     * strictly above the threshold (paper §4.1.1: about t_fp of V_leg is rejected).
     */
    @ParameterizedTest(name = "t_fp = {0}, N = {1}: {2} rejected")
    @CsvSource({
            "0.001, 1000, 1", "0.05, 1000, 50", "0.1, 1000, 100",
            "0.001, 5000, 5", "0.05, 5000, 250", "0.1, 5000, 500",
            "0.001, 7, 0", "0.05, 7, 0", "0.1, 7, 1"})   // 0.007, 0.35 and 0.7 rounded
    void rejectsRoundTfpTimesNImagesOfVLeg(double tFp, int n, long expectedRejected) {
        Random r = new Random(n);
        double[] marks = new double[n];
        for (int j = 0; j < n; j++) {
            marks[j] = r.nextDouble();
        }
        double tau = Thresholds.threshold(marks, tFp);
        long rejected = java.util.Arrays.stream(marks).filter(v -> Vote.memberVote(v, tau) == Verdict.ADVERSARIAL)
                .count();
        assertEquals(expectedRejected, rejected);
        // the threshold is the largest mark that still passes: every rejected mark is above it
        long above = java.util.Arrays.stream(marks).filter(v -> v > tau).count();
        assertEquals(rejected, above);
    }

    @Test
    void thresholdsOfManyMembersUseOnlyTheVLegPrefix() {
        // Member rows hold V_leg (3 images) then V_atk (2 images, huge marks that must not count).
        double[][] marks = {{0.1, 0.3, 0.2, 50, 60}, {1, 3, 2, 70, 80}};
        double[][] t = Thresholds.thresholds(marks, 3, new double[] {0.1, 0.5, 0.9});
        assertEquals(0.3, t[0][0]); // round(0.3) = 0
        assertEquals(3.0, t[0][1]);
        assertEquals(0.1, t[1][0]); // round(1.5) = 2
        assertEquals(0.1, t[2][0]); // round(2.7) = 3, clamped to 2
        assertEquals(1.0, t[2][1]);
    }

    @Test
    void rejectsRatesOutsideTheOpenUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> Thresholds.index(0.0, 10));
        assertThrows(IllegalArgumentException.class, () -> Thresholds.index(1.0, 10));
    }
}
