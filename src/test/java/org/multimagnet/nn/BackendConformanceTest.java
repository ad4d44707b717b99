package org.multimagnet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multimagnet.nn.DirectNetworkTest.assertClose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.ImageShape;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every backend against the same references, on every built-in model and on one example of every layer kind and
 * every activation: the backends are the policies that force one ({@link BackendPolicy} minus {@code AUTO}), the
 * kinds and activations are read from their enums, so a new backend, layer kind or activation is checked here
 * without being listed (a new kind does not compile until {@link #examples} builds one).
 *
 * <p>Against the SameDiff graph of the same spec ({@link GraphBuilder}, differentiated by SameDiff itself): outputs,
 * input gradients, the training loss, every parameter gradient and the batch-norm statistics. Against central finite
 * differences, per layer kind and per activation: the parameter gradients of the training loss and the input
 * gradients. Input gradients come from {@link DirectNetwork#tape} on the ops, whatever the policy: the lanes compute
 * none.
 */
class BackendConformanceTest {
    /** Images per batch: enough for the lanes' vectors, small enough for SameDiff on All-CNN. */
    private static final int BATCH = 16;
    private static final int SMALL_BATCH = 4;

    static List<BackendPolicy> backends() {
        return Arrays.stream(BackendPolicy.values()).filter(p -> p != BackendPolicy.AUTO).toList();
    }

    static List<ModelSpec> builtIns() {
        List<ModelSpec> all = new ArrayList<>(ModelSpecs.mnistMembers());
        all.addAll(ModelSpecs.cifar10Members());
        all.add(ModelSpecs.mnistClassifier());
        all.add(ModelSpecs.cwMnistClassifier());
        all.add(ModelSpecs.cifar10Classifier());
        all.add(ModelSpecs.cifar10CpuClassifier());
        return all;
    }

    /**
     * The built-ins, each architecture once (members that differ only in training settings, such as MNIST members 1
     * and 5, have the same layers), and a few edge cases they do not reach.
     */
    static List<ModelSpec> specs() {
        Map<List<Object>, ModelSpec> distinct = new LinkedHashMap<>();
        for (ModelSpec spec : builtIns()) {
            distinct.putIfAbsent(List.of(spec.role(), spec.inputShape(), Architecture.layers(spec)), spec);
        }
        List<ModelSpec> all = new ArrayList<>(distinct.values());
        all.add(TrainerTest.tinyClassifier(new ImageShape(1, 6, 6), "sigmoid"));
        // strides that do not divide the input: a strided layer's input gradient comes from conv2d_bp, and the
        // weight gradient has padded and strided patches
        all.add(new ModelSpec(ModelRole.CLASSIFIER, 0, "uneven strides", new ImageShape(3, 8, 8),
                List.of("conv:4:3:valid:relu:2", "conv:5:3:same:sigmoid:2", "conv:3:2:same:relu", "dense:3:linear"),
                "relu", 0, 0, false, 1, 8, "adam", 1e-3, 0, false));
        // a dense layer first: the flattening step sees no input gradient (its input gradient is checked against
        // finite differences, in everyLayerKindMatchesFiniteDifferences(DENSE))
        all.add(new ModelSpec(ModelRole.CLASSIFIER, 0, "dense only", new ImageShape(1, 4, 4),
                List.of("dense:5:relu", "dense:3:linear"), "relu", 0, 0, false, 1, 8, "adam", 1e-3, 0, false));
        // a penalty large enough that its term shows (the built-ins' 1e-9 does not)
        all.add(new ModelSpec(ModelRole.AUTOENCODER, 3, "ReLU, strong penalty", ImageShape.MNIST,
                List.of("4", "max", "2"), "relu", 0.2, 0.05, false, 1, 32, "adam", 1e-3, 0, false));
        return all;
    }

    /** Every backend with every spec it can run. */
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (BackendPolicy backend : backends()) {
            for (ModelSpec spec : specs()) {
                if (backend != BackendPolicy.LANES || LaneNetwork.supports(spec)) {
                    out.add(Arguments.of(backend, spec));
                }
            }
        }
        return out.stream();
    }

    @Test
    void theLanesRunEveryMnistMember() {
        // so that the lanes' rows above are not silently empty
        assertTrue(ModelSpecs.mnistMembers().stream().allMatch(LaneNetwork::supports));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void outputsAndInputGradientsMatchTheReference(BackendPolicy backend, ModelSpec spec) {
        Map<ParameterKey, INDArray> params = DirectNetworkTest.randomParameters(spec, 7);
        int n = batch(spec);
        INDArray x = images(spec, n, 11);
        DirectNetwork net = new DirectNetwork(spec, params, null, backend);
        assertEquals(backend.label(), net.backendFor(n, Map.of()).name(), "the backend that ran");

        SameDiff graph = GraphBuilder.build(spec, GraphBuilder.Mode.INFERENCE, params);
        INDArray expected = graph.output(Map.of(GraphBuilder.INPUT, x), GraphBuilder.OUTPUT).get(GraphBuilder.OUTPUT);
        INDArray actual = net.output(x);
        assertArrayEquals(expected.shape(), actual.shape());
        assertClose(expected, actual, 1e-4, spec.name() + " output");

        if (spec.name().equals("dense only")) {
            return; // SameDiff gives no input gradient for this graph ("No outputs were specified"); see below
        }
        // ∂(Σ g ⊙ output)/∂x for a random g
        Nd4j.getRandom().setSeed(3);
        INDArray g = Nd4j.rand(DataType.FLOAT, expected.shape()).subi(0.5);
        SDVariable loss = graph.getVariable(GraphBuilder.OUTPUT).mul(graph.constant("g", g)).sum();
        graph.setLossVariables(loss.name());
        INDArray expectedGradient = graph.calculateGradients(Map.of(GraphBuilder.INPUT, x), GraphBuilder.INPUT)
                .get(GraphBuilder.INPUT);
        INDArray gradient = net.tape(x).inputGradient(g);
        assertClose(expectedGradient, gradient, 1e-3, spec.name() + " input gradient");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void lossAndParameterGradientsMatchTheReference(BackendPolicy backend, ModelSpec spec) {
        Map<ParameterKey, INDArray> params = DirectNetworkTest.randomParameters(spec, 5);
        Batch b = batch(spec, batch(spec), 9);
        SameDiff graph = GraphBuilder.build(spec, GraphBuilder.Mode.TRAIN, params);
        List<ParameterKey> trainable = params.keySet().stream().filter(ParameterKey::trainable).toList();
        Map<String, INDArray> expected = graph.calculateGradients(placeholders(b),
                trainable.stream().map(ParameterKey::fileName).toList());
        INDArray out = graph.output(placeholders(b), GraphBuilder.OUTPUT).get(GraphBuilder.OUTPUT);
        double expectedLoss = Trainer.dataLoss(out, b.target(), spec.role() == ModelRole.CLASSIFIER);

        TrainableParameters tp = new TrainableParameters(params);
        DirectNetwork net = trainingNetwork(spec, params, tp, backend);
        assertEquals(backend.label(), net.backendFor(b.x().size(0), b.masks()).name(), "the backend that ran");
        double loss = net.trainingStep(b.x(), b.target(), b.masks(), Cancellation.NEVER);
        assertEquals(expectedLoss, loss, 1e-4 * Math.max(1, Math.abs(expectedLoss)), "data loss");
        for (ParameterKey key : trainable) {
            INDArray direct = tp.gradientViews().get(key);
            INDArray reference = expected.get(key.fileName());
            if (biasBeforeBatchNorm(spec, key, false)) {
                // zero in exact arithmetic (batch norm subtracts the batch mean): both are rounding noise, which
                // grows with the layer's gradients
                double noise = 1e-5 * Math.max(1, expected.get(ParameterKey.weights(key.layer()).fileName())
                        .amaxNumber().doubleValue());
                assertEquals(0, direct.amaxNumber().doubleValue(), noise, key.toString());
                assertEquals(0, reference.amaxNumber().doubleValue(), noise, key.toString());
                continue;
            }
            if (maxPoolAfterBatchNorm(spec)) {
                // max pooling over normalised values has near-ties that float rounding breaks one way in SameDiff's
                // NCHW and the other in the ops' NHWC: the gradient of that window goes to another pixel, so single
                // elements differ by a whole contribution while the whole gradient stays within rounding
                assertRelativeNorm(reference, direct, 3e-2, spec.name() + " ∂L/∂" + key);
                continue;
            }
            // a bias before sigmoid → batch norm has a gradient only through the sigmoid's curvature: the sum of
            // terms that batch norm makes cancel, so float rounding is a larger share of it; batch norm over a few
            // images amplifies rounding too
            double rel = biasBeforeBatchNorm(spec, key, true) ? 2e-2 : batchNorms(spec) > 0 ? 5e-3 : 2e-3;
            assertClose(reference, direct, rel, 1e-5, spec.name() + " ∂L/∂" + key);
        }

        for (Architecture.PlannedLayer p : Architecture.plan(spec)) {
            if (p.layer() instanceof Layer.Conv c && c.batchNorm()) {
                Map<String, INDArray> stats = graph.output(Map.of(GraphBuilder.INPUT, b.x()),
                        GraphBuilder.batchMeanName(p.index()), GraphBuilder.batchVarName(p.index()));
                INDArray[] direct = net.batchNormStatistics(b.x()).get(p.index());
                assertClose(stats.get(GraphBuilder.batchMeanName(p.index())), direct[0], 1e-4, "batch mean");
                assertClose(stats.get(GraphBuilder.batchVarName(p.index())), direct[1], 1e-4, "batch variance");
            }
        }
    }

    /**
     * Small networks holding a layer of {@code kind}, with the variants that take different code paths. A switch
     * expression: a new kind does not compile until it has an example.
     */
    static List<ModelSpec> examples(Layer.Kind kind) {
        ImageShape img = new ImageShape(2, 6, 6);
        return switch (kind) {
            case CONV -> List.of(classifier(img, "conv:3:3:same:sigmoid", "conv:2:3:valid:relu:2", "dense:3:linear"),
                    classifier(img, "conv:3:3:same:linear:1:bn", "dense:3:linear"),
                    autoencoder(img, List.of("3"), "sigmoid"));
            case POOL -> List.of(classifier(img, "conv:2:3:same:sigmoid", "pool:max", "dense:3:linear"),
                    classifier(img, "conv:2:3:same:sigmoid", "pool:avg", "dense:3:linear"),
                    autoencoder(img, List.of("2", "max", "2"), "sigmoid"),
                    autoencoder(img, List.of("2", "avg", "2"), "sigmoid"));
            case UPSAMPLE -> List.of(autoencoder(img, List.of("3", "avg", "2"), "sigmoid"));
            case DROPOUT -> List.of(classifier(img, "conv:3:3:same:sigmoid", "dropout:0.5", "dense:3:linear"));
            case DENSE -> List.of(classifier(img, "dense:5:sigmoid", "dense:3:linear"));
            case GLOBAL_AVERAGE_POOL -> List.of(classifier(img, "conv:3:3:same:sigmoid", "gap"));
        };
    }

    /** Small networks whose hidden layers use {@code activation}, a classifier and an autoencoder. */
    static List<ModelSpec> examples(Layer.Activation activation) {
        ImageShape img = new ImageShape(1, 6, 6);
        String a = activation.name().toLowerCase(java.util.Locale.ROOT);
        return List.of(classifier(img, "conv:3:3:same:" + a, "conv:2:3:valid:" + a + ":1:bn", "dense:4:" + a,
                        "dense:3:linear"),
                autoencoder(img, List.of("2", "avg", "2"), a));
    }

    @Test
    void everyKindOfLayerHasAnEnumConstant() {
        assertEquals(Layer.class.getPermittedSubclasses().length, Layer.Kind.values().length,
                "one Layer.Kind per record implementing Layer");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Layer.Kind.class)
    void everyLayerKindMatchesFiniteDifferences(Layer.Kind kind) {
        for (ModelSpec spec : examples(kind)) {
            assertTrue(Architecture.plan(spec).stream().anyMatch(p -> p.layer().kind() == kind),
                    spec.name() + " holds no " + kind);
            checkFiniteDifferences(spec);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Layer.Activation.class)
    void everyActivationMatchesFiniteDifferences(Layer.Activation activation) {
        for (ModelSpec spec : examples(activation)) {
            checkFiniteDifferences(spec);
        }
    }

    /** Every backend that can run {@code spec}: its parameter gradients, and the input gradient, against differences. */
    private static void checkFiniteDifferences(ModelSpec spec) {
        for (BackendPolicy backend : backends()) {
            if (backend == BackendPolicy.LANES && !LaneNetwork.supports(spec)) {
                continue;
            }
            String what = backend.label() + " " + spec.name();
            Map<ParameterKey, INDArray> params = DirectNetworkTest.randomParameters(spec, 17);
            Batch b = batch(spec, SMALL_BATCH, 19);
            TrainableParameters tp = new TrainableParameters(params);
            DirectNetwork net = trainingNetwork(spec, params, tp, backend);
            assertEquals(backend.label(), net.backendFor(SMALL_BATCH, b.masks()).name(), what);
            net.trainingStep(b.x(), b.target(), b.masks(), Cancellation.NEVER);
            float[] analytic = tp.gradients().dup().reshape(-1).toFloatVector();
            INDArray values = tp.values();
            double eps = 1e-3;
            double largest = 0;
            List<String> off = new ArrayList<>();
            int[] probes = probes(analytic.length);
            for (int p : probes) {
                float v = values.getFloat(0, p);
                values.putScalar(0, p, v + eps);
                double plus = net.trainingStep(b.x(), b.target(), b.masks(), Cancellation.NEVER);
                values.putScalar(0, p, v - eps);
                double minus = net.trainingStep(b.x(), b.target(), b.masks(), Cancellation.NEVER);
                values.putScalar(0, p, v);
                double fd = (plus - minus) / (2 * eps);
                largest = Math.max(largest, Math.abs(fd));
                if (Math.abs(fd - analytic[p]) > 2e-5 + 5e-2 * Math.max(Math.abs(fd), Math.abs(analytic[p]))) {
                    off.add("parameter " + p + ": " + fd + " against " + analytic[p]);
                }
            }
            assertTrue(largest > 1e-4, what + ": every probed gradient is ~0 (" + largest + ")");
            assertFewOff(off, probes.length, what);
        }
        checkInputGradient(spec);
    }

    /** ∂(Σ g ⊙ output)/∂x of the inference network against central differences. */
    private static void checkInputGradient(ModelSpec spec) {
        Map<ParameterKey, INDArray> params = DirectNetworkTest.randomParameters(spec, 23);
        DirectNetwork net = new DirectNetwork(spec, params, null, BackendPolicy.OPS);
        INDArray x = images(spec, 2, 29);
        Nd4j.getRandom().setSeed(31);
        INDArray g = Nd4j.rand(DataType.FLOAT, net.output(x).shape()).subi(0.5);
        float[] analytic = net.tape(x).inputGradient(g).reshape(-1).toFloatVector();
        double eps = 1e-2;
        double largest = 0;
        List<String> off = new ArrayList<>();
        int[] probes = probes(analytic.length);
        for (int p : probes) {
            INDArray plus = x.dup();
            INDArray minus = x.dup();
            plus.reshape(-1).putScalar(p, x.reshape(-1).getDouble(p) + eps);
            minus.reshape(-1).putScalar(p, x.reshape(-1).getDouble(p) - eps);
            double fd = (weightedSum(net.output(plus), g) - weightedSum(net.output(minus), g)) / (2 * eps);
            largest = Math.max(largest, Math.abs(fd));
            // the outputs' float rounding, over a step of 2·eps, is about 1e-5
            if (Math.abs(fd - analytic[p]) > 3e-5 + 5e-2 * Math.max(Math.abs(fd), Math.abs(analytic[p]))) {
                off.add("input value " + p + ": " + fd + " against " + analytic[p]);
            }
        }
        assertTrue(largest > 3e-5, spec.name() + ": every probed input gradient is ~0 (" + largest + ")");
        assertFewOff(off, probes.length, spec.name() + " input gradient");
    }

    /**
     * A step of a central difference that crosses a kink (a ReLU at 0, a max-pool tie) is not the derivative: one
     * probe in eight may miss; a wrong backward pass misses nearly all of them.
     */
    private static void assertFewOff(List<String> off, int probes, String what) {
        assertTrue(off.size() <= probes / 8, what + ": " + off.size() + " of " + probes + " probes off: " + off);
    }

    private static double weightedSum(INDArray out, INDArray g) {
        return out.castTo(DataType.DOUBLE).mul(g.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
    }

    /** 16 positions spread over {@code [0, length)}, the first and last included. */
    private static int[] probes(int length) {
        int count = Math.min(length, 16);
        int[] p = new int[count];
        for (int i = 0; i < count; i++) {
            p[i] = count == 1 ? 0 : (int) ((long) i * (length - 1) / (count - 1));
        }
        return p;
    }

    private static ModelSpec classifier(ImageShape shape, String... layers) {
        return new ModelSpec(ModelRole.CLASSIFIER, 0, String.join(" ", layers), shape, List.of(layers), "relu", 0,
                0, false, 1, 8, "adam", 1e-3, 0, false);
    }

    private static ModelSpec autoencoder(ImageShape shape, List<String> structure, String activation) {
        return new ModelSpec(ModelRole.AUTOENCODER, 1, "autoencoder " + structure + " " + activation, shape,
                structure, activation, 0, 0, false, 1, 8, "adam", 1e-3, 0, false);
    }

    private static int batch(ModelSpec spec) {
        return LaneNetwork.supports(spec) ? BATCH : SMALL_BATCH;
    }

    private static INDArray images(ModelSpec spec, int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, spec.inputShape().batch(n));
    }

    record Batch(INDArray x, INDArray target, Map<Integer, INDArray> masks) {
    }

    /** Random images, targets (images or one-hot labels) and dropout masks. */
    static Batch batch(ModelSpec spec, int n, long seed) {
        INDArray x = images(spec, n, seed);
        INDArray target;
        if (spec.role() == ModelRole.AUTOENCODER) {
            target = Nd4j.rand(DataType.FLOAT, spec.inputShape().batch(n));
        } else {
            int k = (int) Architecture.outputShape(spec)[0];
            target = Nd4j.zeros(DataType.FLOAT, n, k);
            for (int i = 0; i < n; i++) {
                target.putScalar(i, (i * 7 + 3) % k, 1);
            }
        }
        Map<Integer, INDArray> masks = new LinkedHashMap<>();
        for (Architecture.PlannedLayer p : Architecture.plan(spec)) {
            if (p.layer() instanceof Layer.Dropout d) {
                long[] shape = new long[p.outShape().length + 1];
                shape[0] = n;
                System.arraycopy(p.outShape(), 0, shape, 1, p.outShape().length);
                INDArray m = Nd4j.rand(DataType.FLOAT, shape);
                masks.put(p.index(), m.gt(d.rate()).castTo(DataType.FLOAT).muli(1 / (1 - d.rate())));
            }
        }
        return new Batch(x, target, masks);
    }

    static Map<String, INDArray> placeholders(Batch b) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(GraphBuilder.INPUT, b.x());
        ph.put(GraphBuilder.LABEL, b.target());
        b.masks().forEach((i, m) -> ph.put(GraphBuilder.dropoutMaskName(i), m));
        return ph;
    }

    static DirectNetwork trainingNetwork(ModelSpec spec, Map<ParameterKey, INDArray> params, TrainableParameters tp,
                                         BackendPolicy backend) {
        return new DirectNetwork(spec, Trainer.withRunningStatistics(tp.valueViews(), params), tp.gradientViews(),
                backend);
    }

    /**
     * @param afterActivation whether to ask about a bias followed by an activation, then batch norm (else: by batch
     *                        norm directly)
     */
    /** ‖actual − expected‖ ≤ {@code rel}·‖expected‖ (Euclidean norms over all elements). */
    private static void assertRelativeNorm(INDArray expected, INDArray actual, double rel, String what) {
        INDArray e = expected.castTo(DataType.DOUBLE).reshape(-1);
        INDArray a = actual.castTo(DataType.DOUBLE).reshape(-1);
        double norm = e.norm2Number().doubleValue();
        double off = a.sub(e).norm2Number().doubleValue();
        assertTrue(off <= rel * Math.max(norm, 1e-6), what + ": relative error " + off / norm);
    }

    private static boolean maxPoolAfterBatchNorm(ModelSpec spec) {
        boolean normed = false;
        for (Architecture.PlannedLayer p : Architecture.plan(spec)) {
            normed |= p.layer() instanceof Layer.Conv c && c.batchNorm();
            if (normed && p.layer() instanceof Layer.Pool pool && pool.max()) {
                return true;
            }
        }
        return false;
    }

    private static long batchNorms(ModelSpec spec) {
        return Architecture.plan(spec).stream().filter(p -> p.layer() instanceof Layer.Conv c && c.batchNorm()).count();
    }

    private static boolean biasBeforeBatchNorm(ModelSpec spec, ParameterKey key, boolean afterActivation) {
        return key.role() == ParameterKey.Role.BIAS && Architecture.plan(spec).get(key.layer()).layer()
                instanceof Layer.Conv c && c.batchNorm()
                && (c.normInput() != Layer.Activation.LINEAR) == afterActivation;
    }
}
