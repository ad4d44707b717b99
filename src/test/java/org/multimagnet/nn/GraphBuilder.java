package org.multimagnet.nn;

import java.util.List;
import java.util.Map;
import org.multimagnet.data.ImageShape;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/**
 * The tests' reference: SameDiff graphs built from a {@link ModelSpec}'s layers ({@link Architecture#plan}). SameDiff
 * differentiates the graph itself, so a wrong hand-written backward pass in a backend shows against it
 * (BackendConformanceTest). The product does not use SameDiff.
 *
 * <p>Two graphs per model share variable names: a training graph (dropout on, batch norm on batch statistics,
 * the training loss) and an inference graph (no dropout, batch norm on running statistics, and for classifiers the
 * attack loss of {@link Classifier#gradient}). SameDiff's dropout has no train/inference switch, hence two graphs.
 *
 * <p>Variable names are {@link ParameterKey#fileName()}: conv weights {@code [kH, kW, inC, outC]}, dense weights
 * {@code [in, out]}.
 */
final class GraphBuilder {
    static final String INPUT = "input";
    static final String LABEL = "label";
    static final String WEIGHTS = "w";
    static final String OUTPUT = "output";
    static final String LOSS = "loss";
    static final String GRAD_LOSS = "attackLoss";

    enum Mode { TRAIN, INFERENCE }

    private GraphBuilder() {
    }

    /** @return the placeholder name of layer {@code layer}'s dropout mask in the training graph */
    static String dropoutMaskName(int layer) {
        return "L" + layer + "_mask";
    }

    private static long[] prependBatch(long[] shape) {
        return ArrayUtil.combine(new long[] {-1}, shape);
    }

    static String batchMeanName(int layer) {
        return "L" + layer + "_bmean";
    }

    static String batchVarName(int layer) {
        return "L" + layer + "_bvar";
    }

    /** @return the product's initial arrays ({@link Parameters#initial}) */
    static Map<ParameterKey, INDArray> initialParameters(ModelSpec spec, long seed) {
        return Parameters.initial(spec, seed);
    }

    /** @return the graph variable holding {@code key}'s array */
    private static SDVariable var(SameDiff sd, Map<ParameterKey, INDArray> params, ParameterKey key) {
        return sd.var(key.fileName(), params.get(key));
    }

