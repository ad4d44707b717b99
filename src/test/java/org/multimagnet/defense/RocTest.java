package org.multimagnet.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** AUC against a brute-force count of pairs and against the area under its own curve; the intervals by hand. */
class RocTest {

    private static double pairs(double[] leg, double[] adv) {
        double wins = 0;
        for (double a : adv) {
            for (double l : leg) {
                int c = Double.compare(a, l);
                wins += c > 0 ? 1 : c == 0 ? 0.5 : 0;
            }
        }
        return wins / ((double) leg.length * adv.length);
    }

    private static double trapezoid(List<Roc.Point> curve) {
        double area = 0;
        for (int k = 1; k < curve.size(); k++) {
            Roc.Point a = curve.get(k - 1);
            Roc.Point b = curve.get(k);
            area += (b.fpr() - a.fpr()) * (a.tpr() + b.tpr()) / 2;
        }
        return area;
    }

    @Test
    void aucIsTheShareOfPairsOrderedRightAndTheAreaUnderTheCurve() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            double[] leg = new double[1 + rng.nextInt(40)];
            double[] adv = new double[1 + rng.nextInt(40)];
            for (int i = 0; i < leg.length; i++) {
                leg[i] = rng.nextInt(8) / 4.0; // ties within and across the two sets
            }
            for (int i = 0; i < adv.length; i++) {
                adv[i] = rng.nextInt(10) / 4.0;
                if (rng.nextInt(30) == 0) {
                    adv[i] = Double.NaN;
                }
            }
            Roc roc = Roc.of(leg, adv);
            assertEquals(pairs(leg, adv), roc.auc(), 1e-12);
            assertEquals(roc.auc(), trapezoid(roc.points()), 1e-12);
            Roc.Point first = roc.points().get(0);
            Roc.Point last = roc.points().get(roc.points().size() - 1);
            assertEquals(0, first.fpr() + first.tpr());
            assertEquals(2, last.fpr() + last.tpr(), 1e-12);
            assertTrue(roc.low() <= roc.auc() && roc.auc() <= roc.high());
        }
    }

    @Test
    void intervalsByHand() {
        // Hanley–McNeil at A = 0.75, 4 adversarial and 4 legitimate images: Q1 = 0.6, Q2 = 0.642857…
        Roc roc = Roc.of(new double[] {0, 1, 2, 5}, new double[] {1.5, 3, 4, 6}); // pairs ordered right: 2 + 3 + 3 + 4 = 12 of 16
        assertEquals(0.75, roc.auc(), 1e-15);
        double q1 = 0.75 / 1.25;
        double q2 = 2 * 0.5625 / 1.75;
        double se = Math.sqrt((0.75 * 0.25 + 3 * (q1 - 0.5625) + 3 * (q2 - 0.5625)) / 16);
        assertEquals(0.75 - 1.96 * se, roc.low(), 1e-12);
        assertEquals(Math.min(1, 0.75 + 1.96 * se), roc.high(), 1e-12);
        // Wilson with z = 1.96: 0 of 10 → [0, 0.27754]; 5 of 10 → [0.23659, 0.76341]
        Roc.Proportion none = Roc.Proportion.of(0, 10);
        assertEquals(0, none.low(), 1e-12);
        assertEquals(0.27754, none.high(), 1e-5); // z = 1.96
        Roc.Proportion half = Roc.Proportion.of(5, 10);
        assertEquals(0.23659, half.low(), 1e-5);
        assertEquals(0.76341, half.high(), 1e-5);
        assertTrue(Double.isNaN(Roc.Proportion.of(0, 0).value()));
    }
}
