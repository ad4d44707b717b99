package org.multimagnet.nn;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.multimagnet.common.ComputeThread;
import org.multimagnet.data.ImageShape;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the classifier and autoencoder share: the spec, the parameter arrays by {@link ParameterKey} and the
 * engine that runs them ({@link DirectNetwork}). Immutable from outside: the arrays are private copies.
 */
public abstract class NetworkModel {
    private final ModelSpec spec;
    private final Map<ParameterKey, INDArray> parameters;
    /** The inference and input-gradient engine. */
    final DirectNetwork network;
    /** The thread that owns this model's ND4J work: the first to call it (checked under {@code -ea}). */
    final ComputeThread computeThread;

    NetworkModel(ModelSpec spec, Map<ParameterKey, INDArray> parameters) {
        this.spec = Objects.requireNonNull(spec, "spec");
        Map<ParameterKey, INDArray> copy = new LinkedHashMap<>();
        for (Architecture.PlannedLayer pl : Architecture.plan(spec)) {
            for (Layer.Parameter expected : pl.arrays()) {
                ParameterKey key = pl.key(expected.role());
                INDArray a = parameters.get(key);
                if (a == null) {
                    throw new IllegalArgumentException(spec.name() + ": parameter " + key + " missing");
                }
                if (!Arrays.equals(a.shape(), expected.shape())) {
                    throw new IllegalArgumentException(spec.name() + ": parameter " + key + " has shape "
                            + Arrays.toString(a.shape()) + ", expected " + Arrays.toString(expected.shape()));
                }
                copy.put(key, a.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c'));
            }
        }
        this.parameters = Collections.unmodifiableMap(copy);
        this.network = new DirectNetwork(spec, this.parameters);
        this.computeThread = new ComputeThread(spec.name());
    }

    /**
     * A model with freshly initialised parameters (Glorot-uniform weights, zero biases), as training starts.
     *
     * @return a {@link NetworkClassifier} or {@link NetworkAutoencoder}, by the spec's role
     */
    public static NetworkModel untrained(ModelSpec spec, long seed) {
        Map<ParameterKey, INDArray> p = Parameters.initial(spec, seed);
        return spec.role() == ModelRole.CLASSIFIER ? new NetworkClassifier(spec, p) : new NetworkAutoencoder(spec, p);
    }

    /** @return the specification this model was built from */
    public ModelSpec spec() {
        return spec;
    }

    /** @return the shape of one input image */
    public ImageShape inputShape() {
        return spec.inputShape();
    }

    /** @return every array by key (read-only view; do not modify the arrays) */
    public Map<ParameterKey, INDArray> parameters() {
        return parameters;
    }

    /** @return the trainable parameter count (weights, biases, batch-norm γ and β) */
    public long parameterCount() {
        return Architecture.parameterCount(spec);
    }

    /** Rejects an input that is not {@code [N, C, H, W]} of this model's image shape. */
    void checkInput(INDArray x, String what) {
        long[] expected = spec.inputShape().batch(x.rank() == 4 ? x.size(0) : -1);
        if (x.rank() != 4 || !Arrays.equals(x.shape(), expected)) {
            throw new IllegalArgumentException(what + ": expected [N, " + spec.inputShape().channels() + ", "
                    + spec.inputShape().height() + ", " + spec.inputShape().width() + "], got "
                    + Arrays.toString(x.shape()));
        }
    }
}
