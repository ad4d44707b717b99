package org.multimagnet.attack;

import java.util.SplittableRandom;
import org.multimagnet.data.ImageShape;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test-only two-layer network z = W2·tanh(W1·x + b1) + b2 with a hand-written backward pass (in plain Java
 * double precision, returned as float32 like a real classifier), plus the double-precision forward pass for finite
 * differences and independent predictions.
 */
final class TanhMlpClassifier implements Classifier {
    final ImageShape shape;
    final int hidden;
    final int k;
    final double[][] w1;
    final double[] b1;
    final double[][] w2;
    final double[] b2;

    TanhMlpClassifier(ImageShape shape, int hidden, int k, long seed, double scale1, double scale2) {
        this.shape = shape;
        this.hidden = hidden;
        this.k = k;
        SplittableRandom rnd = new SplittableRandom(seed);
        int d = shape.size();
        w1 = new double[hidden][d];
        b1 = new double[hidden];
        w2 = new double[k][hidden];
        b2 = new double[k];
        for (int h = 0; h < hidden; h++) {
            for (int j = 0; j < d; j++) {
                w1[h][j] = TestMath.gaussian(rnd) * scale1;
            }
            b1[h] = TestMath.gaussian(rnd) * 0.1;
        }
        for (int c = 0; c < k; c++) {
            for (int h = 0; h < hidden; h++) {
                w2[c][h] = TestMath.gaussian(rnd) * scale2;
            }
        }
    }

    @Override
    public ImageShape inputShape() {
        return shape;
    }

    @Override
    public int classCount() {
        return k;
    }

    // The forward and backward passes run in plain Java on the arrays' values: on a machine shared by many
    // processes, ND4J's per-op thread hand-offs cost milliseconds each, which made the iterative attacks' tests
    // take minutes. The maths is the same as the ND4J version of LinearSoftmaxClassifier; results go back as
    // float32 INDArrays like a real classifier's.

    @Override
    public INDArray logits(INDArray x) {
        int n = (int) x.size(0);
        float[] v = x.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        float[] z = new float[n * k];
        int d = shape.size();
        for (int i = 0; i < n; i++) {
            double[] zi = logits(slice(v, i, d));
            for (int c = 0; c < k; c++) {
                z[i * k + c] = (float) zi[c];
            }
        }
        return Nd4j.create(z, new long[] {n, k}, 'c');
    }

    @Override
    public LogitsAndGradient gradient(INDArray x, INDArray oneHot, INDArray weights) {
        int n = (int) x.size(0);
        int d = shape.size();
        float[] v = x.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        float[] y = oneHot == null ? null : oneHot.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        float[] w = weights == null ? null : weights.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        float[] z = new float[n * k];
        float[] g = new float[n * d];
        for (int i = 0; i < n; i++) {
            double[] xi = slice(v, i, d);
            double[] h = new double[hidden];
            for (int u = 0; u < hidden; u++) {
                double s = b1[u];
                for (int j = 0; j < d; j++) {
                    s += w1[u][j] * xi[j];
                }
                h[u] = Math.tanh(s);
            }
            double[] zi = b2.clone();
            for (int c = 0; c < k; c++) {
                for (int u = 0; u < hidden; u++) {
                    zi[c] += w2[c][u] * h[u];
                }
            }
            double[] gz = new double[k];
            if (y != null) {
                double max = Double.NEGATIVE_INFINITY;
                for (double q : zi) {
                    max = Math.max(max, q);
                }
                double sum = 0;
                for (double q : zi) {
                    sum += Math.exp(q - max);
                }
                for (int c = 0; c < k; c++) {
                    gz[c] += Math.exp(zi[c] - max) / sum - y[i * k + c];
                }
            }
            if (w != null) {
                for (int c = 0; c < k; c++) {
                    gz[c] += w[i * k + c];
                }
            }
            for (int u = 0; u < hidden; u++) {
                double gh = 0;
                for (int c = 0; c < k; c++) {
                    gh += gz[c] * w2[c][u];
                }
                double gPre = gh * (1 - h[u] * h[u]);
                for (int j = 0; j < d; j++) {
                    g[i * d + j] += (float) (gPre * w1[u][j]);
                }
            }
            for (int c = 0; c < k; c++) {
                z[i * k + c] = (float) zi[c];
            }
        }
        return new LogitsAndGradient(Nd4j.create(z, new long[] {n, k}, 'c'), Nd4j.create(g, x.shape(), 'c'));
    }

    private static double[] slice(float[] v, int i, int d) {
        double[] out = new double[d];
        for (int j = 0; j < d; j++) {
            out[j] = v[i * d + j];
        }
        return out;
    }

    /** z(x) in double precision, computed independently of ND4J. */
    double[] logits(double[] x) {
        double[] h = new double[hidden];
        for (int u = 0; u < hidden; u++) {
            double s = b1[u];
            for (int j = 0; j < x.length; j++) {
                s += w1[u][j] * x[j];
            }
            h[u] = Math.tanh(s);
        }
        double[] z = b2.clone();
        for (int c = 0; c < k; c++) {
            for (int u = 0; u < hidden; u++) {
                z[c] += w2[c][u] * h[u];
            }
        }
        return z;
    }
}
