package org.multimagnet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.Dataset;

/** The backend policy: read from its property, applied per call, and recorded with a trained model. */
class BackendPolicyTest {

    @Test
    void thePropertyNamesThePolicyAndABadValueIsRefusedByName() {
        String before = System.getProperty(BackendPolicy.PROPERTY);
        try {
            System.clearProperty(BackendPolicy.PROPERTY);
            assertEquals(BackendPolicy.AUTO, BackendPolicy.configured());
            System.setProperty(BackendPolicy.PROPERTY, " Lanes ");
            assertEquals(BackendPolicy.LANES, BackendPolicy.configured());
            System.setProperty(BackendPolicy.PROPERTY, "gpu");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, BackendPolicy::configured);
            assertTrue(e.getMessage().contains("-Dmultimagnet.backend=gpu: expected one of [auto, ops, lanes]"),
                    e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(BackendPolicy.PROPERTY);
            } else {
                System.setProperty(BackendPolicy.PROPERTY, before);
            }
        }
    }

    @Test
    void autoSendsFullBatchesOfTheSmallAutoencodersToTheLanes() {
        assertTrue(BackendPolicy.AUTO.useLanes(true, LaneNetwork.MIN_BATCH));
        assertEquals(false, BackendPolicy.AUTO.useLanes(true, LaneNetwork.MIN_BATCH - 1));
        assertEquals(false, BackendPolicy.AUTO.useLanes(false, 256));
        assertTrue(BackendPolicy.LANES.useLanes(true, 1));
        assertEquals(false, BackendPolicy.LANES.useLanes(false, 256));
        assertEquals(false, BackendPolicy.OPS.useLanes(true, 256));
        assertEquals("lanes (policy auto)", BackendPolicy.AUTO.describe(ModelSpecs.mnistMembers().get(0), 256));
        assertEquals("ops (policy auto)", BackendPolicy.AUTO.describe(ModelSpecs.cifar10Members().get(0), 32));
        assertEquals("ops (policy ops)", BackendPolicy.OPS.describe(ModelSpecs.mnistMembers().get(0), 256));
    }

    @Test
    void theTrainingRecordNamesTheBackend() {
        ModelSpec spec = ModelSpecs.mnistMembers().get(1);
        Dataset d = TestData.synthetic(spec.inputShape(), 40, 10, 3);
        TrainingResult r = new Trainer(TrainingListener.NONE, Cancellation.NEVER)
                .train(spec, d, TestData.range(0, 40), new TrainingOptions(1, 0, 7, 32, 0));
        assertEquals(BackendPolicy.configured().describe(spec, 32), r.backend());
    }
}
