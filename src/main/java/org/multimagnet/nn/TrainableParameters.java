package org.multimagnet.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A model's trainable parameters laid end to end in one {@code [1, P]} array, with a gradient array of the same
 * layout, so that the optimiser (ND4J's updaters, as SameDiff uses them) updates them all in one call; each
 * parameter is a view into the flat array. Batch-norm running statistics are not trainable and are left out.
 */
final class TrainableParameters {
    private final INDArray values;
    private final INDArray gradients;
    private final Map<ParameterKey, INDArray> valueViews = new LinkedHashMap<>();
    private final Map<ParameterKey, INDArray> gradientViews = new LinkedHashMap<>();

    /** @param initial every array by key; the trainable ones are copied into the flat array */
    TrainableParameters(Map<ParameterKey, INDArray> initial) {
        long total = 0;
        for (Map.Entry<ParameterKey, INDArray> e : initial.entrySet()) {
            if (e.getKey().trainable()) {
                total += e.getValue().length();
            }
        }
        values = Nd4j.create(DataType.FLOAT, 1, total);
        gradients = Nd4j.create(DataType.FLOAT, 1, total);
        long offset = 0;
        for (Map.Entry<ParameterKey, INDArray> e : initial.entrySet()) {
            if (!e.getKey().trainable()) {
                continue;
            }
            INDArray init = e.getValue();
            long[] shape = init.shape();
            INDArray v = view(values, offset, init.length(), shape);
            v.assign(init);
            valueViews.put(e.getKey(), v);
            gradientViews.put(e.getKey(), view(gradients, offset, init.length(), shape));
            offset += init.length();
        }
    }

    private static INDArray view(INDArray flat, long offset, long length, long[] shape) {
        INDArray v = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(offset, offset + length)).reshape('c', shape);
        if (!v.isView() && length > 1) {
            throw new IllegalStateException("ND4J returned a copy where a view was needed");
        }
        return v;
    }

    /** @return the flat {@code [1, P]} values, updated in place by the optimiser */
    INDArray values() {
        return values;
    }

    /** @return the flat {@code [1, P]} gradients, written by {@link DirectNetwork#trainingStep} */
    INDArray gradients() {
        return gradients;
    }

    /** @return each parameter as a view of {@link #values()} */
    Map<ParameterKey, INDArray> valueViews() {
        return Collections.unmodifiableMap(valueViews);
    }

    /** @return each parameter's gradient as a view of {@link #gradients()} */
    Map<ParameterKey, INDArray> gradientViews() {
        return Collections.unmodifiableMap(gradientViews);
    }

    /** @return the parameter count P */
    long count() {
        return values.length();
    }
}
