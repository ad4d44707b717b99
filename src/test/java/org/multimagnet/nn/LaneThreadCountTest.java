package org.multimagnet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.Dataset;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training on the lanes gives the same weights, bit for bit, whatever the number of threads: the gradient sums are
 * taken over fixed blocks of rows in a fixed order, and the threads only share the blocks out.
 */
class LaneThreadCountTest {
    /** Two full batches of member 1 (256 images each): every step runs on the lanes. */
    private static final int IMAGES = 512;

    @Test
    void mnistMemberOneTrainsToTheSameWeightsOnOneAndOnTwoThreads() {
        ModelSpec spec = ModelSpecs.mnistMembers().get(0);
        Dataset d = TestData.synthetic(spec.inputShape(), IMAGES, 10, 4);
        Map<String, float[]> one = trained(spec, d, 1);
        Map<String, float[]> two = trained(spec, d, 2);
        Map<String, float[]> twoAgain = trained(spec, d, 2);
        Map<String, float[]> three = trained(spec, d, 3);
        assertEquals(one.keySet(), two.keySet());
        for (String name : one.keySet()) {
            assertArrayEquals(one.get(name), two.get(name), name + ": 1 thread against 2");
            assertArrayEquals(two.get(name), twoAgain.get(name), name + ": 2 threads, run again");
            assertArrayEquals(one.get(name), three.get(name), name + ": 1 thread against 3");
        }
    }

    /** Two epochs of member 1 on {@code threads} threads, seed 7: every parameter's values by name. */
    private static Map<String, float[]> trained(ModelSpec spec, Dataset d, int threads) {
        int before = LaneThreads.useThreads(threads);
        try {
            TrainingResult r = new Trainer(TrainingListener.NONE, Cancellation.NEVER)
                    .train(spec, d, TestData.range(0, IMAGES), new TrainingOptions(2, 0, 7, 256, 0));
            Map<String, float[]> values = new TreeMap<>();
            for (Map.Entry<String, INDArray> e : r.model().parameters().entrySet()) {
                values.put(e.getKey(), e.getValue().dup().reshape(-1).toFloatVector());
            }
            return values;
        } finally {
            LaneThreads.useThreads(before);
        }
    }
}
