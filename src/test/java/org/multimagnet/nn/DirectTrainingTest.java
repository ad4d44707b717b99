package org.multimagnet.nn;

import static org.multimagnet.nn.DirectNetworkTest.assertClose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.ImageShape;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.multimagnet.nn.BackendConformanceTest.Batch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * {@link DirectNetwork}'s training with ND4J's optimisers against {@code SameDiff.fit} on the same graph: two steps of
 * Adam and of Nesterov give the same parameters (BackendConformanceTest checks the gradients themselves).
 */
class DirectTrainingTest {

    private static Batch batch(ModelSpec spec, int n, long seed) {
        return BackendConformanceTest.batch(spec, n, seed);
    }

    static Stream<IUpdater> updaters() {
        return Stream.of(new Adam(1e-2), new Nesterovs(1e-2, 0.9));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("updaters")
    void twoOptimiserStepsMatchSameDiffFit(IUpdater updater) {
        ModelSpec spec = TrainerTest.tinyClassifier(new ImageShape(1, 6, 6), "relu");
        Map<ParameterKey, INDArray> params = DirectNetworkTest.randomParameters(spec, 6);
        List<Batch> batches = List.of(batch(spec, 4, 1), batch(spec, 4, 2));

        Map<ParameterKey, INDArray> graphParams = new LinkedHashMap<>();
        params.forEach((k, v) -> graphParams.put(k, v.dup()));
        SameDiff graph = GraphBuilder.build(spec, GraphBuilder.Mode.TRAIN, graphParams);
        List<String> features = new ArrayList<>(List.of(GraphBuilder.INPUT));
        batches.get(0).masks().keySet().forEach(i -> features.add(GraphBuilder.dropoutMaskName(i)));
        graph.setTrainingConfig(TrainingConfig.builder().updater(updater).dataSetFeatureMapping(features)
                .dataSetLabelMapping(GraphBuilder.LABEL).build());

        TrainableParameters tp = new TrainableParameters(params);
        DirectNetwork net = BackendConformanceTest.trainingNetwork(spec, params, tp, BackendPolicy.OPS);
        GradientUpdater<?> optimiser = updater.clone().instantiate(
                Nd4j.zeros(DataType.FLOAT, 1, updater.stateSize(tp.count())), true);
        int iteration = 0;
        for (Batch b : batches) {
            INDArray[] f = new INDArray[features.size()];
            f[0] = b.x();
            int k = 1;
            for (INDArray m : b.masks().values()) {
                f[k++] = m;
            }
            graph.fit(new MultiDataSet(f, new INDArray[] {b.target()}));
            net.trainingStep(b.x(), b.target(), b.masks(), Cancellation.NEVER);
            optimiser.applyUpdater(tp.gradients(), iteration++, 0);
            tp.values().subi(tp.gradients());
        }
        for (ParameterKey key : tp.valueViews().keySet()) {
            assertClose(graph.getVariable(key.fileName()).getArr(), tp.valueViews().get(key), 1e-4,
                    key + " after two steps");
        }
    }
}
