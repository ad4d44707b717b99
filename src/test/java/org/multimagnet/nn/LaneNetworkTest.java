package org.multimagnet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multimagnet.nn.DirectNetworkTest.assertClose;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.ImageShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link LaneNetwork}'s own contracts (BackendConformanceTest compares its numbers with the reference): padding
 * lanes and reused buffers carry nothing from one call to the next, slices are read from their own rows, a strong
 * activity penalty with ReLU reaches the gradients as on the ops, which models stay on the ops, and its sigmoid.
 */
class LaneNetworkTest {

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

    @Test
    void aSmallBatchAfterALargeOneSeesNothingOfIt() {
        // 5 images run as 16 lanes: the 11 padding lanes must not carry the previous batch into the result
        ModelSpec spec = ModelSpecs.mnistMembers().get(3);
        Map<ParameterKey, INDArray> params = DirectNetworkTest.randomParameters(spec, 13);
        LaneNetwork net = new LaneNetwork(spec, params, null);
        net.output(digits(spec.inputShape(), 200, 1));
        INDArray x = digits(spec.inputShape(), 5, 2);
        assertClose(new DirectNetwork(spec, params, null, BackendPolicy.OPS).output(x), net.output(x), 1e-5, "5 after 200");
    }

    @Test
    void aSliceOfABatchIsReadFromItsOwnRows() {
        ModelSpec spec = ModelSpecs.mnistMembers().get(0);
        Map<ParameterKey, INDArray> params = DirectNetworkTest.randomParameters(spec, 12);
        INDArray x = digits(spec.inputShape(), 60, 6);
        INDArray slice = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(17, 50));
        LaneNetwork net = new LaneNetwork(spec, params, null);
        assertClose(net.output(slice.dup()), net.output(slice), 0, "slice against its copy");
    }

    @Test
    void aTrainingStepAfterALargerOneSeesNothingOfIt() {
        // a larger batch first (split over the workers): the second step must not see anything the first left in
        // the reused lanes or in the partial gradient sums
        ModelSpec spec = ModelSpecs.mnistMembers().get(3);
        Map<ParameterKey, INDArray> init = DirectNetworkTest.randomParameters(spec, 5);
        TrainableParameters fresh = new TrainableParameters(init);
        TrainableParameters reused = new TrainableParameters(init);
        INDArray x = digits(spec.inputShape(), 37, 9);
        INDArray target = digits(spec.inputShape(), 37, 10);
        double expectedLoss = new LaneNetwork(spec, fresh.valueViews(), fresh.gradientViews())
                .trainingStep(x, target, Map.of(), Cancellation.NEVER);
        LaneNetwork net = new LaneNetwork(spec, reused.valueViews(), reused.gradientViews());
        INDArray larger = digits(spec.inputShape(), 80, 11);
        net.trainingStep(larger, larger, Map.of(), Cancellation.NEVER);
        assertEquals(expectedLoss, net.trainingStep(x, target, Map.of(), Cancellation.NEVER), 0, "loss");
        assertClose(fresh.gradients(), reused.gradients(), 0, "gradients");
    }

    @Test
    void activityPenaltyAndReluReachTheGradients() {
        // member 3 is ReLU; a large penalty makes its term dominate, so a missing or wrong term shows
        ModelSpec base = ModelSpecs.mnistMembers().get(2);
        ModelSpec spec = new ModelSpec(ModelRole.AUTOENCODER, 3, "ReLU, strong penalty", base.inputShape(),
                List.of("4", "max", "2"), "relu", 0.2, 0.05, false, 1, 32, "adam", 1e-3, 0, false);
        Map<ParameterKey, INDArray> init = DirectNetworkTest.randomParameters(spec, 2);
        TrainableParameters oneDnn = new TrainableParameters(init);
        TrainableParameters lanes = new TrainableParameters(init);
        INDArray x = digits(spec.inputShape(), 20, 3);
        new DirectNetwork(spec, oneDnn.valueViews(), oneDnn.gradientViews(), BackendPolicy.OPS)
                .trainingStep(x, x, Map.of(), Cancellation.NEVER);
        new LaneNetwork(spec, lanes.valueViews(), lanes.gradientViews()).trainingStep(x, x, Map.of(), Cancellation.NEVER);
        for (ParameterKey key : oneDnn.gradientViews().keySet()) {
            assertClose(oneDnn.gradientViews().get(key), lanes.gradientViews().get(key), 2e-4, 1e-7, key.toString());
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
