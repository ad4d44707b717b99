package org.multimagnet.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.multimagnet.data.ImageShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A trained network run layer by layer with ND4J's native ops, without a SameDiff graph: the inference and
 * input-gradient engine behind {@link SameDiffClassifier} and {@link SameDiffAutoencoder} (issue 8).
 *
 * <p>Why not the SameDiff inference graph: on these machines its per-call cost was mostly not arithmetic. Every op
 * output was a fresh native array, and ND4J frees native memory only when the garbage collector reaches the Java
 * wrapper, so each allocation took fresh pages from the kernel (a 2.4 MB array cost ~8–10 ms to allocate against
 * 0.07 ms to fill); a quarter of the rest was SameDiff's Java-side session bookkeeping. Here every activation and
 * gradient lives in a buffer allocated once per batch size and overwritten on each call, and the layout is NHWC,
 * for which oneDNN's convolution and pooling kernels were 1.5–4× faster than for NCHW on the same shapes.
 *
 * <p>The numbers are the same as the SameDiff graph's ({@link GraphBuilder}, checked in DirectNetworkTest): the same
 * libnd4j ops with the same settings; only the memory layout differs. Dense layers still see their input flattened
 * in NCHW order, so models trained by the SameDiff trainer load unchanged.
 *
 * <p>Not thread-safe; buffers are reused, so a {@link Tape} is valid only until the next call.
 */
final class DirectNetwork {
    /** Upper bound on the buffers one batch may hold (activations and gradients), which sets the chunk size. */
    private static final long BUFFER_BUDGET_BYTES = 256L << 20;
    private static final int MAX_CHUNK = 256;

    private final ImageShape inputShape;
    private final List<Step> steps;
    private final long[] outShape; // per image, NHWC for images
    private final int chunk;
    private Buffers buffers;

    DirectNetwork(ModelSpec spec, Map<String, INDArray> params) {
        this.inputShape = spec.inputShape();
        List<Step> s = new ArrayList<>();
        long[] shape = {inputShape.height(), inputShape.width(), inputShape.channels()}; // NHWC, per image
        long bytesPerImage = 4 * product(shape);
        for (Architecture.PlannedLayer pl : Architecture.plan(spec)) {
            int i = pl.index();
            Layer layer = pl.layer();
            Step step;
            if (layer instanceof Layer.Conv c) {
                step = new ConvStep(c, params.get("L" + i + "_W"), params.get("L" + i + "_b"),
                        batchNormScaleShift(c, i, params), shape);
            } else if (layer instanceof Layer.Pool p) {
                step = new PoolStep(p.max());
            } else if (layer instanceof Layer.Upsample) {
                step = new UpsampleStep();
            } else if (layer instanceof Layer.Dropout) {
                continue; // identity at inference (Keras' inverted dropout scales at training time only)
            } else if (layer instanceof Layer.Dense d) {
                if (shape.length == 3) {
                    s.add(new FlattenStep());
                    shape = new long[] {product(shape)};
                    bytesPerImage += 4 * shape[0];
                }
                step = new DenseStep(d.activation(), params.get("L" + i + "_W"), params.get("L" + i + "_b"));
            } else if (layer instanceof Layer.GlobalAveragePool) {
                step = new GlobalAveragePoolStep();
            } else {
                throw new IllegalArgumentException(spec.name() + ": layer " + layer + " is not supported");
            }
            s.add(step);
            shape = step.outShape(shape);
            bytesPerImage += 4 * product(shape) * (step instanceof ConvStep || step instanceof DenseStep ? 2 : 1);
        }
        this.steps = List.copyOf(s);
        this.outShape = shape;
        // activations and their gradients: twice the forward footprint
        long perImage = 2 * bytesPerImage;
        this.chunk = (int) Math.max(8, Math.min(MAX_CHUNK, BUFFER_BUDGET_BYTES / perImage));
    }

