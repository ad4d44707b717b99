package org.multimagnet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link DirectNetwork}'s own contracts: chunked inputs, tapes, several gradients from one pass (BackendConformanceTest
 * compares its numbers with the reference).
 */
class DirectNetworkTest {

    /** Initial parameters with non-zero biases and non-trivial batch-norm statistics, so that every term counts. */
    static Map<ParameterKey, INDArray> randomParameters(ModelSpec spec, long seed) {
        Map<ParameterKey, INDArray> p = new LinkedHashMap<>(GraphBuilder.initialParameters(spec, seed));
        Nd4j.getRandom().setSeed(seed);
        for (Map.Entry<ParameterKey, INDArray> e : p.entrySet()) {
            INDArray a = e.getValue();
            switch (e.getKey().role()) {
                case BIAS, BETA, RUNNING_MEAN -> e.setValue(Nd4j.rand(DataType.FLOAT, a.shape()).subi(0.5).muli(0.2));
                case GAMMA, RUNNING_VARIANCE -> e.setValue(Nd4j.rand(DataType.FLOAT, a.shape()).addi(0.5));
                case WEIGHTS -> {
                }
            }
        }
        return p;
    }

    private static INDArray images(ModelSpec spec, int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, spec.inputShape().batch(n));
    }

    @Test
    void largeInputsAreSplitIntoChunksWithTheSameResult() {
        ModelSpec spec = ModelSpecs.mnistMembers().get(0);
        DirectNetwork net = new DirectNetwork(spec, randomParameters(spec, 3));
        INDArray x = images(spec, net.chunk() * 2 + 5, 5);
        INDArray all = net.output(x);
        INDArray last = net.output(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(x.size(0) - 5, x.size(0))));
        assertClose(last, all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(x.size(0) - 5, x.size(0))), 1e-6,
                "last chunk");
    }

    @Test
    void aTapeOverwrittenByALaterCallIsRefused() {
        ModelSpec spec = ModelSpecs.cwMnistClassifier();
        DirectNetwork net = new DirectNetwork(spec, randomParameters(spec, 3));
        DirectNetwork.Tape tape = net.tape(images(spec, 2, 1));
        net.tape(images(spec, 4, 2));
        assertThrows(IllegalStateException.class, () -> tape.inputGradient(Nd4j.zeros(DataType.FLOAT, 2, 10)));
    }

    @Test
    void severalGradientsFromOneForwardPassEqualSeparateCalls() {
        ModelSpec spec = ModelSpecs.cwMnistClassifier();
        NetworkClassifier f = new NetworkClassifier(spec, randomParameters(spec, 4));
        INDArray x = images(spec, 2, 3);
        Classifier.ForwardPass pass = f.forward(x);
        for (int c = 0; c < 3; c++) {
            INDArray w = Nd4j.zeros(DataType.FLOAT, 2, 10);
            w.putScalar(0, c, 1).putScalar(1, 9 - c, -1);
            INDArray once = pass.inputGradient(w);
            assertClose(f.gradient(x, null, w).gradient(), once, 1e-6, "class " + c);
            pass = f.forward(x); // the separate call above overwrote the pass
        }
        assertEquals(2, pass.logits().size(0));
    }

    @Test
    void aBatchLargerThanOneChunkGivesTheSameLogitsAndGradientsAsSmallBatches() {
        ModelSpec spec = TrainerTest.tinyClassifier(new org.multimagnet.data.ImageShape(1, 6, 6), "relu");
        NetworkClassifier f = new NetworkClassifier(spec, randomParameters(spec, 8));
        int n = f.network.chunk() + 40;
        INDArray x = images(spec, n, 4);
        INDArray w = Nd4j.rand(DataType.FLOAT, n, 4).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 4);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % 4, 1);
        }
        Classifier.LogitsAndGradient all = f.gradient(x, y, w);
        INDArray wholePass = f.forward(x).inputGradient(w);
        for (long from : new long[] {0, n - 10}) {
            org.nd4j.linalg.indexing.INDArrayIndex rows = org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + 10);
            Classifier.LogitsAndGradient part = f.gradient(x.get(rows).dup(), y.get(rows).dup(), w.get(rows).dup());
            assertClose(part.logits(), all.logits().get(rows), 1e-5, "logits from " + from);
            assertClose(part.gradient(), all.gradient().get(rows), 1e-5, "gradient from " + from);
            assertClose(f.gradient(x.get(rows).dup(), null, w.get(rows).dup()).gradient(), wholePass.get(rows), 1e-5,
                    "forward pass gradient from " + from);
        }
    }

    static void assertClose(INDArray expected, INDArray actual, double relTol, String what) {
        assertClose(expected, actual, relTol, 1e-6, what);
    }

    /** Element-wise within {@code relTol} of the largest expected magnitude (at least {@code minScale}). */
    static void assertClose(INDArray expected, INDArray actual, double relTol, double minScale, String what) {
        float[] e = expected.castTo(DataType.FLOAT).reshape(-1).toFloatVector();
        float[] a = actual.castTo(DataType.FLOAT).reshape(-1).toFloatVector();
        assertEquals(e.length, a.length, what + ": length");
        double scale = minScale;
        for (float v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            if (Math.abs(e[i] - a[i]) > relTol * scale) {
                throw new AssertionError(what + ": element " + i + " expected " + e[i] + " but was " + a[i]
                        + " (scale " + scale + ")");
            }
        }
    }
}
