package org.multimagnet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.multimagnet.data.ImageShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Regression: SameDiff M2.1's array cache made every call after the first return different (wrong) logits; the
 * same input must give the same output on every call, through both the inference and the gradient paths.
 */
class SameDiffModelRepeatabilityTest {

    @Test
    void classifierGivesTheSameLogitsAndGradientsOnEveryCall() {
        SameDiffClassifier f = (SameDiffClassifier) SameDiffModel.untrained(ModelSpecs.classifierFor(ImageShape.MNIST), 3);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 300, 1, 28, 28);
        INDArray first = f.logits(x);
        for (int k = 0; k < 3; k++) {
            assertEquals(0.0, f.logits(x).sub(first).amaxNumber().doubleValue(), 1e-5, "logits call " + (k + 2));
        }
        INDArray y = Nd4j.zeros(DataType.FLOAT, 300, 10);
        for (int i = 0; i < 300; i++) {
            y.putScalar(i, i % 10, 1f);
        }
        Classifier.LogitsAndGradient g0 = f.gradient(x, y, null);
        assertEquals(0.0, g0.logits().sub(first).amaxNumber().doubleValue(), 1e-4, "gradient path logits");
        for (int k = 0; k < 2; k++) {
            Classifier.LogitsAndGradient g = f.gradient(x, y, null);
            assertEquals(0.0, g.gradient().sub(g0.gradient()).amaxNumber().doubleValue(), 1e-6, "gradient call " + (k + 2));
        }
        assertEquals(0.0, f.logits(x).sub(first).amaxNumber().doubleValue(), 1e-5, "logits after gradients");
    }
}