    private static INDArray[] batchNormScaleShift(Layer.Conv c, int i, Map<String, INDArray> params) {
        if (!c.batchNorm()) {
            return null;
        }
        // inference batch norm is an affine map per channel: γ (x − μ) / √(σ² + ε) + β = scale · x + shift
        INDArray scale = params.get("L" + i + "_gamma").div(Transforms.sqrt(params.get("L" + i + "_var")
                .add(GraphBuilder.BN_EPSILON), true));
        INDArray shift = params.get("L" + i + "_beta").sub(params.get("L" + i + "_mean").mul(scale));
        return new INDArray[] {scale.reshape(1, c.filters()), shift.reshape(1, c.filters())};
    }

    /** @return images per pass when a large input is split (bounded by the buffer budget) */
    int chunk() {
        return chunk;
    }

    /**
     * The network's output for {@code x}: {@code [N, K]} for a classifier, {@code [N, C, H, W]} for an autoencoder.
     *
     * @param x {@code [N, C, H, W]} float images
     * @return a new array
     */
    INDArray output(INDArray x) {
        long n = x.size(0);
        long[] resultShape = outShape.length == 1 ? new long[] {n, outShape[0]}
                : new long[] {n, outShape[2], outShape[0], outShape[1]};
        INDArray result = Nd4j.createUninitialized(DataType.FLOAT, resultShape);
        for (long from = 0; from < n; from += chunk) {
            long to = Math.min(n, from + chunk);
            INDArray part = n <= chunk ? x : x.get(NDArrayIndex.interval(from, to));
            INDArray target = n <= chunk ? result : result.get(NDArrayIndex.interval(from, to));
            target.assign(toCallerLayout(forward(part).acts[steps.size()]));
        }
        return result;
    }

    /**
     * Runs {@code x} forward and keeps every activation for {@link Tape#inputGradient}. The whole batch goes through
     * at once (attack batches are small); the tape is valid until the next call on this network.
     */
    Tape tape(INDArray x) {
        Buffers b = forward(x);
        return new Tape(buffers, b);
    }

    /** The activations of one forward pass, and the backward pass through them. */
    final class Tape {
        private final Buffers owner;
        private final Buffers b;
        private final INDArray output;
        private final long generation;

        private Tape(Buffers owner, Buffers b) {
            this.owner = owner;
            this.b = b;
            this.output = b.acts[steps.size()];
            this.generation = owner.generation;
        }

        /** @return the network's output in the caller's layout (a view of a reused buffer: copy it to keep it) */
        INDArray output() {
            return toCallerLayout(output);
        }

