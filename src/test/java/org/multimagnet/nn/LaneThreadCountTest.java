package org.multimagnet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.Dataset;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training on the lanes gives the same weights, bit for bit, whatever the number of threads: the weight gradients
 * are summed over fixed blocks of rows in a fixed order, and the threads only share the blocks out.
 */
class LaneThreadCountTest {
    /** Two full batches of member 1 (256 images each): every step runs on the lanes. */
    private static final int IMAGES = 512;

    @Test
    void mnistMemberOneTrainsToTheSameWeightsOnOneTwoAndThreeThreads() throws IOException {
        ModelSpec spec = ModelSpecs.mnistMembers().get(0);
        assertTrue(LaneNetwork.supports(spec));
        Dataset digits = TestData.mnist(TestData.SAMPLE_DIR);
        Map<String, float[]> one = trained(spec, digits, 1);
        Map<String, float[]> two = trained(spec, digits, 2);
        Map<String, float[]> three = trained(spec, digits, 3);
        assertEquals(one.keySet(), two.keySet());
        for (String name : one.keySet()) {
            assertArrayEquals(one.get(name), two.get(name), name + ": 1 thread against 2");
            assertArrayEquals(one.get(name), three.get(name), name + ": 1 thread against 3");
        }
    }

    /** One epoch of member 1 on the first {@link #IMAGES} digits on {@code threads} threads, seed 7. */
    private static Map<String, float[]> trained(ModelSpec spec, Dataset d, int threads) {
        int before = LaneThreads.useThreads(threads);
        try {
            TrainingResult r = new Trainer(TrainingListener.NONE, Cancellation.NEVER)
                    .train(spec, d, TestData.range(0, IMAGES), new TrainingOptions(1, 0, 7, 256, 0));
            assertTrue(r.backend().startsWith("lanes"), r.backend());
            Map<String, float[]> values = new TreeMap<>();
            for (Map.Entry<ParameterKey, INDArray> e : r.model().parameters().entrySet()) {
                values.put(e.getKey().fileName(), e.getValue().dup().reshape(-1).toFloatVector());
            }
            return values;
        } finally {
            LaneThreads.useThreads(before);
        }
    }
}
