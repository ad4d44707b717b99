package org.multimagnet.attack;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Small independent helpers for the attack tests (double precision, plain Java where it matters). */
final class TestMath {
    private TestMath() {
    }

    static double gaussian(SplittableRandom rnd) {
        double u = 1 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    static INDArray matrix(double[][] m) {
        float[] v = new float[m.length * m[0].length];
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[0].length; c++) {
                v[r * m[0].length + c] = (float) m[r][c];
            }
        }
        return Nd4j.create(v, new long[] {m.length, m[0].length}, 'c');
    }

    /** Row-wise softmax. */
    static INDArray softmax(INDArray z) {
        INDArray e = Transforms.exp(z.subColumnVector(z.max(true, 1)), true);
        return e.divColumnVector(e.sum(true, 1));
    }

    static int argmax(double[] z) {
        int best = 0;
        for (int j = 1; j < z.length; j++) {
            if (z[j] > z[best]) {
                best = j;
            }
        }
        return best;
    }

    /** Cross-entropy of softmax(z) at label y, in double. */
    static double crossEntropy(double[] z, int y) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (double v : z) {
            s += Math.exp(v - max);
        }
        return Math.log(s) + max - z[y];
    }

    /** Central finite difference of {@code fn} at {@code x}, step h. */
    static double[] centralDifference(Function<double[], Double> fn, double[] x, double h) {
        double[] g = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[j] += h;
            minus[j] -= h;
            g[j] = (fn.apply(plus) - fn.apply(minus)) / (2 * h);
        }
        return g;
    }

    static double[] image(float[] pixels, int i, int d) {
        double[] x = new double[d];
        for (int j = 0; j < d; j++) {
            x[j] = pixels[i * d + j];
        }
        return x;
    }

    /** Images with pixels uniform in [lo, hi]. */
    static float[] uniformImages(int n, int d, double lo, double hi, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] p = new float[n * d];
        for (int j = 0; j < p.length; j++) {
            p[j] = (float) (lo + (hi - lo) * rnd.nextDouble());
        }
        return p;
    }
}
