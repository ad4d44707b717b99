package org.multimagnet.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ThresholdsTest {

    @ParameterizedTest(name = "t_fp = {0}, |V_leg| = {1} -> index {2}")
    @CsvSource({
            "0.01, 2000, 19",    // ⌈20⌉ − 1
            "0.001, 5000, 4",    // 0.001·5000 is 5.000000000000001 in floating point: still index 4
            "0.005, 2000, 9",
            "0.015, 100, 1",     // ⌈1.5⌉ − 1
            "0.0001, 2000, 0",   // t_fp·|V| = 0.2 < 1: index 0, the largest mark
            "0.3, 10, 2",
            "0.99, 10, 9"})
    void indexIsCeilingOfTfpTimesVLegMinusOne(double tFp, int vLeg, int index) {
        assertEquals(index, Thresholds.index(tFp, vLeg));
    }

    @Test
    void thresholdIsTheMarkAtTheIndexOfTheDescendingSort() {
        double[] marks = {0.3, 0.9, 0.1, 0.5, 0.7, 0.2, 0.8, 0.4, 0.6, 0.0};
        assertEquals(0.9, Thresholds.threshold(marks, 0.05)); // index 0
        assertEquals(0.8, Thresholds.threshold(marks, 0.2));  // ⌈2⌉ − 1 = 1
        assertEquals(0.7, Thresholds.threshold(marks, 0.25)); // ⌈2.5⌉ − 1 = 2
        assertEquals(0.3, marks[0], "input left unsorted");
    }

    @Test
    void rejectsAboutAndNeverMoreThanTfpOfVLeg() {
        Random r = new Random(3);
        double[] marks = new double[2000];
        for (int j = 0; j < marks.length; j++) {
            marks[j] = r.nextDouble();
        }
        for (double tFp : new double[] {0.001, 0.01, 0.05, 0.2}) {
            double tau = Thresholds.threshold(marks, tFp);
            long rejected = java.util.Arrays.stream(marks).filter(v -> Vote.memberVote(v, tau) == Verdict.ADVERSARIAL)
                    .count();
            assertEquals((long) Math.ceil(tFp * marks.length - 1e-9) - 1, rejected, "t_fp = " + tFp);
            assertTrue(rejected <= tFp * marks.length);
        }
    }

    @Test
    void thresholdsOfManyMembersUseOnlyTheVLegPrefix() {
        // Member rows hold V_leg (3 images) then V_atk (2 images, huge marks that must not count).
        double[][] marks = {{0.1, 0.3, 0.2, 50, 60}, {1, 3, 2, 70, 80}};
        double[][] t = Thresholds.thresholds(marks, 3, new double[] {0.1, 0.5, 0.9});
        assertEquals(0.3, t[0][0]); // index 0
        assertEquals(3.0, t[0][1]);
        assertEquals(0.2, t[1][0]); // ⌈1.5⌉ − 1 = 1
        assertEquals(0.1, t[2][0]); // ⌈2.7⌉ − 1 = 2
        assertEquals(1.0, t[2][1]);
    }

    @Test
    void rejectsRatesOutsideTheOpenUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> Thresholds.index(0.0, 10));
        assertThrows(IllegalArgumentException.class, () -> Thresholds.index(1.0, 10));
    }
}