        /**
         * ∂(Σ g ⊙ output)/∂x: the vector-Jacobian product of the output gradient {@code g} (same shape as
         * {@link #output()}), by the chain rule through every layer.
         *
         * @return {@code [N, C, H, W]}, a new array
         */
        INDArray inputGradient(INDArray g) {
            if (owner != buffers || generation != owner.generation) {
                throw new IllegalStateException("this tape was overwritten by a later call on the network");
            }
            int last = steps.size();
            b.grads[last].assign(outShape.length == 1 ? g : g.permute(0, 2, 3, 1));
            for (int s = last - 1; s >= 0; s--) {
                steps.get(s).backward(b.acts[s], b.acts[s + 1], b.grads[s + 1], b.grads[s], b.scratch[s]);
            }
            INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, b.n, inputShape.channels(), inputShape.height(),
                    inputShape.width());
            gx.assign(b.grads[0].permute(0, 3, 1, 2));
            return gx;
        }
    }

    /** @return the buffers (views for {@code x}'s batch size) holding every activation of {@code x} */
    private Buffers forward(INDArray x) {
        long n = x.size(0);
        if (buffers == null || buffers.capacity < n) {
            buffers = null; // let the old buffers go before the new ones are allocated
            buffers = new Buffers(Math.max(n, Math.min(chunk, 2 * n)));
        }
        Buffers b = buffers.firstRows(n);
        b.acts[0].assign(x.permute(0, 2, 3, 1));
        for (int s = 0; s < steps.size(); s++) {
            steps.get(s).forward(b.acts[s], b.acts[s + 1]);
        }
        return b;
    }

    private INDArray toCallerLayout(INDArray out) {
        return out.rank() == 4 ? out.permute(0, 3, 1, 2) : out;
    }

    /**
     * Activations ({@code acts[0]} the NHWC input), their gradients and per-step scratch, allocated once for
     * {@code capacity} images; a smaller batch uses their first rows (views), so that alternating batch sizes, such
     * as a set's last partial chunk, allocate nothing.
     */
    private final class Buffers {
        final long capacity;
        final long n;
        final INDArray[] acts;
        final INDArray[] grads;
        final INDArray[][] scratch;
        /** Counts forward passes through these buffers, to refuse a stale {@link Tape}. */
        long generation;

        Buffers(long capacity) {
            this.capacity = capacity;
            this.n = capacity;
            acts = new INDArray[steps.size() + 1];
            grads = new INDArray[steps.size() + 1];
            scratch = new INDArray[steps.size()][];
            long[] shape = {inputShape.height(), inputShape.width(), inputShape.channels()};
            acts[0] = batch(capacity, shape);
            grads[0] = batch(capacity, shape);
            for (int s = 0; s < steps.size(); s++) {
                shape = steps.get(s).outShape(shape);
                acts[s + 1] = batch(capacity, shape);
                grads[s + 1] = batch(capacity, shape);
                scratch[s] = steps.get(s).scratch(capacity, shape);
            }
        }

        private Buffers(Buffers full, long n) {
            this.capacity = full.capacity;
            this.n = n;
            acts = rows(full.acts, n);
            grads = rows(full.grads, n);
            scratch = new INDArray[full.scratch.length][];
            for (int s = 0; s < scratch.length; s++) {
                scratch[s] = rows(full.scratch[s], n);
            }
        }

        /** @return views of the first {@code n} images of every buffer (which start at offset 0, as ops expect) */
        Buffers firstRows(long n) {
            generation++;
            return n == capacity ? this : new Buffers(this, n);
        }

        private INDArray[] rows(INDArray[] full, long n) {
            INDArray[] r = new INDArray[full.length];
            for (int i = 0; i < full.length; i++) {
                r[i] = full[i].get(NDArrayIndex.interval(0, n));
            }
            return r;
        }
    }

    static INDArray batch(long n, long[] perImage) {
        long[] s = new long[perImage.length + 1];
        s[0] = n;
        System.arraycopy(perImage, 0, s, 1, perImage.length);
        return Nd4j.createUninitialized(DataType.FLOAT, s);
    }

    private static long product(long[] shape) {
        long p = 1;
        for (long v : shape) {
            p *= v;
        }
        return p;
    }

    /** One layer: forward into a preallocated output, backward into a preallocated input gradient. */
    private interface Step {
        long[] outShape(long[] in);

        void forward(INDArray in, INDArray out);

        /** May overwrite {@code gOut}. */
        void backward(INDArray in, INDArray out, INDArray gOut, INDArray gIn, INDArray[] scratch);

        /** @return per-image scratch buffers for {@code n} images whose output has {@code outShape} */
        default INDArray[] scratch(long n, long[] outShape) {
            return new INDArray[0];
        }
    }

    private static void exec(String op, INDArray[] inputs, INDArray[] outputs, int... iArgs) {
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(inputs).addOutputs(outputs).addIntegerArguments(iArgs).build());
    }

    /** In place: the activation of a layer's pre-activation. */
    private static void activate(Layer.Activation a, INDArray h) {
        switch (a) {
            case RELU -> Transforms.relu(h, false);
            case SIGMOID -> Transforms.sigmoid(h, false);
            case LINEAR -> {
            }
        }
    }

    /** In place: turns ∂L/∂out into ∂L/∂pre-activation, from the activation's output {@code out}. */
    private static void activateBackward(Layer.Activation a, INDArray out, INDArray g, INDArray tmp) {
        switch (a) {
            case RELU -> exec("relu_bp", new INDArray[] {out, g}, new INDArray[] {tmp});
            // σ' = σ (1 − σ)
            case SIGMOID -> tmp.assign(out).rsubi(1).muli(out).muli(g);
            case LINEAR -> {
                return;
            }
        }
        g.assign(tmp);
    }

    private static final class ConvStep implements Step {
        private final Layer.Conv c;
        private final INDArray w;
        private final INDArray bias;
        private final INDArray bnScale;
        private final INDArray bnShift;
        private final int[] args;
        /** Whether the transposed convolution maps this layer's output shape back onto exactly its input shape. */
        private final boolean transposeFits;
        /** conv2d_bp's weight and bias gradients, which an input gradient does not use */
        private INDArray unusedWeightGradient;
        private INDArray unusedBiasGradient;

        ConvStep(Layer.Conv c, INDArray w, INDArray bias, INDArray[] bn, long[] inShape) {
            this.c = c;
            this.w = w;
            this.bias = bias;
            this.bnScale = bn == null ? null : bn[0];
            this.bnShift = bn == null ? null : bn[1];
            // kH, kW, sH, sW, pH, pW, dH, dW, same, NHWC, weights [kH, kW, iC, oC]
            this.args = new int[] {c.kernel(), c.kernel(), c.stride(), c.stride(), 0, 0, 1, 1, c.same() ? 1 : 0, 1, 0};
            // a transposed convolution's output is out·s (same) or (out − 1)·s + k (valid), which is the input size
            // only when the stride divides evenly; otherwise the rows or columns the stride skipped are lost
            this.transposeFits = c.same() ? inShape[0] % c.stride() == 0 && inShape[1] % c.stride() == 0
                    : (inShape[0] - c.kernel()) % c.stride() == 0 && (inShape[1] - c.kernel()) % c.stride() == 0;
        }

        @Override
        public long[] outShape(long[] in) {
            long h = c.same() ? ceilDiv(in[0], c.stride()) : (in[0] - c.kernel()) / c.stride() + 1;
            long wd = c.same() ? ceilDiv(in[1], c.stride()) : (in[1] - c.kernel()) / c.stride() + 1;
            return new long[] {h, wd, c.filters()};
        }

        @Override
        public INDArray[] scratch(long n, long[] outShape) {
            return new INDArray[] {batch(n, outShape)};
        }

        @Override
        public void forward(INDArray in, INDArray out) {
            exec("conv2d", new INDArray[] {in, w, bias}, new INDArray[] {out}, args);
            if (bnScale != null) {
                INDArray rows = out.reshape(-1, c.filters());
                rows.muliRowVector(bnScale).addiRowVector(bnShift);
            }
            activate(c.activation(), out);
        }

        @Override
        public void backward(INDArray in, INDArray out, INDArray gOut, INDArray gIn, INDArray[] scratch) {
            activateBackward(c.activation(), out, gOut, scratch[0]);
            if (bnScale != null) {
                gOut.reshape(-1, c.filters()).muliRowVector(bnScale);
            }
            if (transposeFits) {
                // ∂L/∂in of a convolution is the transposed convolution of ∂L/∂out with the same weights; conv2d_bp
                // would also compute the weight gradients, which an input gradient does not need (3–4× the time)
                exec("deconv2d", new INDArray[] {gOut, w}, new INDArray[] {gIn}, args);
            } else {
                if (unusedWeightGradient == null) {
                    unusedWeightGradient = w.ulike();
                    unusedBiasGradient = bias.ulike();
                }
                exec("conv2d_bp", new INDArray[] {in, w, bias, gOut}, new INDArray[] {gIn, unusedWeightGradient,
                        unusedBiasGradient}, args);
            }
        }

        private static long ceilDiv(long a, long b) {
            return (a + b - 1) / b;
        }
    }

    private static final class PoolStep implements Step {
        private final String op;
        // kH, kW, sH, sW, pH, pW, dH, dW, same, avg divisor (0: exclude padding; no padding here), NHWC
        private static final int[] ARGS = {2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 1};

        PoolStep(boolean max) {
            this.op = max ? "maxpool2d" : "avgpool2d";
        }

        @Override
        public long[] outShape(long[] in) {
            return new long[] {in[0] / 2, in[1] / 2, in[2]};
        }

        @Override
        public void forward(INDArray in, INDArray out) {
            exec(op, new INDArray[] {in}, new INDArray[] {out}, ARGS);
        }

        @Override
        public void backward(INDArray in, INDArray out, INDArray gOut, INDArray gIn, INDArray[] scratch) {
            exec(op + "_bp", new INDArray[] {in, gOut}, new INDArray[] {gIn}, ARGS);
        }
    }

    private static final class UpsampleStep implements Step {
        private static final int[] ARGS = {2, 2, 0}; // factor H, factor W, isNCHW

        @Override
        public long[] outShape(long[] in) {
            return new long[] {in[0] * 2, in[1] * 2, in[2]};
        }

        @Override
        public void forward(INDArray in, INDArray out) {
            exec("upsampling2d", new INDArray[] {in}, new INDArray[] {out}, ARGS);
        }

        @Override
        public void backward(INDArray in, INDArray out, INDArray gOut, INDArray gIn, INDArray[] scratch) {
            exec("upsampling2d_bp", new INDArray[] {in, gOut}, new INDArray[] {gIn}, ARGS);
        }
    }

    /** NHWC image to a flat vector in NCHW order, the order the dense weights were trained on. */
    private static final class FlattenStep implements Step {
        @Override
        public long[] outShape(long[] in) {
            return new long[] {in[0] * in[1] * in[2]};
        }

        @Override
        public void forward(INDArray in, INDArray out) {
            long[] s = in.shape();
            out.reshape(s[0], s[3], s[1], s[2]).assign(in.permute(0, 3, 1, 2));
        }

        @Override
        public void backward(INDArray in, INDArray out, INDArray gOut, INDArray gIn, INDArray[] scratch) {
            long[] s = in.shape();
            gIn.assign(gOut.reshape(s[0], s[3], s[1], s[2]).permute(0, 2, 3, 1));
        }
    }

    private static final class DenseStep implements Step {
        private final Layer.Activation activation;
        private final INDArray w;
        private final INDArray bias;

        DenseStep(Layer.Activation activation, INDArray w, INDArray bias) {
            this.activation = activation;
            this.w = w;
            this.bias = bias.reshape(1, bias.length());
        }

        @Override
        public long[] outShape(long[] in) {
            return new long[] {w.size(1)};
        }

        @Override
        public INDArray[] scratch(long n, long[] outShape) {
            return new INDArray[] {batch(n, outShape)};
        }

        @Override
        public void forward(INDArray in, INDArray out) {
            Nd4j.gemm(in, w, out, false, false, 1.0, 0.0);
            out.addiRowVector(bias);
            activate(activation, out);
        }

        @Override
        public void backward(INDArray in, INDArray out, INDArray gOut, INDArray gIn, INDArray[] scratch) {
            activateBackward(activation, out, gOut, scratch[0]);
            Nd4j.gemm(gOut, w, gIn, false, true, 1.0, 0.0);
        }
    }

    private static final class GlobalAveragePoolStep implements Step {
        @Override
        public long[] outShape(long[] in) {
            return new long[] {in[2]};
        }

        @Override
        public void forward(INDArray in, INDArray out) {
            in.mean(out, 1, 2);
        }

        @Override
        public void backward(INDArray in, INDArray out, INDArray gOut, INDArray gIn, INDArray[] scratch) {
            long[] s = in.shape();
            INDArray perPixel = gIn.reshape(s[0], s[1] * s[2], s[3]);
            INDArray share = gOut.div(s[1] * s[2]).reshape(s[0], 1, s[3]);
            for (long p = 0; p < s[1] * s[2]; p++) {
                perPixel.get(NDArrayIndex.all(), NDArrayIndex.point(p), NDArrayIndex.all()).assign(share.reshape(s[0], s[3]));
            }
        }
    }

    @Override
    public String toString() {
        return "DirectNetwork" + Arrays.toString(outShape) + " " + steps.size() + " steps, chunk " + chunk;
    }
}