    /**
     * Builds a graph.
     *
     * @param params every array by key (see the class comment); arrays are used as they are (not copied)
     * @return the graph, with placeholders {@code input} (and {@code label}; {@code w} for an inference classifier),
     *         output {@code output}, and loss {@code loss} (training) or {@code attackLoss} (inference classifier)
     */
    static SameDiff build(ModelSpec spec, Mode mode, Map<ParameterKey, INDArray> params) {
        SameDiff sd = SameDiff.create();
        ImageShape s = spec.inputShape();
        SDVariable h = sd.placeHolder(INPUT, DataType.FLOAT, -1, s.channels(), s.height(), s.width());
        SDVariable activityPenalty = null;
        long[] shape = {s.channels(), s.height(), s.width()};
        for (Architecture.PlannedLayer pl : Architecture.plan(spec)) {
            int i = pl.index();
            SDVariable in = h;
            long[] inShape = pl.inShape();
            SDVariable[] penalty = {null};
            h = pl.layer().accept(new Layer.Visitor<SDVariable>() {
                @Override
                public SDVariable conv(Layer.Conv c) {
                    Conv2DConfig cfg = Conv2DConfig.builder().kH(c.kernel()).kW(c.kernel()).sH(c.stride())
                            .sW(c.stride()).paddingMode(c.same() ? PaddingMode.SAME : PaddingMode.VALID)
                            .dataFormat("NCHW").build();
                    SDVariable r = sd.cnn().conv2d(in, var(sd, params, ParameterKey.weights(i)),
                            var(sd, params, ParameterKey.bias(i)), cfg);
                    r = activate(sd, r, c.normInput());
                    if (c.batchNorm()) {
                        r = batchNorm(sd, r, i, c.filters(), mode, params);
                    }
                    r = activate(sd, r, c.activation());
                    if (c.activityL2() > 0 && mode == Mode.TRAIN) {
                        // Keras' activity_regularizer: l2 · Σ h², averaged over the batch
                        penalty[0] = sd.math().square(r).sum(1, 2, 3).mean().mul(c.activityL2());
                    }
                    return r;
                }

                @Override
                public SDVariable pool(Layer.Pool p) {
                    Pooling2DConfig cfg = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2)
                            .paddingMode(PaddingMode.VALID).isNHWC(false).build();
                    return p.max() ? sd.cnn().maxPooling2d(in, cfg) : sd.cnn().avgPooling2d(in, cfg);
                }

                @Override
                public SDVariable upsample(Layer.Upsample u) {
                    // the (x, 2) overload fails at shape calculation in M2.1; the NCHW-explicit one works
                    return sd.cnn().upsampling2d(in, 2, 2, true);
                }

                @Override
                public SDVariable dropout(Layer.Dropout d) {
                    if (mode != Mode.TRAIN || d.rate() == 0) {
                        return in;
                    }
                    // SameDiff's dropout op has no gradient in M2.1 ("Not supported"): a mask of 0 and 1/(1 - rate)
                    // values (Keras' inverted dropout) comes in through a placeholder
                    return in.mul(sd.placeHolder(dropoutMaskName(i), DataType.FLOAT, prependBatch(inShape)));
                }

                @Override
                public SDVariable dense(Layer.Dense d) {
                    SDVariable flat = inShape.length == 1 ? in : in.reshape(-1, ArrayUtil.prodLong(inShape));
                    // mmul + add rather than sd.nn().linear: two stacked linear (xw_plus_b) ops gave different
                    // results on repeated calls with the same input in M2.1
                    return activate(sd, flat.mmul(var(sd, params, ParameterKey.weights(i)))
                            .add(var(sd, params, ParameterKey.bias(i))), d.activation());
                }

                @Override
                public SDVariable globalAveragePool(Layer.GlobalAveragePool g) {
                    return in.mean(2, 3);
                }
            });
            if (penalty[0] != null) {
                activityPenalty = activityPenalty == null ? penalty[0] : activityPenalty.add(penalty[0]);
            }
            shape = pl.outShape();
        }
        SDVariable out = sd.identity(OUTPUT, h);
        if (spec.role() == ModelRole.AUTOENCODER) {
            if (mode == Mode.TRAIN) {
                SDVariable label = sd.placeHolder(LABEL, DataType.FLOAT, -1, s.channels(), s.height(), s.width());
                SDVariable loss = sd.math().squaredDifference(out, label).mean();
                if (activityPenalty != null) {
                    loss = loss.add(activityPenalty);
                }
                sd.identity(LOSS, loss);
                sd.setLossVariables(LOSS);
            }
        } else {
            long k = shape[0];
            SDVariable label = sd.placeHolder(LABEL, DataType.FLOAT, -1, k);
            // Σ_k y_k · log softmax(z)_k per row: the cross-entropy of softmax(z) against y
            SDVariable ce = label.mul(sd.nn().logSoftmax(out)).sum(1).neg();
            if (mode == Mode.TRAIN) {
                sd.identity(LOSS, ce.mean());
                sd.setLossVariables(LOSS);
            } else {
                SDVariable w = sd.placeHolder(WEIGHTS, DataType.FLOAT, -1, k);
                sd.identity(GRAD_LOSS, ce.sum().add(w.mul(out).sum()));
                sd.setLossVariables(GRAD_LOSS);
            }
        }
        return sd;
    }

    private static SDVariable batchNorm(SameDiff sd, SDVariable h, int i, int channels, Mode mode,
                                        Map<ParameterKey, INDArray> params) {
        SDVariable gamma = var(sd, params, new ParameterKey(i, ParameterKey.Role.GAMMA)).reshape(1, channels, 1, 1);
        SDVariable beta = var(sd, params, new ParameterKey(i, ParameterKey.Role.BETA)).reshape(1, channels, 1, 1);
        SDVariable mean;
        SDVariable var;
        if (mode == Mode.TRAIN) {
            // written out with plain ops so that the gradient flows through the batch statistics exactly once
            mean = sd.identity(batchMeanName(i), h.mean(true, 0, 2, 3));
            var = sd.identity(batchVarName(i), sd.math().square(h.sub(mean)).mean(true, 0, 2, 3));
        } else {
            mean = var(sd, params, new ParameterKey(i, ParameterKey.Role.RUNNING_MEAN)).reshape(1, channels, 1, 1);
            var = var(sd, params, new ParameterKey(i, ParameterKey.Role.RUNNING_VARIANCE)).reshape(1, channels, 1, 1);
        }
        return h.sub(mean).mul(sd.math().rsqrt(var.add(Layer.BATCH_NORM_EPSILON))).mul(gamma).add(beta);
    }

    private static SDVariable activate(SameDiff sd, SDVariable h, Layer.Activation a) {
        return switch (a) {
            case LINEAR -> h;
            case RELU -> sd.nn().relu(h, 0);
            case SIGMOID -> sd.nn().sigmoid(h);
        };
    }
}
