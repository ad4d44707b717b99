package org.multimagnet.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class JensenShannonDivergenceTest {
    private static final double LN2 = Math.log(2);

    private static double jsd(double[] zp, double[] zq, double t) {
        return JensenShannonDivergence.of(Nd4j.create(new double[][] {zp}), Nd4j.create(new double[][] {zq}), t)
                .getDouble(0, 0);
    }

    @Test
    void identicalDistributionsGiveZero() {
        assertEquals(0.0, jsd(new double[] {1, 2, 3}, new double[] {1, 2, 3}, 1), 1e-15);
        // Shifting every logit by a constant leaves the softmax unchanged.
        assertEquals(0.0, jsd(new double[] {1, 2, 3}, new double[] {101, 102, 103}, 1), 1e-12);
    }

    @Test
    void disjointDistributionsGiveLn2() {
        assertEquals(LN2, jsd(new double[] {1000, -1000}, new double[] {-1000, 1000}, 1), 1e-12);
    }

    @Test
    void twoClassExampleMatchesHandComputation() {
        // P = softmax(0, 0) = (1/2, 1/2); Q = softmax(ln 3, 0) = (3/4, 1/4); M = (5/8, 3/8).
        double klPM = 0.5 * Math.log(0.5 / 0.625) + 0.5 * Math.log(0.5 / 0.375);
        double klQM = 0.75 * Math.log(0.75 / 0.625) + 0.25 * Math.log(0.25 / 0.375);
        double expected = 0.5 * klPM + 0.5 * klQM;
        // By hand: KL(P‖M) = ½ln 0.8 + ½ln(4/3) = 0.032269, KL(Q‖M) = ¾ln 1.2 + ¼ln(2/3) = 0.035375.
        assertEquals(0.033822, expected, 1e-6);
        assertEquals(expected, jsd(new double[] {0, 0}, new double[] {Math.log(3), 0}, 1), 1e-12);
        // Eq. 7: the temperature divides the logits, so T = 2 on doubled logits gives the same value.
        assertEquals(expected, jsd(new double[] {0, 0}, new double[] {2 * Math.log(3), 0}, 2), 1e-12);
        assertTrue(jsd(new double[] {0, 0}, new double[] {Math.log(3), 0}, 10) < expected, "T softens");
    }

    @Test
    void hugeLogitsNeitherOverflowNorGiveNaN() {
        float big = 3e38f;
        INDArray p = Nd4j.create(new float[][] {{big, -big, 0}, {big, big, -big}, {1e4f, 0, 0}});
        INDArray q = Nd4j.create(new float[][] {{-big, big, 0}, {big, big, -big}, {0, 1e4f, 0}});
        INDArray jsd = JensenShannonDivergence.of(p, q, 1);
        for (int j = 0; j < 3; j++) {
            double v = jsd.getDouble(0, j);
            assertFalse(Double.isNaN(v) || Double.isInfinite(v), "row " + j + " gave " + v);
            assertTrue(v >= 0 && v <= LN2, "row " + j + " gave " + v);
        }
        assertEquals(LN2, jsd.getDouble(0, 0), 1e-12);
        assertEquals(0.0, jsd.getDouble(0, 1), 1e-12);
        assertEquals(LN2, jsd.getDouble(0, 2), 1e-12);
    }

    @Test
    void vectorisedOverMembersMatchesANaiveComputation() {
        Random r = new Random(5);
        int members = 3, n = 7, k = 4;
        double[][] zp = new double[n][k];
        double[][][] zq = new double[members][n][k];
        for (int j = 0; j < n; j++) {
            for (int c = 0; c < k; c++) {
                zp[j][c] = r.nextGaussian() * 4;
                for (int i = 0; i < members; i++) {
                    zq[i][j][c] = zp[j][c] + r.nextGaussian() * (i + 1);
                }
            }
        }
        INDArray out = JensenShannonDivergence.of(Nd4j.create(zp), Nd4j.create(zq), 3.0);
        assertEquals(members, out.size(0));
        assertEquals(n, out.size(1));
        for (int i = 0; i < members; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(naive(zp[j], zq[i][j], 3.0), out.getDouble(i, j), 1e-12);
            }
        }
    }

    @Test
    void rejectsTemperatureBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new JensenShannonDivergence(0.5));
    }

    /** Eq. 6 and 7 written out directly. */
    private static double naive(double[] zp, double[] zq, double t) {
        double[] p = softmax(zp, t);
        double[] q = softmax(zq, t);
        double klp = 0, klq = 0;
        for (int c = 0; c < p.length; c++) {
            double m = 0.5 * (p[c] + q[c]);
            klp += p[c] * Math.log(p[c] / m);
            klq += q[c] * Math.log(q[c] / m);
        }
        return 0.5 * klp + 0.5 * klq;
    }

    private static double[] softmax(double[] z, double t) {
        double sum = 0;
        double[] e = new double[z.length];
        for (int c = 0; c < z.length; c++) {
            e[c] = Math.exp(z[c] / t);
            sum += e[c];
        }
        for (int c = 0; c < z.length; c++) {
            e[c] /= sum;
        }
        return e;
    }
}
