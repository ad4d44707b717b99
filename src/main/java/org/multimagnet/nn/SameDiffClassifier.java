package org.multimagnet.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The application classifier F as a SameDiff graph built from its {@link ModelSpec}. Input gradients come from one
 * inference graph whose loss is {@code Σ CE(softmax(z), y) + Σ w·z}; a term that is not wanted gets zeros.
 */
public final class SameDiffClassifier extends SameDiffModel implements Classifier {
    private final int classCount;

    /**
     * @param spec       a classifier spec
     * @param parameters every variable's array by name (copied)
     */
    public SameDiffClassifier(ModelSpec spec, Map<String, INDArray> parameters) {
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
        return chunked(in, c -> graph.output(Map.of(GraphBuilder.INPUT, c), GraphBuilder.OUTPUT)
                .get(GraphBuilder.OUTPUT).dup());
    }

    @Override
    public LogitsAndGradient gradient(INDArray x, INDArray oneHotLabels, INDArray logitWeights) {
        assert computeThread.check("gradient");
        checkInput(x, "gradient");
        long n = x.size(0);
        INDArray y = oneHotLabels == null ? Nd4j.zeros(DataType.FLOAT, n, classCount) : checkRows(oneHotLabels, n, "oneHotLabels");
        INDArray w = logitWeights == null ? Nd4j.zeros(DataType.FLOAT, n, classCount) : checkRows(logitWeights, n, "logitWeights");
        OutAndGrad r = graph.calculateGradientsAndOutputs(
                Map.of(GraphBuilder.INPUT, x.castTo(DataType.FLOAT), GraphBuilder.LABEL, y, GraphBuilder.WEIGHTS, w),
                List.of(GraphBuilder.OUTPUT), List.of(GraphBuilder.INPUT));
        return new LogitsAndGradient(r.getOutputs().get(GraphBuilder.OUTPUT).dup(),
                r.getGradients().get(GraphBuilder.INPUT).dup());
    }

    private INDArray checkRows(INDArray a, long n, String what) {
        if (a.rank() != 2 || a.size(0) != n || a.size(1) != classCount) {
            throw new IllegalArgumentException(what + ": expected [" + n + ", " + classCount + "], got "
                    + Arrays.toString(a.shape()));
        }
        return a.castTo(DataType.FLOAT);
    }
}
