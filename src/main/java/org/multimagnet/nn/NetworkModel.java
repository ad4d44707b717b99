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
 * What the classifier and autoencoder share: the spec, the named parameter arrays (see {@link Trainer}) and the
 * engine that runs them ({@link DirectNetwork}). Immutable from outside: the arrays are private copies.
 */
public abstract class NetworkModel {
    private final ModelSpec spec;
    private final Map<String, INDArray> parameters;
    /** The inference and input-gradient engine. */
    final DirectNetwork network;
    /** The thread that owns this model's ND4J work: the first to call it (checked under {@code -ea}). */
    final ComputeThread computeThread;

    NetworkModel(ModelSpec spec, Map<String, INDArray> parameters) {
        this.spec = Objects.requireNonNull(spec, "spec");
        Map<String, INDArray> copy = new LinkedHashMap<>();
        Map<String, INDArray> expected = GraphBuilder.initialParameters(spec, 0);
        for (Map.Entry<String, INDArray> e : expected.entrySet()) {
            INDArray a = parameters.get(e.getKey());
            if (a == null) {
                throw new IllegalArgumentException(spec.name() + ": parameter " + e.getKey() + " missing");
            }
            if (!Arrays.equals(a.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException(spec.name() + ": parameter " + e.getKey() + " has shape "
                        + Arrays.toString(a.shape()) + ", expected " + Arrays.toString(e.getValue().shape()));
            }
            copy.put(e.getKey(), a.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c'));
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
        Map<String, INDArray> p = GraphBuilder.initialParameters(spec, seed);
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

    /** @return every variable's array by name (read-only view; do not modify the arrays) */
    public Map<String, INDArray> parameters() {
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
