package org.multimagnet.nn;

import java.util.Map;
import org.multimagnet.common.Cancellation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One way of computing a network: {@link DirectNetwork}'s ND4J/oneDNN ops, or {@link LaneNetwork}'s plain Java.
 * {@link BackendPolicy} chooses between them per call; both give the same numbers up to float rounding
 * (BackendConformanceTest).
 */
interface Backend {
    /** @return the name recorded with a model ({@link BackendPolicy#OPS} or {@link BackendPolicy#LANES}, lower case) */
    String name();

    /**
     * @param x {@code [N, C, H, W]} float images
     * @return the network's output, {@code [N, K]} or {@code [N, C, H, W]}: a new array
     */
    INDArray output(INDArray x);

    /**
     * Forward in training mode and every parameter's gradient of the training loss, written into the gradient arrays
     * the backend was built with.
     *
     * @param masks each dropout layer's mask by layer index (empty when the model has none)
     * @return the batch's data loss, without the activity penalty
     */
    double trainingStep(INDArray x, INDArray target, Map<Integer, INDArray> masks, Cancellation cancellation);
}
