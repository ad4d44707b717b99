package org.multimagnet.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A network's arrays by key, as training starts: the one place that fills what the layers declare. */
final class Parameters {
    private Parameters() {
    }

    /**
     * Glorot-uniform weights (Keras' default), zero biases, γ = 1, β = 0, running mean 0 and variance 1, drawn from
     * {@code new Random(seed)} layer by layer, so that the same seed gives the same network on every machine.
     *
     * @return every array of the spec's network, in plan order
     */
    static Map<ParameterKey, INDArray> initial(ModelSpec spec, long seed) {
        Random rnd = new Random(seed);
        Map<ParameterKey, INDArray> p = new LinkedHashMap<>();
        for (Architecture.PlannedLayer pl : Architecture.plan(spec)) {
            for (Layer.Parameter a : pl.arrays()) {
                INDArray value = switch (a.role()) {
                    case WEIGHTS -> glorot(rnd, a);
                    case BIAS, BETA, RUNNING_MEAN -> Nd4j.zeros(DataType.FLOAT, a.shape());
                    case GAMMA, RUNNING_VARIANCE -> Nd4j.ones(DataType.FLOAT, a.shape());
                };
                p.put(pl.key(a.role()), value);
            }
        }
        return p;
    }

    private static INDArray glorot(Random rnd, Layer.Parameter a) {
        double limit = Math.sqrt(6.0 / (a.fanIn() + a.fanOut()));
        float[] v = new float[Math.toIntExact(a.size())];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
        }
        return Nd4j.create(v, a.shape(), 'c');
    }
}
