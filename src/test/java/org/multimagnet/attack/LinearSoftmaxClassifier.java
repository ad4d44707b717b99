package org.multimagnet.attack;

import java.util.SplittableRandom;
import org.multimagnet.data.ImageShape;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test-only linear classifier z = W·x + b with analytic input gradients, plus a plain-Java double-precision copy
 * of the same function for independent checks.
 */
final class LinearSoftmaxClassifier implements Classifier {
    final ImageShape shape;
    final int k;
    final double[][] w; // [K][D]
    final double[] b;   // [K]
    private final INDArray wArr;
    private final INDArray bArr;

    LinearSoftmaxClassifier(ImageShape shape, double[][] w, double[] b) {
        this.shape = shape;
        this.k = b.length;
        this.w = w;
        this.b = b;
        float[] wf = new float[k * shape.size()];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < shape.size(); j++) {
                wf[c * shape.size() + j] = (float) w[c][j];
            }
        }
        float[] bf = new float[k];
        for (int c = 0; c < k; c++) {
            bf[c] = (float) b[c];
        }
        this.wArr = Nd4j.create(wf, new long[] {k, shape.size()}, 'c');
        this.bArr = Nd4j.create(bf, new long[] {1, k}, 'c');
    }

    /** Weights N(0, scale²), biases 0. */
    static LinearSoftmaxClassifier random(ImageShape shape, int k, double scale, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] w = new double[k][shape.size()];
        for (double[] row : w) {
            for (int j = 0; j < row.length; j++) {
                row[j] = TestMath.gaussian(rnd) * scale;
            }
        }
        return new LinearSoftmaxClassifier(shape, w, new double[k]);
    }

    @Override
    public ImageShape inputShape() {
        return shape;
    }

    @Override
    public int classCount() {
        return k;
    }

    @Override
    public INDArray logits(INDArray x) {
        long n = x.size(0);
        return x.reshape('c', n, shape.size()).mmul(wArr.transpose()).addRowVector(bArr);
    }

    @Override
    public LogitsAndGradient gradient(INDArray x, INDArray oneHot, INDArray weights) {
        INDArray z = logits(x);
        INDArray coef = Nd4j.zeros(z.dataType(), z.shape());
        if (oneHot != null) {
            coef.addi(TestMath.softmax(z).sub(oneHot));
        }
        if (weights != null) {
            coef.addi(weights);
        }
        return new LogitsAndGradient(z, coef.mmul(wArr).reshape('c', x.shape()));
    }

    /** z(x) in double precision, computed independently of ND4J. */
    double[] logits(double[] x) {
        double[] z = b.clone();
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < x.length; j++) {
                z[c] += w[c][j] * x[j];
            }
        }
        return z;
    }
}
