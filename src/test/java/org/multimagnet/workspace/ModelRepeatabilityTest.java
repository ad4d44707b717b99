package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.multimagnet.data.Dataset;
import org.multimagnet.nn.Classifier;
import org.multimagnet.nn.NetworkClassifier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The same input gives the same output on every call, through the inference and the gradient paths. First a
 * regression (with two stacked {@code linear} ops, SameDiff M2.1's session array cache made every call after the
 * first return wrong logits for the demo classifier: 96.8% accuracy on 500 test digits, then 8.8%); now also the
 * guard of {@link org.multimagnet.nn.DirectNetwork}, which overwrites the same buffers on every call.
 */
class ModelRepeatabilityTest {

    @Test
    void demoClassifierGivesTheSameLogitsAndGradientsOnEveryCall() {
        Workspace w = Workspace.open(Path.of("workspaces/demo-mnist"));
        Dataset d = w.dataset();
        int[] te = w.split().test();
        int n = 500;
        Dataset sample = d.subset(java.util.Arrays.copyOf(te, n));
        INDArray x = Nd4j.create(sample.pixels(), d.shape().batch(n));
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, d.classCount());
        for (int i = 0; i < n; i++) {
            y.putScalar(i, sample.labels()[i], 1f);
        }
        NetworkClassifier f = w.classifier();
        INDArray first = f.logits(x);
        assertTrue(accuracy(first, sample.labels()) > 0.95, "the demo classifier is accurate on its first call");
        for (int k = 0; k < 2; k++) {
            assertEquals(0.0, f.logits(x).sub(first).amaxNumber().doubleValue(), 1e-4, "logits, call " + (k + 2));
        }
        Classifier.LogitsAndGradient g0 = f.gradient(x, y, null);
        assertEquals(0.0, g0.logits().sub(first).amaxNumber().doubleValue(), 1e-3, "logits through the gradient path");
        Classifier.LogitsAndGradient g1 = f.gradient(x, y, null);
        assertEquals(0.0, g1.gradient().sub(g0.gradient()).amaxNumber().doubleValue(), 1e-5, "gradient, second call");
        assertEquals(0.0, f.logits(x).sub(first).amaxNumber().doubleValue(), 1e-4, "logits after gradients");
    }

    private static double accuracy(INDArray logits, int[] labels) {
        INDArray am = logits.argMax(1);
        int ok = 0;
        for (int i = 0; i < labels.length; i++) {
            ok += am.getInt(i) == labels[i] ? 1 : 0;
        }
        return (double) ok / labels.length;
    }
}
