package org.multimagnet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.multimagnet.common.Json;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ArchitectureTest {

    static Stream<ModelSpec> builtIns() {
        List<ModelSpec> all = new ArrayList<>(ModelSpecs.mnistMembers());
        all.addAll(ModelSpecs.cifar10Members());
        all.add(ModelSpecs.mnistClassifier());
        all.add(ModelSpecs.cifar10Classifier());
        all.add(ModelSpecs.cifar10CpuClassifier());
        return all.stream();
    }

    @Test
    void mnistMembersHaveTheAuthorsParameterCounts() {
        long[] expected = {310, 142, 142, 786, 310, 326, 521, 310, 153, 786};
        List<ModelSpec> members = ModelSpecs.mnistMembers();
        long[] counted = members.stream().mapToLong(Architecture::parameterCount).toArray();
        assertArrayEquals(expected, counted);
    }

    /**
     * The authors' CIFAR-10 {@code .h5} files count the batch norms' running statistics too, and every member ends
     * in conv(3, sigmoid) → batch norm → sigmoid.
     */
    @Test
    void cifar10MembersHaveTheAuthorsParameterCounts() {
        long[] expected = {37_903, 30_031, 37_903, 30_031, 30_031, 5_103, 8_111, 13_055, 30_031, 19_791};
        List<ModelSpec> members = ModelSpecs.cifar10Members();
        assertArrayEquals(expected, members.stream().mapToLong(Architecture::storedParameterCount).toArray());
        for (ModelSpec m : members) {
            List<Layer> layers = Architecture.layers(m);
            Layer.Conv out = (Layer.Conv) layers.get(layers.size() - 1);
            assertEquals(new Layer.Conv(3, 3, 1, true, Layer.Activation.SIGMOID, true, 0, Layer.Activation.SIGMOID),
                    out, m.name());
        }
        assertEquals(37_891 + 6, Architecture.parameterCount(members.get(0))); // γ and β of the output norm
    }

    /** The CPU recipe is the authors' smaller CIFAR model (307,498 parameters) plus γ and β of six batch norms. */
    @Test
    void cifar10CpuClassifierIsTheAuthorsSmallModelWithBatchNorm() {
        ModelSpec f = ModelSpecs.cifar10CpuClassifier();
        long norms = 2L * (32 + 32 + 64 + 64 + 128 + 128);
        assertEquals(307_498 + norms, Architecture.parameterCount(f));
        assertEquals(307_498 + 2 * norms, Architecture.storedParameterCount(f));
    }

    /** The authors' {@code mnist.h5} holds 240,906 parameters: every convolution valid-padded, 28 → 1 pixel. */
    @Test
    void mnistClassifierHasTheAuthorsParameterCountAndShapes() {
        ModelSpec f = ModelSpecs.mnistClassifier();
        assertEquals(240_906, Architecture.parameterCount(f));
        List<Architecture.PlannedLayer> plan = Architecture.plan(f);
        long[] beforeDense = plan.stream().filter(l -> l.layer() instanceof Layer.Pool).reduce((a, b) -> b)
                .orElseThrow().outShape();
        assertEquals(128, Arrays.stream(beforeDense).reduce(1, (a, b) -> a * b), Arrays.toString(beforeDense));
    }

    /** All-CNN: 1,369,738 parameters; the stride-2 convolutions have no activation; the last 3×3 is same-padded. */
    @Test
    void cifar10ClassifierIsTheAuthorsAllCnn() {
        ModelSpec f = ModelSpecs.cifar10Classifier();
        assertEquals(1_369_738, Architecture.parameterCount(f));
        List<Layer.Conv> convs = Architecture.plan(f).stream().map(Architecture.PlannedLayer::layer)
                .filter(Layer.Conv.class::isInstance).map(Layer.Conv.class::cast).toList();
        for (Layer.Conv c : convs) {
            boolean strided = c.stride() == 2;
            boolean last = c == convs.get(convs.size() - 1);
            assertEquals(strided || last ? Layer.Activation.LINEAR : Layer.Activation.RELU, c.activation(), c.toString());
            assertEquals(true, c.same(), c.toString());
        }
    }

    /** The training graph's trainable variables, counted by SameDiff, agree with the layer arithmetic. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("builtIns")
    void graphHasThePlannedParameterCount(ModelSpec spec) {
        SameDiff sd = GraphBuilder.build(spec, GraphBuilder.Mode.TRAIN, GraphBuilder.initialParameters(spec, 1));
        long counted = 0;
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                counted += v.getArr().length();
            }
        }
        assertEquals(Architecture.parameterCount(spec), counted);
    }

    /** Every layer's real output shape in the inference graph equals the planned one; the output too. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("builtIns")
    void everyLayerHasThePlannedShape(ModelSpec spec) {
        List<Architecture.PlannedLayer> plan = Architecture.plan(spec);
        Map<ParameterKey, INDArray> params = GraphBuilder.initialParameters(spec, 2);
        SameDiff sd = GraphBuilder.build(spec, GraphBuilder.Mode.INFERENCE, params);
        INDArray x = Nd4j.rand(DataType.FLOAT, spec.inputShape().batch(2));
        INDArray out = sd.output(Map.of(GraphBuilder.INPUT, x), GraphBuilder.OUTPUT).get(GraphBuilder.OUTPUT);
        long[] last = plan.get(plan.size() - 1).outShape();
        assertArrayEquals(prepend(2, last), out.shape());
        // each prefix of the layer list, built as its own graph, gives the planned intermediate shape
        for (int k = 1; k < plan.size(); k++) {
            ModelSpec prefix = prefixSpec(spec, k);
            if (prefix == null) {
                continue;
            }
            SameDiff p = GraphBuilder.build(prefix, GraphBuilder.Mode.INFERENCE, GraphBuilder.initialParameters(prefix, 3));
            INDArray o = p.output(Map.of(GraphBuilder.INPUT, x), GraphBuilder.OUTPUT).get(GraphBuilder.OUTPUT);
            assertArrayEquals(prepend(2, plan.get(k - 1).outShape()), o.shape(),
                    spec.name() + " after layer " + (k - 1) + " " + plan.get(k - 1).layer());
        }
    }

    /** A classifier spec holding the first k layers, or null for autoencoders (their layers are derived). */
    private static ModelSpec prefixSpec(ModelSpec spec, int k) {
        if (spec.role() != ModelRole.CLASSIFIER) {
            return null;
        }
        return new ModelSpec(spec.role(), 0, spec.name() + " prefix " + k, spec.inputShape(),
                spec.structure().subList(0, k), spec.activation(), 0, 0, false, 1, 1, "adam", 1e-3, 0, false);
    }

    @Test
    void autoencoderLayersFollowTheDecoderRule() {
        ModelSpec m4 = ModelSpecs.mnistMembers().get(3); // 5, max, 5
        List<Architecture.PlannedLayer> plan = Architecture.plan(m4);
        List<String> shapes = plan.stream().map(p -> Arrays.toString(p.outShape())).toList();
        assertEquals(List.of("[5, 28, 28]", "[5, 14, 14]", "[5, 14, 14]", "[5, 14, 14]", "[5, 28, 28]",
                "[5, 28, 28]", "[1, 28, 28]"), shapes);
        assertEquals(Layer.Activation.SIGMOID, ((Layer.Conv) plan.get(6).layer()).activation());
        ModelSpec c1 = ModelSpecs.cifar10Members().get(0); // 16, max, 32, max, 32
        List<Layer> layers = Architecture.layers(c1);
        assertEquals(11, layers.size());
        assertEquals(3, ((Layer.Conv) layers.get(10)).filters());
        assertEquals(16, ((Layer.Conv) layers.get(9)).filters());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtIns")
    void specSurvivesJson(ModelSpec spec) throws Exception {
        String json = Json.write(spec);
        assertEquals(spec, Json.mapper().readValue(json, ModelSpec.class));
    }

    @Test
    void badTokensAreRefusedByName() {
        ModelSpec base = ModelSpecs.mnistMembers().get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architecture.layers(
                new ModelSpec(ModelRole.AUTOENCODER, 1, "x", base.inputShape(), List.of("3", "mean"), "sigmoid",
                        0, 0, false, 1, 1, "adam", 1e-3, 0, false)));
        assertEquals(true, e.getMessage().contains("'mean'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ModelSpec(ModelRole.AUTOENCODER, 1, "x",
                base.inputShape(), List.of("3"), "tanh", 0, 0, false, 1, 1, "adam", 1e-3, 0, false));
    }

    private static long[] prepend(long n, long[] s) {
        long[] r = new long[s.length + 1];
        r[0] = n;
        System.arraycopy(s, 0, r, 1, s.length);
        return r;
    }
}
