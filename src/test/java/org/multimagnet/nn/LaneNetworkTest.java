package org.multimagnet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multimagnet.nn.DirectNetworkTest.assertClose;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.ImageShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link LaneNetwork}, the plain-Java path of the small autoencoders, against {@link DirectNetwork}'s oneDNN path
 * (itself checked against SameDiff in DirectNetworkTest and DirectTrainingTest): reconstructions of every MNIST
 * member, and the training loss and every parameter gradient; and its sigmoid against the exact one.
 */
class LaneNetworkTest {

    static Stream<ModelSpec> members() {
        return ModelSpecs.mnistMembers().stream();
    }

    /**
     * Images like MNIST digits: a third of the pixels exactly 0, so that max-pooling windows hold ties (the first
     * maximum takes the gradient).
     */
    private static INDArray digits(ImageShape shape, int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, shape.batch(n));
        INDArray keep = Nd4j.rand(DataType.FLOAT, shape.batch(n)).gt(0.33).castTo(DataType.FLOAT);
        return x.muli(keep);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("members")
    void reconstructionsEqualTheOneDnnPath(ModelSpec spec) {
        assertTrue(LaneNetwork.supports(spec));
        Map<String, INDArray> params = DirectNetworkTest.randomParameters(spec, 11);
        // 300 images: one full chunk of 256 and a remainder of 44, neither a multiple of a vector's width
        INDArray x = digits(spec.inputShape(), 300, 4);
        INDArray expected = new DirectNetwork(spec, params, null, false).output(x);
        INDArray actual = new LaneNetwork(spec, params, null).output(x);
        assertClose(expected, actual, 1e-5, spec.name() + " reconstruction");
    }

    @Test
    void aSmallBatchAfterALargeOneSeesNothingOfIt() {
        // 5 images run as 16 lanes: the 11 padding lanes must not carry the previous batch into the result
        ModelSpec spec = ModelSpecs.mnistMembers().get(3);
        Map<String, INDArray> params = DirectNetworkTest.randomParameters(spec, 13);
        LaneNetwork net = new LaneNetwork(spec, params, null);
        net.output(digits(spec.inputShape(), 200, 1));
        INDArray x = digits(spec.inputShape(), 5, 2);
        assertClose(new DirectNetwork(spec, params, null, false).output(x), net.output(x), 1e-5, "5 after 200");
    }

    @Test
    void aSliceOfABatchIsReadFromItsOwnRows() {
        ModelSpec spec = ModelSpecs.mnistMembers().get(0);
        Map<String, INDArray> params = DirectNetworkTest.randomParameters(spec, 12);
        INDArray x = digits(spec.inputShape(), 60, 6);
        INDArray slice = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(17, 50));
        LaneNetwork net = new LaneNetwork(spec, params, null);
        assertClose(net.output(slice.dup()), net.output(slice), 0, "slice against its copy");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("members")
    void lossAndParameterGradientsEqualTheOneDnnPath(ModelSpec spec) {
        Map<String, INDArray> init = DirectNetworkTest.randomParameters(spec, 5);
        TrainableParameters oneDnn = new TrainableParameters(init);
        TrainableParameters lanes = new TrainableParameters(init);
        INDArray x = digits(spec.inputShape(), 37, 9);
        INDArray target = digits(spec.inputShape(), 37, 10);
        double expectedLoss = new DirectNetwork(spec, oneDnn.valueViews(), oneDnn.gradientViews(), false)
                .trainingStep(x, target, Map.of(), Cancellation.NEVER);
        LaneNetwork net = new LaneNetwork(spec, lanes.valueViews(), lanes.gradientViews());
        // a larger batch first (split over the workers; 37 images run on one thread): the second step must not see
        // anything the first left in the reused lanes or in a worker's partial sums
        INDArray larger = digits(spec.inputShape(), 80, 11);
        net.trainingStep(larger, larger, Cancellation.NEVER);
        double loss = net.trainingStep(x, target, Cancellation.NEVER);
        assertEquals(expectedLoss, loss, 1e-5 * expectedLoss, spec.name() + " loss");
        for (String name : oneDnn.gradientViews().keySet()) {
            assertClose(oneDnn.gradientViews().get(name), lanes.gradientViews().get(name), 2e-4, 1e-7,
                    spec.name() + " ∂L/∂" + name);
        }
    }

    @Test
    void activityPenaltyAndReluReachTheGradients() {
        // member 3 is ReLU; a large penalty makes its term dominate, so a missing or wrong term shows
        ModelSpec base = ModelSpecs.mnistMembers().get(2);
        ModelSpec spec = new ModelSpec(ModelRole.AUTOENCODER, 3, "ReLU, strong penalty", base.inputShape(),
                List.of("4", "max", "2"), "relu", 0.2, 0.05, false, 1, 32, "adam", 1e-3, 0, false);
        Map<String, INDArray> init = DirectNetworkTest.randomParameters(spec, 2);
        TrainableParameters oneDnn = new TrainableParameters(init);
        TrainableParameters lanes = new TrainableParameters(init);
        INDArray x = digits(spec.inputShape(), 20, 3);
        new DirectNetwork(spec, oneDnn.valueViews(), oneDnn.gradientViews(), false)
                .trainingStep(x, x, Map.of(), Cancellation.NEVER);
        new LaneNetwork(spec, lanes.valueViews(), lanes.gradientViews()).trainingStep(x, x, Cancellation.NEVER);
        for (String name : oneDnn.gradientViews().keySet()) {
            assertClose(oneDnn.gradientViews().get(name), lanes.gradientViews().get(name), 2e-4, 1e-7, name);
        }
    }

    @Test
    void wideSmallOrBatchNormedModelsStayOnOneDnn() {
        assertFalse(LaneNetwork.supports(ModelSpecs.cifar10Members().get(0)), "16 and 32 channels");
        assertFalse(LaneNetwork.supports(ModelSpecs.cifar10Members().get(1)), "batch norm");
        assertFalse(LaneNetwork.supports(ModelSpecs.mnistClassifier()), "a classifier");
        assertFalse(LaneNetwork.supports(new ModelSpec(ModelRole.AUTOENCODER, 1, "odd pool", new ImageShape(1, 9, 9),
                List.of("3", "max", "3"), "sigmoid", 0.1, 0, false, 1, 8, "adam", 1e-3, 0, false)), "odd pooling");
    }

    @Test
    void sigmoidIsWithinTwoTenMillionthsOfTheExactValue() {
        float[] x = new float[120_001];
        for (int i = 0; i < x.length; i++) {
            x[i] = -60f + i * 0.001f;
        }
        float[] s = x.clone();
        LaneNetwork.sigmoid(s, s.length);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(s[i] - 1 / (1 + Math.exp(-x[i]))));
        }
        assertTrue(worst < 2e-7, "largest error " + worst);
        float[] ends = {Float.NEGATIVE_INFINITY, -1e30f, 1e30f, Float.POSITIVE_INFINITY};
        LaneNetwork.sigmoid(ends, ends.length);
        assertEquals(0f, ends[0], 1e-7f);
        assertEquals(0f, ends[1], 1e-7f);
        assertEquals(1f, ends[2], 1e-7f);
        assertEquals(1f, ends[3], 1e-7f);
    }
}
