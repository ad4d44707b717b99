package org.multimagnet.attack;

import java.util.SplittableRandom;
import org.multimagnet.data.ImageShape;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Test-only two-layer network z = W2·tanh(W1·x + b1) + b2 with a hand-written backward pass, plus a plain-Java
 * double-precision copy of the forward pass for finite differences and independent predictions.
 */
final class TanhMlpClassifier implements Classifier {
    final ImageShape shape;
    final int hidden;
    final int k;
    final double[][] w1;
    final double[] b1;
    final double[][] w2;
    final double[] b2;
    private final INDArray w1Arr;
    private final INDArray b1Arr;
    private final INDArray w2Arr;
    private final INDArray b2Arr;

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
        w1Arr = TestMath.matrix(w1);
        w2Arr = TestMath.matrix(w2);
        b1Arr = TestMath.matrix(new double[][] {b1});
        b2Arr = TestMath.matrix(new double[][] {b2});
    }

    @Override
    public ImageShape inputShape() {
        return shape;
    }

    @Override
    public int classCount() {
        return k;
    }

    private INDArray hiddenOut(INDArray x) {
        long n = x.size(0);
        return Transforms.tanh(x.reshape('c', n, shape.size()).mmul(w1Arr.transpose()).addRowVector(b1Arr), true);
    }

    @Override
    public INDArray logits(INDArray x) {
        return hiddenOut(x).mmul(w2Arr.transpose()).addRowVector(b2Arr);
    }

    @Override
    public LogitsAndGradient gradient(INDArray x, INDArray oneHot, INDArray weights) {
        INDArray h = hiddenOut(x);
        INDArray z = h.mmul(w2Arr.transpose()).addRowVector(b2Arr);
        INDArray gz = Nd4j.zeros(z.dataType(), z.shape());
        if (oneHot != null) {
            gz.addi(TestMath.softmax(z).sub(oneHot));
        }
        if (weights != null) {
            gz.addi(weights);
        }
        INDArray gPre = gz.mmul(w2Arr).muli(h.mul(h).rsubi(1.0));
        return new LogitsAndGradient(z, gPre.mmul(w1Arr).reshape('c', x.shape()));
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
