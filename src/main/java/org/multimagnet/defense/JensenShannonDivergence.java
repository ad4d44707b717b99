package org.multimagnet.defense;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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
     * Eq. 6 and 7, vectorised over a batch and over members.
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
        long members = q3.size(0);
        INDArray logP = logSoftmaxRows(logitsP.castTo(DataType.DOUBLE).reshape('c', n, k), temperature);
        INDArray logQ = logSoftmaxRows(q3.castTo(DataType.DOUBLE).reshape('c', members * n, k), temperature);
        if (members > 1) {
            logP = Nd4j.tile(logP, (int) members, 1);
        }
        INDArray hi = Transforms.max(logP, logQ, true);
        INDArray gap = Transforms.abs(logP.sub(logQ), false).negi();
        INDArray logM = hi.addi(Transforms.log1p(Transforms.exp(gap, false), false)).subi(LN2);
        INDArray p = Transforms.exp(logP, true);
        INDArray q = Transforms.exp(logQ, true);
        INDArray klP = p.muli(logP.sub(logM)).sum(1);
        INDArray klQ = q.muli(logQ.sub(logM)).sum(1);
        INDArray jsd = klP.addi(klQ).muli(0.5);
        // Rounding can leave a tiny negative value for identical rows, or a hair above ln 2 for disjoint ones.
        jsd = Transforms.min(Transforms.max(jsd, 0.0, false), LN2, false);
        return jsd.reshape(members, n);
    }

    /** Row-wise log-softmax of z/T with the row maximum subtracted first (log-sum-exp trick). */
    private static INDArray logSoftmaxRows(INDArray z, double temperature) {
        INDArray s = z.div(temperature);
        INDArray max = s.max(1).reshape(s.size(0), 1);
        s.subiColumnVector(max);
        INDArray logSum = Transforms.log(Transforms.exp(s, true).sum(1), false).reshape(s.size(0), 1);
        return s.subiColumnVector(logSum);
    }
}
