package org.multimagnet.nn;

import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The application classifier F built from its {@link ModelSpec}: trained by {@link Trainer}, run
 * by {@link DirectNetwork}. Input gradients are one backward pass from {@code ∂L/∂z} of
 * {@code L = Σ CE(softmax(z), y) + Σ w·z}; a term that is not wanted is left out.
 */
public final class NetworkClassifier extends NetworkModel implements Classifier {
    private final int classCount;

    /**
     * @param spec       a classifier spec
     * @param parameters every variable's array by name (copied)
     */
    public NetworkClassifier(ModelSpec spec, Map<ParameterKey, INDArray> parameters) {
        super(requireRole(spec), parameters);
        long[] out = Architecture.outputShape(spec);
        if (out.length != 1) {
            throw new IllegalArgumentException(spec.name() + ": the last layer must give [K] logits, got "
                    + Arrays.toString(out));
        }
        this.classCount = Math.toIntExact(out[0]);
    }

    private static ModelSpec requireRole(ModelSpec spec) {
        if (spec.role() != ModelRole.CLASSIFIER) {
            throw new IllegalArgumentException(spec.name() + " is an " + spec.role().label() + ", not a classifier");
        }
        return spec;
    }

    @Override
    public int classCount() {
        return classCount;
    }

    @Override
    public INDArray logits(INDArray x) {
        assert computeThread.check("logits");
        checkInput(x, "logits");
        INDArray in = x.dataType() == DataType.FLOAT ? x : x.castTo(DataType.FLOAT);
        return network.output(in);
    }

    @Override
    public LogitsAndGradient gradient(INDArray x, INDArray oneHotLabels, INDArray logitWeights) {
        assert computeThread.check("gradient");
        checkInput(x, "gradient");
        long n = x.size(0);
        INDArray y = oneHotLabels == null ? null : checkRows(oneHotLabels, n, "oneHotLabels");
        INDArray w = logitWeights == null ? null : checkRows(logitWeights, n, "logitWeights");
        INDArray in = x.castTo(DataType.FLOAT);
        INDArray z = Nd4j.createUninitialized(DataType.FLOAT, n, classCount);
        INDArray g = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
        // a large batch goes through in chunks, so that the network's buffers stay small and cache-friendly
        for (long from = 0; from < n; from += network.chunk()) {
            long to = Math.min(n, from + network.chunk());
            INDArrayIndex rows = NDArrayIndex.interval(from, to);
            DirectNetwork.Tape tape = network.tape(in.get(rows));
            INDArray zc = tape.output().dup();
            z.get(rows).assign(zc);
            g.get(rows).assign(tape.inputGradient(lossGradient(zc, y == null ? null : y.get(rows),
                    w == null ? null : w.get(rows))));
        }
        return new LogitsAndGradient(z, g);
    }

    @Override
    public ForwardPass forward(INDArray x) {
        assert computeThread.check("forward");
        checkInput(x, "forward");
        INDArray in = x.castTo(DataType.FLOAT);
        long n = x.size(0);
        if (n > network.chunk()) {
            // too large to keep every activation: the logits now, each gradient by chunks with the forward pass again
            return Classifier.super.forward(in);
        }
        DirectNetwork.Tape tape = network.tape(in);
        return ForwardPass.of(tape.output().dup(), w -> {
            assert computeThread.check("inputGradient");
            return tape.inputGradient(checkRows(w, n, "logitWeights"));
        });
    }

    /**
     * ∂L/∂z for {@code L = Σ_i CE(softmax(z_i), y_i) + Σ_i w_i · z_i}: {@code softmax(z_i) · Σ_k y_ik − y_i + w_i}
     * (the cross-entropy's gradient, which is {@code softmax − y} for one-hot labels).
     */
    static INDArray lossGradient(INDArray z, INDArray y, INDArray w) {
        INDArray g = Nd4j.zeros(DataType.FLOAT, z.shape());
        if (y != null) {
            INDArray p = Transforms.softmax(z, true);
            g.addi(p.muliColumnVector(y.sum(true, 1))).subi(y);
        }
        if (w != null) {
            g.addi(w);
        }
        return g;
    }

    private INDArray checkRows(INDArray a, long n, String what) {
        if (a.rank() != 2 || a.size(0) != n || a.size(1) != classCount) {
            throw new IllegalArgumentException(what + ": expected [" + n + ", " + classCount + "], got "
                    + Arrays.toString(a.shape()));
        }
        return a.castTo(DataType.FLOAT);
    }
}
