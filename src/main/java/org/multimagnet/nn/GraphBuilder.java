package org.multimagnet.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.multimagnet.data.ImageShape;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds SameDiff graphs from a {@link ModelSpec}'s layers ({@link Architecture#layers(ModelSpec)}), and owns the
 * parameter names and their initialisation.
 *
 * <p>The models are trained and run by {@link DirectNetwork}; these graphs are its independent
 * reference: the tests compare outputs, input and parameter gradients and optimiser steps of both for every built-in
 * architecture (SameDiff differentiates the graph itself, so a wrong hand-written backward pass shows).
 *
 * <p>Two graphs per model share variable names: a training graph (dropout on, batch norm on batch statistics,
 * the training loss) and an inference graph (no dropout, batch norm on running statistics, and for classifiers the
 * attack loss of {@link Classifier#gradient}). SameDiff's dropout has no train/inference switch, hence two graphs;
 * the trained arrays are copied by name from one to the other.
 *
 * <p>Variable names: {@code L<i>_W} (conv weights {@code [kH, kW, inC, outC]}, the layout conv2d_bp needs; dense
 * weights {@code [in, out]}), {@code L<i>_b}, and for batch norm {@code L<i>_gamma}, {@code L<i>_beta} (trainable)
 * and {@code L<i>_mean}, {@code L<i>_var} (running statistics, inference graph only).
 */
final class GraphBuilder {
    static final String INPUT = "input";
    static final String LABEL = "label";
    static final String WEIGHTS = "w";
    static final String OUTPUT = "output";
    static final String LOSS = "loss";
    static final String GRAD_LOSS = "attackLoss";
    /** Keras' batch-norm epsilon, as in the authors' models. */
    static final double BN_EPSILON = 1e-3;

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

    /**
     * Glorot-uniform weights (Keras' default), zero biases, γ = 1, β = 0, running mean 0 and variance 1, drawn from
     * {@code new Random(seed)} so that the same seed gives the same network on every machine.
     */
    static Map<String, INDArray> initialParameters(ModelSpec spec, long seed) {
        Random rnd = new Random(seed);
        Map<String, INDArray> p = new LinkedHashMap<>();
        List<Architecture.PlannedLayer> plan = Architecture.plan(spec);
        long[] inShape = {spec.inputShape().channels(), spec.inputShape().height(), spec.inputShape().width()};
        for (Architecture.PlannedLayer pl : plan) {
            int i = pl.index();
            if (pl.layer() instanceof Layer.Conv c) {
                long inC = inShape[0];
                long k2 = (long) c.kernel() * c.kernel();
                p.put("L" + i + "_W", glorot(rnd, new long[] {c.kernel(), c.kernel(), inC, c.filters()},
                        k2 * inC, k2 * c.filters()));
                p.put("L" + i + "_b", Nd4j.zeros(DataType.FLOAT, c.filters()));
                if (c.batchNorm()) {
                    p.put("L" + i + "_gamma", Nd4j.ones(DataType.FLOAT, c.filters()));
                    p.put("L" + i + "_beta", Nd4j.zeros(DataType.FLOAT, c.filters()));
                    p.put("L" + i + "_mean", Nd4j.zeros(DataType.FLOAT, c.filters()));
                    p.put("L" + i + "_var", Nd4j.ones(DataType.FLOAT, c.filters()));
                }
            } else if (pl.layer() instanceof Layer.Dense d) {
                long in = ArrayUtil.prodLong(inShape);
                p.put("L" + i + "_W", glorot(rnd, new long[] {in, d.units()}, in, d.units()));
                p.put("L" + i + "_b", Nd4j.zeros(DataType.FLOAT, d.units()));
            }
            inShape = pl.outShape();
        }
        return p;
    }

    private static INDArray glorot(Random rnd, long[] shape, long fanIn, long fanOut) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        float[] v = new float[Math.toIntExact(ArrayUtil.prodLong(shape))];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
        }
        return Nd4j.create(v, shape, 'c');
    }

    /**
     * Builds a graph.
     *
     * @param params every variable's array by name (see the class comment); arrays are used as they are (not copied)
     * @return the graph, with placeholders {@code input} (and {@code label}; {@code w} for an inference classifier),
     *         output {@code output}, and loss {@code loss} (training) or {@code attackLoss} (inference classifier)
     */
    static SameDiff build(ModelSpec spec, Mode mode, Map<String, INDArray> params) {
        SameDiff sd = SameDiff.create();
        ImageShape s = spec.inputShape();
        SDVariable h = sd.placeHolder(INPUT, DataType.FLOAT, -1, s.channels(), s.height(), s.width());
        SDVariable activityPenalty = null;
        long[] shape = {s.channels(), s.height(), s.width()};
        for (Architecture.PlannedLayer pl : Architecture.plan(spec)) {
            int i = pl.index();
            Layer layer = pl.layer();
            if (layer instanceof Layer.Conv c) {
                Conv2DConfig cfg = Conv2DConfig.builder().kH(c.kernel()).kW(c.kernel()).sH(c.stride()).sW(c.stride())
                        .paddingMode(c.same() ? PaddingMode.SAME : PaddingMode.VALID).dataFormat("NCHW").build();
                h = sd.cnn().conv2d(h, sd.var("L" + i + "_W", params.get("L" + i + "_W")),
                        sd.var("L" + i + "_b", params.get("L" + i + "_b")), cfg);
                h = activate(sd, h, c.normInput());
                if (c.batchNorm()) {
                    h = batchNorm(sd, h, i, c.filters(), mode, params);
                }
                h = activate(sd, h, c.activation());
                if (c.activityL2() > 0 && mode == Mode.TRAIN) {
                    // Keras' activity_regularizer: l2 · Σ h², averaged over the batch
                    SDVariable term = sd.math().square(h).sum(1, 2, 3).mean().mul(c.activityL2());
                    activityPenalty = activityPenalty == null ? term : activityPenalty.add(term);
                }
            } else if (layer instanceof Layer.Pool p) {
                Pooling2DConfig cfg = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2)
                        .paddingMode(PaddingMode.VALID).isNHWC(false).build();
                h = p.max() ? sd.cnn().maxPooling2d(h, cfg) : sd.cnn().avgPooling2d(h, cfg);
            } else if (layer instanceof Layer.Upsample) {
                // the (x, 2) overload fails at shape calculation in M2.1; the NCHW-explicit one works
                h = sd.cnn().upsampling2d(h, 2, 2, true);
            } else if (layer instanceof Layer.Dropout d) {
                if (mode == Mode.TRAIN && d.rate() > 0) {
                    // SameDiff's dropout op has no gradient in M2.1 ("Not supported"), so the trainer feeds a
                    // seeded mask of 0 and 1/(1 - rate) values (Keras' inverted dropout) through a placeholder
                    long[] ms = prependBatch(shape);
                    h = h.mul(sd.placeHolder(dropoutMaskName(i), DataType.FLOAT, ms));
                }
            } else if (layer instanceof Layer.Dense d) {
                if (shape.length != 1) {
                    h = h.reshape(-1, ArrayUtil.prodLong(shape));
                }
                // mmul + add rather than sd.nn().linear: two stacked linear (xw_plus_b) ops gave different results
                // on repeated calls with the same input in M2.1 (ScratchDet check, GradientTest)
                h = h.mmul(sd.var("L" + i + "_W", params.get("L" + i + "_W")))
                        .add(sd.var("L" + i + "_b", params.get("L" + i + "_b")));
                h = activate(sd, h, d.activation());
            } else if (layer instanceof Layer.GlobalAveragePool) {
                h = h.mean(2, 3);
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
                                        Map<String, INDArray> params) {
        SDVariable gamma = sd.var("L" + i + "_gamma", params.get("L" + i + "_gamma")).reshape(1, channels, 1, 1);
        SDVariable beta = sd.var("L" + i + "_beta", params.get("L" + i + "_beta")).reshape(1, channels, 1, 1);
        SDVariable mean;
        SDVariable var;
        if (mode == Mode.TRAIN) {
            // written out with plain ops so that the gradient flows through the batch statistics exactly once
            mean = sd.identity(batchMeanName(i), h.mean(true, 0, 2, 3));
            var = sd.identity(batchVarName(i), sd.math().square(h.sub(mean)).mean(true, 0, 2, 3));
        } else {
            mean = sd.var("L" + i + "_mean", params.get("L" + i + "_mean")).reshape(1, channels, 1, 1);
            var = sd.var("L" + i + "_var", params.get("L" + i + "_var")).reshape(1, channels, 1, 1);
        }
        return h.sub(mean).mul(sd.math().rsqrt(var.add(BN_EPSILON))).mul(gamma).add(beta);
    }

    private static SDVariable activate(SameDiff sd, SDVariable h, Layer.Activation a) {
        return switch (a) {
            case LINEAR -> h;
            case RELU -> sd.nn().relu(h, 0);
            case SIGMOID -> sd.nn().sigmoid(h);
        };
    }
}
