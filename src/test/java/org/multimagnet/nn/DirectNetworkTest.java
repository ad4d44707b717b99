package org.multimagnet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link DirectNetwork} (the engine that runs trained models) against the SameDiff inference graph of
 * {@link GraphBuilder}, an independent computation of the same network: outputs and input gradients of every
 * built-in architecture agree.
 */
class DirectNetworkTest {

    static Stream<ModelSpec> specs() {
        List<ModelSpec> all = new ArrayList<>(ModelSpecs.mnistMembers());
        all.add(ModelSpecs.mnistClassifier());
        all.add(ModelSpecs.cwMnistClassifier());
        all.addAll(ModelSpecs.cifar10Members());
        all.add(ModelSpecs.cifar10Classifier());
        all.add(ModelSpecs.cifar10CpuClassifier());
        all.add(TrainerTest.tinyClassifier(new org.multimagnet.data.ImageShape(1, 6, 6), "sigmoid"));
        // strided layers, with strides that do not divide the input: their input gradient comes from conv2d_bp
        all.add(new ModelSpec(ModelRole.CLASSIFIER, 0, "uneven strides", new org.multimagnet.data.ImageShape(3, 8, 8),
                List.of("conv:4:3:valid:relu:2", "conv:5:3:same:sigmoid:2", "dense:3:linear"), "relu", 0, 0, false,
                1, 8, "adam", 1e-3, 0, false));
        return all.stream();
    }

    /** Initial parameters with non-zero biases and non-trivial batch-norm statistics, so that every term counts. */
    static Map<String, INDArray> randomParameters(ModelSpec spec, long seed) {
        Map<String, INDArray> p = new LinkedHashMap<>(GraphBuilder.initialParameters(spec, seed));
        Nd4j.getRandom().setSeed(seed);
        for (Map.Entry<String, INDArray> e : p.entrySet()) {
            INDArray a = e.getValue();
            if (e.getKey().endsWith("_b") || e.getKey().endsWith("_beta") || e.getKey().endsWith("_mean")) {
                e.setValue(Nd4j.rand(DataType.FLOAT, a.shape()).subi(0.5).muli(0.2));
            } else if (e.getKey().endsWith("_gamma") || e.getKey().endsWith("_var")) {
                e.setValue(Nd4j.rand(DataType.FLOAT, a.shape()).addi(0.5));
            }
        }
        return p;
    }

    private static INDArray images(ModelSpec spec, int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, spec.inputShape().batch(n));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void outputsAndGradientsMatchTheSameDiffGraph(ModelSpec spec) {
        Map<String, INDArray> params = randomParameters(spec, 7);
        SameDiff graph = GraphBuilder.build(spec, GraphBuilder.Mode.INFERENCE, params);
        DirectNetwork net = new DirectNetwork(spec, params);
        INDArray x = images(spec, 3, 11);

        INDArray expected = graph.output(Map.of(GraphBuilder.INPUT, x), GraphBuilder.OUTPUT).get(GraphBuilder.OUTPUT);
        INDArray actual = net.output(x);
        assertArrayEquals(expected.shape(), actual.shape());
        assertClose(expected, actual, 1e-4, spec.name() + " output");

        if (spec.role() == ModelRole.CLASSIFIER) {
            int k = (int) expected.size(1);
            INDArray y = Nd4j.zeros(DataType.FLOAT, 3, k);
            y.putScalar(0, 1, 1).putScalar(1, 0, 1).putScalar(2, k - 1, 1);
            INDArray w = Nd4j.rand(DataType.FLOAT, 3, k).subi(0.5);
            OutAndGrad r = graph.calculateGradientsAndOutputs(Map.of(GraphBuilder.INPUT, x, GraphBuilder.LABEL, y,
                    GraphBuilder.WEIGHTS, w), List.of(GraphBuilder.OUTPUT), List.of(GraphBuilder.INPUT));
            DirectNetwork.Tape tape = net.tape(x);
            INDArray z = tape.output().dup();
            INDArray g = tape.inputGradient(NetworkClassifier.lossGradient(z, y, w));
            assertClose(r.getGradients().get(GraphBuilder.INPUT), g, 1e-3, spec.name() + " input gradient");
        }
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
