package org.multimagnet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.multimagnet.data.ImageShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link NetworkClassifier#gradient} against central finite differences of the loss computed from logits. */
class GradientTest {
    static final ImageShape SHAPE = new ImageShape(1, 6, 6);
    static final double EPS = 1e-2;

    private final ModelSpec spec = TrainerTest.tinyClassifier(SHAPE, "sigmoid");
    private final Map<ParameterKey, INDArray> params = GraphBuilder.initialParameters(spec, 21);
    private final NetworkClassifier f = new NetworkClassifier(spec, params);
    private final INDArray x = Nd4j.rand(DataType.FLOAT, SHAPE.batch(2)).muli(0.8).addi(0.1);
    private final INDArray y = Nd4j.createFromArray(new float[][] {{0, 0, 1, 0}, {1, 0, 0, 0}});
    private final INDArray w = Nd4j.createFromArray(new float[][] {{0.5f, -1, 2, 0}, {-0.3f, 0.7f, 0, 1.5f}});

    /** L(x) = Σ CE(softmax(z), y) + Σ w·z from the logits alone, in double precision. */
    private double loss(INDArray at, INDArray yy, INDArray ww) {
        double[][] z = f.logits(at).castTo(DataType.DOUBLE).toDoubleMatrix();
        double l = 0;
        for (int i = 0; i < z.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z[i]) {
                max = Math.max(max, v);
            }
            double s = 0;
            for (double v : z[i]) {
                s += Math.exp(v - max);
            }
            double lse = max + Math.log(s);
            for (int k = 0; k < z[i].length; k++) {
                if (yy != null) {
                    l += yy.getDouble(i, k) * (lse - z[i][k]);
                }
                if (ww != null) {
                    l += ww.getDouble(i, k) * z[i][k];
                }
            }
        }
        return l;
    }

    private void check(INDArray yy, INDArray ww) {
        Classifier.LogitsAndGradient g = f.gradient(x, yy, ww);
        assertArrayEquals(f.logits(x).reshape(-1).toFloatVector(), g.logits().reshape(-1).toFloatVector(), 1e-6f);
        assertArrayEquals(x.shape(), g.gradient().shape());
        INDArray flat = x.reshape(-1);
        double maxAbs = 0;
        // every fifth pixel of both images (15 of 72): each needs two forward passes
        for (int p = 0; p < flat.length(); p += 5) {
            INDArray plus = x.dup();
            INDArray minus = x.dup();
            plus.reshape(-1).putScalar(p, flat.getDouble(p) + EPS);
            minus.reshape(-1).putScalar(p, flat.getDouble(p) - EPS);
            double fd = (loss(plus, yy, ww) - loss(minus, yy, ww)) / (2 * EPS);
            double an = g.gradient().reshape(-1).getDouble(p);
            maxAbs = Math.max(maxAbs, Math.abs(fd));
            // float32 central differences of a loss near 1: rounding noise about 1e-5
            assertEquals(fd, an, 5e-5 + 2e-2 * Math.abs(fd), "pixel " + p);
        }
        // the check means something only if the gradient is not ~0 everywhere
        org.junit.jupiter.api.Assertions.assertTrue(maxAbs > 2e-4, "max |gradient| " + maxAbs);
    }

    @Test
    void crossEntropyTermMatchesFiniteDifferences() {
        check(y, null);
    }

    @Test
    void logitWeightTermMatchesFiniteDifferences() {
        check(null, w);
    }

    @Test
    void bothTermsTogetherMatchFiniteDifferences() {
        check(y, w);
    }

    @Test
    void inferenceHasNoDropout() {
        assertArrayEquals(f.logits(x).reshape(-1).toFloatVector(), f.logits(x).reshape(-1).toFloatVector());
    }
}
