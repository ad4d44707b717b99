package org.multimagnet.defense;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Jensen-Shannon divergence of paper Eq. 6 between P = softmax(z(x)/T) and Q = softmax(z(a(x))/T) (Eq. 7),
 * with natural logarithms, so 0 ≤ JSD ≤ ln 2.
 *
 * <p>Numerics: everything is done in log space in double precision. log P comes from a log-softmax with the row
 * maximum subtracted (no overflow for logits of any size); log M = log((P + Q)/2) = max(log P, log Q)
 * + log(1 + exp(−|log P − log Q|)) − ln 2 (never the log of an underflowed zero); and a term P(i)·(log P(i) −
 * log M(i)) with P(i) = 0 contributes 0 because both logs stay finite. The result is clamped to [0, ln 2]
 * against rounding.
 *
 * @param temperature k of Eq. 7, at least 1 (the paper's K; MagNet used 10 and 40)
 */
public record JensenShannonDivergence(double temperature) implements Metric {
    /** ln 2, the largest value JSD takes with natural logarithms. */
    public static final double LN2 = Math.log(2.0);

    public JensenShannonDivergence {
        if (!(temperature >= 1.0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 1 (paper §4.1.1), got "
                    + temperature);
        }
    }

    @Override
    public MetricName name() {
        return MetricName.JSD;
    }

    @Override
    public double[][] marks(Observations observations) {
        INDArray jsd = of(observations.logitsX(), observations.logitsReconstructed(), temperature);
        return jsd.toDoubleMatrix();
    }

    /**
     * Eq. 6 and 7 for every image of a batch and every member.
     *
     * @param logitsP     {@code [N, K]} logits z(x)
     * @param logitsQ     {@code [n, N, K]} logits z(a_i(x)) of n members (or {@code [N, K]}, read as n = 1)
     * @param temperature T ≥ 1
     * @return {@code [n, N]} divergences in [0, ln 2], double precision
     */
    public static INDArray of(INDArray logitsP, INDArray logitsQ, double temperature) {
        if (logitsP.rank() != 2) {
            throw new IllegalArgumentException("logitsP must be [N, K], got " + Arrays.toString(logitsP.shape()));
        }
        long n = logitsP.size(0);
        long k = logitsP.size(1);
        INDArray q3 = logitsQ.rank() == 2 ? logitsQ.reshape(1, logitsQ.size(0), logitsQ.size(1)) : logitsQ;
        if (q3.rank() != 3 || q3.size(1) != n || q3.size(2) != k) {
            throw new IllegalArgumentException("logitsQ must be [n, " + n + ", " + k + "], got "
                    + Arrays.toString(logitsQ.shape()));
        }
        int members = (int) q3.size(0);
        int rows = (int) n;
        int classes = (int) k;
        // plain loops over double arrays: the same arithmetic as ND4J ops but without their ~25 calls (and
        // temporaries) per evaluation, which were most of a single image's JSD in the deployment pane
        double[] logP = flatDoubles(logitsP);
        double[] logQ = flatDoubles(q3);
        for (int r = 0; r < rows; r++) {
            logSoftmaxRow(logP, r * classes, classes, temperature);
        }
        for (int r = 0; r < members * rows; r++) {
            logSoftmaxRow(logQ, r * classes, classes, temperature);
        }
        double[][] jsd = new double[members][rows];
        for (int m = 0; m < members; m++) {
            for (int r = 0; r < rows; r++) {
                int pAt = r * classes;
                int qAt = (m * rows + r) * classes;
                double klP = 0;
                double klQ = 0;
                for (int c = 0; c < classes; c++) {
                    double lp = logP[pAt + c];
                    double lq = logQ[qAt + c];
                    // log M = log((P + Q)/2) = max + log1p(exp(−|lp − lq|)) − ln 2, stable for tiny probabilities
                    double logM = Math.max(lp, lq) + Math.log1p(Math.exp(-Math.abs(lp - lq))) - LN2;
                    klP += Math.exp(lp) * (lp - logM);
                    klQ += Math.exp(lq) * (lq - logM);
                }
                // Rounding can leave a tiny negative value for identical rows, or a hair above ln 2 for disjoint ones.
                jsd[m][r] = Math.min(Math.max(0.5 * (klP + klQ), 0.0), LN2);
            }
        }
        return Nd4j.create(jsd);
    }

    private static double[] flatDoubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** In place on {@code v[at, at + k)}: log-softmax of z/T, the row maximum subtracted first (log-sum-exp). */
    public static void logSoftmaxRow(double[] v, int at, int k, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = at; c < at + k; c++) {
            v[c] /= temperature;
            max = Math.max(max, v[c]);
        }
        double sum = 0;
        for (int c = at; c < at + k; c++) {
            v[c] -= max;
            sum += Math.exp(v[c]);
        }
        double logSum = Math.log(sum);
        for (int c = at; c < at + k; c++) {
            v[c] -= logSum;
        }
    }
}
