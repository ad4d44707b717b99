package org.multimagnet.nn;

import java.util.Arrays;
import java.util.Map;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The layers of a {@link DirectNetwork}: each writes its forward pass into a preallocated NHWC output and its
 * backward pass into a preallocated input gradient, with the same libnd4j ops and settings as the tests' SameDiff
 * reference graph (checked by the conformance test, BackendConformanceTest).
 */
final class NetworkSteps {
    private NetworkSteps() {
    }

    /** One layer; its output shape is Architecture's (laid out NHWC by {@link DirectNetwork}). */
    interface Step {
        /**
         * Writes the layer's output for {@code in} into {@code out}.
         *
         * @param training training mode: dropout masks, batch-norm batch statistics
         * @param scratch  this step's per-image scratch buffers for this batch
         */
        void forward(INDArray in, INDArray out, boolean training, INDArray[] scratch);

        /**
         * Writes ∂L/∂in into {@code gIn} from ∂L/∂out ({@code gOut}, which may be overwritten); in training mode
         * also writes the gradients of this layer's parameters into the arrays it was given. {@code gIn} is null
         * when no one needs it (the first layer in training).
         */
        void backward(INDArray in, INDArray out, INDArray gOut, INDArray gIn, boolean training, INDArray[] scratch);

        /** @return per-image scratch buffers for {@code n} images whose output has {@code outShape} */
        default INDArray[] scratch(long n, long[] outShape) {
            return new INDArray[0];
        }
    }

    /** @return an uninitialised float array of {@code n} images of shape {@code perImage} */
    static INDArray batch(long n, long[] perImage) {
        return Nd4j.createUninitialized(DataType.FLOAT, ArrayUtil.combine(new long[] {n}, perImage));
    }

    static void exec(String op, INDArray[] inputs, INDArray[] outputs, int... iArgs) {
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(inputs).addOutputs(outputs).addIntegerArguments(iArgs).build());
    }

    /**
     * A custom op whose native context is kept while it is called on the same arrays: a network calls each op on
     * the same reused buffers, and building the context was most of a small op's cost (a 1-image conv2d: 145 µs
     * through the builder, 57 µs with its context reused).
     */
    static final class CachedOp {
        private final DynamicCustomOp op;
        private final int[] iArgs;
        private OpContext context;
        private INDArray[] lastInputs;
        private INDArray[] lastOutputs;

        CachedOp(String name, int... iArgs) {
            this.op = DynamicCustomOp.builder(name).build();
            this.iArgs = iArgs.clone();
        }

        void exec(INDArray[] inputs, INDArray[] outputs) {
            if (context == null || !same(inputs, lastInputs) || !same(outputs, lastOutputs)) {
                if (context != null) {
                    closeQuietly(context);
                }
                context = Nd4j.getExecutioner().buildContext();
                context.setInputArrays(inputs);
                context.setOutputArrays(outputs);
                context.setIArguments(Arrays.stream(iArgs).asLongStream().toArray());
                lastInputs = inputs.clone();
                lastOutputs = outputs.clone();
            }
            Nd4j.getExecutioner().exec(op, context);
        }

        private static void closeQuietly(OpContext c) {
            try {
                c.close();
            } catch (Exception e) {
                // the context only held pointers to arrays that live on; nothing to recover
            }
        }

        private static boolean same(INDArray[] a, INDArray[] b) {
            if (a.length != b.length) {
                return false;
            }
            for (int i = 0; i < a.length; i++) {
                if (a[i] != b[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Arrays from this many values on take the faster per-value path of several ops. */
    private static final long LARGE = 100_000;

    /** In place: the activation of a layer's pre-activation. */
    static INDArray activate(Layer.Activation a, INDArray h) {
        // a switch expression, so that a new activation does not compile until it is handled here
        return switch (a) {
            case RELU -> Transforms.relu(h, false);
            case SIGMOID -> sigmoid(h);
            case LINEAR -> h;
        };
    }

    private static INDArray sigmoid(INDArray h) {
        if (h.length() < LARGE) {
            return Transforms.sigmoid(h, false); // one op: on small arrays the op count is the cost
        }
        // σ(x) = (1 + tanh(x/2)) / 2: libnd4j's sigmoid calls expf once per element (a quarter of an
        // autoencoder's inference time), its tanh is oneDNN's vectorised kernel; 7.4 ms against 12.8 ms on
        // 5.5 M values, equal to 1.2e-7
        h.muli(0.5);
        exec("tanh", new INDArray[] {h}, new INDArray[] {h});
        return h.muli(0.5).addi(0.5);
    }

    /** In place: turns ∂L/∂out into ∂L/∂pre-activation, from the activation's output {@code out}. */
    static void activateBackward(Layer.Activation a, INDArray out, INDArray g, INDArray tmp) {
        INDArray pre = switch (a) {
            // g · [out > 0]; libnd4j's relu_bp runs a per-element lambda, 2.4× slower than these three plain passes
            case RELU -> Transforms.step(tmp.assign(out), false).muli(g);
            // σ' = σ (1 − σ)
            case SIGMOID -> tmp.assign(out).rsubi(1).muli(out).muli(g);
            case LINEAR -> g;
        };
        if (pre != g) {
            g.assign(pre);
        }
    }

    /**
     * Convolution, optional batch norm, activation, and (training only) Keras' activity penalty
     * {@code l2 · mean over the batch of Σ h²}.
     */
    static final class ConvStep implements Step {
        private final Layer.Conv c;
        private final INDArray w;
        private final INDArray bias;
        private final int[] args;
        private final BatchNorm bn;
        private final CachedOp conv;
        private final CachedOp convBackward;
        /** Stride 1, odd kernel: the input gradient as a forward convolution with {@link #flipped} weights, else null. */
        private final CachedOp flippedConv;
        /** {@code w} rotated by 180° with its channel axes swapped, {@code [kH, kW, oC, iC]}; refreshed per use. */
        private final INDArray flipped;
        /**
         * Whether {@link #flipped} holds the weights of the last forward pass: every forward pass clears it, so the
         * rotation runs once per pass however many backward passes use it (DeepFool takes nine).
         */
        private boolean flippedCurrent;
        private final long[] inShape;
        /** The parameter gradients to fill in training mode (views of the trainer's flat array), else null. */
        private final INDArray gradW;
        private final INDArray gradB;
        /**
         * conv2d_bp's weight and bias gradients: contiguous arrays of its own, copied into the flat-array views
         * afterwards (written straight into the views, conv2d_bp took 41 ms instead of 7 on a 1 → 3 layer).
         */
        private final INDArray convWeightGradient;
        private final INDArray convBiasGradient;

        /**
         * @param params every parameter by name; {@code grads} the arrays to fill with their gradients in training
         *               mode, or null for an inference network
         */
        ConvStep(Layer.Conv c, int i, Map<ParameterKey, INDArray> params, Map<ParameterKey, INDArray> grads, long[] inShape) {
            this.c = c;
            this.w = params.get(ParameterKey.weights(i));
            this.bias = params.get(ParameterKey.bias(i));
            // kH, kW, sH, sW, pH, pW, dH, dW, same, NHWC, weights [kH, kW, iC, oC]
            this.args = new int[] {c.kernel(), c.kernel(), c.stride(), c.stride(), 0, 0, 1, 1, c.same() ? 1 : 0, 1, 0};
            this.bn = c.batchNorm() ? new BatchNorm(c.filters(), i, params, grads) : null;
            this.inShape = inShape.clone();
            this.conv = new CachedOp("conv2d", args);
            this.convBackward = new CachedOp("conv2d_bp", args);
            boolean flippable = c.stride() == 1 && c.kernel() % 2 == 1;
            // 'same' pads (k − 1)/2 on each side, which the flipped kernel undoes with the same padding; 'valid' is
            // undone by the full convolution, padding k − 1
            int pad = c.same() ? 0 : c.kernel() - 1;
            this.flippedConv = flippable ? new CachedOp("conv2d", c.kernel(), c.kernel(), 1, 1, pad, pad, 1, 1,
                    c.same() ? 1 : 0, 1, 0) : null;
            this.flipped = flippable ? Nd4j.createUninitialized(DataType.FLOAT, c.kernel(), c.kernel(), c.filters(),
                    w.size(2)) : null;
            this.gradW = grads == null ? null : grads.get(ParameterKey.weights(i));
            this.gradB = grads == null ? null : grads.get(ParameterKey.bias(i));
            this.convWeightGradient = w.ulike();
            this.convBiasGradient = bias.ulike();
        }

        /**
         * [0] activation-gradient temp; [1] the normalised x̂ of the last training pass (batch norm only); [2] in a
         * training network, the input gradient of the first layer, which conv2d_bp writes and nobody reads; [3] the
         * batch norm's input when an activation comes before it (its gradient needs it after the norm overwrote it).
         */
        @Override
        public INDArray[] scratch(long n, long[] outShape) {
            return new INDArray[] {batch(n, outShape), bn == null ? null : batch(n, outShape),
                    gradW == null ? null : batch(n, inShape),
                    c.normInput() == Layer.Activation.LINEAR ? null : batch(n, outShape)};
        }

        @Override
        public void forward(INDArray in, INDArray out, boolean training, INDArray[] scratch) {
            flippedCurrent = false;
            conv.exec(new INDArray[] {in, w, bias}, new INDArray[] {out});
            if (scratch[3] != null) {
                activate(c.normInput(), out);
                scratch[3].assign(out);
            }
            if (bn != null) {
                bn.forward(out.reshape(-1, c.filters()), training, scratch[1].reshape(-1, c.filters()));
            }
            activate(c.activation(), out);
        }

        @Override
        public void backward(INDArray in, INDArray out, INDArray gOut, INDArray gIn, boolean training,
                             INDArray[] scratch) {
            if (training && c.activityL2() > 0) {
                // ∂(l2 · Σ h² / N)/∂h = 2 · l2 · h / N, added in place (axpy: no temporary array)
                Nd4j.getBlasWrapper().level1().axpy(out.length(), 2 * c.activityL2() / out.size(0), out, gOut);
            }
            activateBackward(c.activation(), out, gOut, scratch[0]);
            if (bn != null) {
                bn.backward(gOut.reshape(-1, c.filters()), training, scratch[1].reshape(-1, c.filters()));
            }
            if (scratch[3] != null) {
                activateBackward(c.normInput(), scratch[3], gOut, scratch[0]);
            }
            if (!training && gIn == null) {
                return;
            }
            if (!training && flippedConv != null) {
                // ∂L/∂in[y, x, i] = Σ_{a, b, o} ∂L/∂out[y − a + p, x − b + p, o] · w[a, b, i, o]: a convolution of
                // ∂L/∂out with the kernel rotated by 180° and its channel axes swapped, on the fast forward path
                // (libnd4j's transposed convolution took 20× longer on CIFAR's 96-channel layers)
                if (!flippedCurrent) {
                    rotate(w, flipped);
                    flippedCurrent = true;
                }
                flippedConv.exec(new INDArray[] {gOut, flipped}, new INDArray[] {gIn});
                return;
            }
            // training, or a strided layer's input gradient: conv2d_bp also computes the weight gradients (and is
            // still 10× faster than the transposed convolution on All-CNN's stride-2 layers); in training the first
            // layer's input gradient goes to its own scratch
            convBackward.exec(new INDArray[] {in, w, bias, gOut}, new INDArray[] {gIn == null ? scratch[2] : gIn,
                    convWeightGradient, convBiasGradient});
            if (training) {
                gradW.assign(convWeightGradient);
                gradB.assign(convBiasGradient);
            }
        }

        /** {@code out[a, b, o, i] = w[k − 1 − a, k − 1 − b, i, o]} for a square kernel {@code w [k, k, iC, oC]}. */
        static void rotate(INDArray w, INDArray out) {
            int k = (int) w.size(0);
            int ci = (int) w.size(2);
            int co = (int) w.size(3);
            float[] src = w.dup('c').data().asFloat();
            float[] dst = new float[src.length];
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    int from = ((k - 1 - a) * k + (k - 1 - b)) * ci * co;
                    int to = (a * k + b) * co * ci;
                    for (int i = 0; i < ci; i++) {
                        for (int o = 0; o < co; o++) {
                            dst[to + o * ci + i] = src[from + i * co + o];
                        }
                    }
                }
            }
            out.assign(Nd4j.create(dst, out.shape(), 'c'));
        }

        /** @return this layer's batch norm, or null */
        BatchNorm batchNorm() {
            return bn;
        }
    }

    /**
     * Batch norm over the rows {@code [N·H·W, C]} of an NHWC activation: at inference the affine map
     * {@code γ (x − μ) / √(σ² + ε) + β} with the running statistics; in training with the batch's own mean and
     * (biased) variance, and the gradient through them.
     */
    static final class BatchNorm {
        private final INDArray gamma;
        private final INDArray beta;
        private final INDArray inferenceScale;
        private final INDArray inferenceShift;
        private final INDArray gradGamma;
        private final INDArray gradBeta;
        /** A row of ones as long as the last batch's row count (for {@link #columnSums}). */
        private INDArray ones;
        /** 1/√(σ² + ε) of the last training batch, and that batch's mean and variance. */
        private INDArray invStd;
        private INDArray batchMean;
        private INDArray batchVar;

        BatchNorm(int channels, int i, Map<ParameterKey, INDArray> params, Map<ParameterKey, INDArray> grads) {
            gamma = params.get(new ParameterKey(i, ParameterKey.Role.GAMMA)).reshape(1, channels);
            beta = params.get(new ParameterKey(i, ParameterKey.Role.BETA)).reshape(1, channels);
            if (grads == null) {
                inferenceScale = gamma.div(Transforms.sqrt(params.get(new ParameterKey(i, ParameterKey.Role.RUNNING_VARIANCE)).reshape(1, channels)
                        .add(Layer.BATCH_NORM_EPSILON), false));
                inferenceShift = beta.sub(params.get(new ParameterKey(i, ParameterKey.Role.RUNNING_MEAN)).reshape(1, channels).mul(inferenceScale));
                gradGamma = null;
                gradBeta = null;
            } else {
                inferenceScale = null;
                inferenceShift = null;
                gradGamma = grads.get(new ParameterKey(i, ParameterKey.Role.GAMMA)).reshape(1, channels);
                gradBeta = grads.get(new ParameterKey(i, ParameterKey.Role.BETA)).reshape(1, channels);
            }
        }

        void forward(INDArray rows, boolean training, INDArray xHat) {
            if (!training) {
                rows.muliRowVector(inferenceScale).addiRowVector(inferenceShift);
                return;
            }
            batchMean = columnSums(rows).divi(rows.size(0));
            xHat.assign(rows).subiRowVector(batchMean);
            batchVar = columnSums(xHat.mul(xHat)).divi(rows.size(0));
            invStd = Transforms.pow(batchVar.add(Layer.BATCH_NORM_EPSILON), -0.5, false);
            xHat.muliRowVector(invStd);
            rows.assign(xHat).muliRowVector(gamma).addiRowVector(beta);
        }

        /** In place on {@code g}: ∂L/∂y to ∂L/∂x; in training also fills ∂L/∂γ and ∂L/∂β. */
        void backward(INDArray g, boolean training, INDArray xHat) {
            if (!training) {
                g.muliRowVector(inferenceScale);
                return;
            }
            // ∂β = Σ g, ∂γ = Σ g·x̂, ∂x = γ/σ · (g − mean(g) − x̂ · mean(g·x̂)) (σ = √(var + ε), sums over rows)
            gradBeta.assign(columnSums(g));
            gradGamma.assign(columnSums(g.mul(xHat)));
            INDArray meanG = gradBeta.div(g.size(0));
            INDArray meanGXhat = gradGamma.div(g.size(0));
            g.subiRowVector(meanG).subi(xHat.mulRowVector(meanGXhat)).muliRowVector(gamma.mul(invStd));
        }

        /**
         * Σ over rows as a matrix-vector product: libnd4j reduces a C-order matrix along its first axis with a strided
         * loop, which took a quarter of a CIFAR classifier's training step; BLAS reads the rows in order.
         */
        private INDArray columnSums(INDArray rows) {
            long r = rows.size(0);
            if (ones == null || ones.size(1) != r) {
                ones = Nd4j.ones(DataType.FLOAT, 1, r);
            }
            return ones.mmul(rows);
        }

        /** @return the last training batch's per-channel mean and variance */
        INDArray[] batchStatistics() {
            return new INDArray[] {batchMean, batchVar};
        }
    }

    /** 2×2 max or average pooling, stride 2. */
    static final class PoolStep implements Step {
        private final CachedOp pool;
        private final CachedOp poolBackward;
        // kH, kW, sH, sW, pH, pW, dH, dW, same, avg divisor (0: exclude padding; no padding here), NHWC
        static final int[] ARGS = {2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 1};

        PoolStep(boolean max) {
            String op = max ? "maxpool2d" : "avgpool2d";
            this.pool = new CachedOp(op, ARGS);
            this.poolBackward = new CachedOp(op + "_bp", ARGS);
        }

        @Override
        public void forward(INDArray in, INDArray out, boolean training, INDArray[] scratch) {
            pool.exec(new INDArray[] {in}, new INDArray[] {out});
        }

        @Override
        public void backward(INDArray in, INDArray out, INDArray gOut, INDArray gIn, boolean training,
                             INDArray[] scratch) {
            if (gIn != null) {
                poolBackward.exec(new INDArray[] {in, gOut}, new INDArray[] {gIn});
            }
        }
    }

    /** Nearest-neighbour 2× upsampling. */
    static final class UpsampleStep implements Step {
        private final CachedOp blockSum = new CachedOp("avgpool2d", PoolStep.ARGS);

        /**
         * Four strided copies, one per position in each 2×2 block: libnd4j's upsampling2d (a per-element lambda)
         * took 8.2 ms where these take 3.5 ms ([256, 14, 14, 32] in).
         */
        @Override
        public void forward(INDArray in, INDArray out, boolean training, INDArray[] scratch) {
            long[] s = in.shape();
            INDArray blocks = out.reshape(s[0], s[1], 2, s[2], 2, s[3]);
            for (int p = 0; p < 2; p++) {
                for (int q = 0; q < 2; q++) {
                    blocks.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(p), NDArrayIndex.all(),
                            NDArrayIndex.point(q), NDArrayIndex.all()).assign(in);
                }
            }
        }

        /** Each input pixel's gradient is the sum over its 2×2 block: 4 × oneDNN's average pooling (8× faster). */
        @Override
        public void backward(INDArray in, INDArray out, INDArray gOut, INDArray gIn, boolean training,
                             INDArray[] scratch) {
            if (gIn == null) {
                return;
            }
            blockSum.exec(new INDArray[] {gOut}, new INDArray[] {gIn});
            gIn.muli(4);
        }
    }

    /**
     * Inverted dropout in training (the mask of 0 and 1/(1 − rate), drawn by the trainer, set per batch); the
     * identity at inference, where it is not compiled in at all.
     */
    static final class DropoutStep implements Step {
        private INDArray mask;

        /** @param mask this batch's mask in this layer's NHWC shape, or null for none (all kept) */
        void setMask(INDArray mask) {
            this.mask = mask;
        }

        @Override
        public void forward(INDArray in, INDArray out, boolean training, INDArray[] scratch) {
            out.assign(in);
            if (training && mask != null) {
                out.muli(mask);
            }
        }

        @Override
        public void backward(INDArray in, INDArray out, INDArray gOut, INDArray gIn, boolean training,
                             INDArray[] scratch) {
            if (gIn == null) {
                return;
            }
            gIn.assign(gOut);
            if (training && mask != null) {
                gIn.muli(mask);
            }
        }
    }

    /** NHWC image to a flat vector in NCHW order, the order the dense weights were trained on. */
    static final class FlattenStep implements Step {
        @Override
        public void forward(INDArray in, INDArray out, boolean training, INDArray[] scratch) {
            long[] s = in.shape();
            out.reshape(s[0], s[3], s[1], s[2]).assign(in.permute(0, 3, 1, 2));
        }

        @Override
        public void backward(INDArray in, INDArray out, INDArray gOut, INDArray gIn, boolean training,
                             INDArray[] scratch) {
            if (gIn == null) {
                return;
            }
            long[] s = in.shape();
            gIn.assign(gOut.reshape(s[0], s[3], s[1], s[2]).permute(0, 2, 3, 1));
        }
    }

    /** Fully connected layer {@code h W + b} and its activation. */
    static final class DenseStep implements Step {
        private final Layer.Activation activation;
        private final INDArray w;
        private final INDArray bias;
        private final INDArray gradW;
        private final INDArray gradB;

        DenseStep(Layer.Dense d, int i, Map<ParameterKey, INDArray> params, Map<ParameterKey, INDArray> grads) {
            this.activation = d.activation();
            this.w = params.get(ParameterKey.weights(i));
            this.bias = params.get(ParameterKey.bias(i)).reshape(1, d.units());
            this.gradW = grads == null ? null : grads.get(ParameterKey.weights(i));
            this.gradB = grads == null ? null : grads.get(ParameterKey.bias(i)).reshape(1, d.units());
        }

        @Override
        public INDArray[] scratch(long n, long[] outShape) {
            return new INDArray[] {batch(n, outShape)};
        }

        @Override
        public void forward(INDArray in, INDArray out, boolean training, INDArray[] scratch) {
            Nd4j.gemm(in, w, out, false, false, 1.0, 0.0);
            out.addiRowVector(bias);
            activate(activation, out);
        }

        @Override
        public void backward(INDArray in, INDArray out, INDArray gOut, INDArray gIn, boolean training,
                             INDArray[] scratch) {
            activateBackward(activation, out, gOut, scratch[0]);
            if (training) {
                Nd4j.gemm(in, gOut, gradW, true, false, 1.0, 0.0);
                gradB.assign(gOut.sum(true, 0));
            }
            if (gIn != null) {
                Nd4j.gemm(gOut, w, gIn, false, true, 1.0, 0.0);
            }
        }
    }

    /** Mean over the image plane per channel. */
    static final class GlobalAveragePoolStep implements Step {
        @Override
        public void forward(INDArray in, INDArray out, boolean training, INDArray[] scratch) {
            in.mean(out, 1, 2);
        }

        @Override
        public void backward(INDArray in, INDArray out, INDArray gOut, INDArray gIn, boolean training,
                             INDArray[] scratch) {
            if (gIn == null) {
                return;
            }
            long[] s = in.shape();
            INDArray perPixel = gIn.reshape(s[0], s[1] * s[2], s[3]);
            INDArray share = gOut.div(s[1] * s[2]);
            for (long p = 0; p < s[1] * s[2]; p++) {
                perPixel.get(NDArrayIndex.all(), NDArrayIndex.point(p), NDArrayIndex.all()).assign(share);
            }
        }
    }
}
