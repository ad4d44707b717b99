package org.multimagnet.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.ImageShape;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.multimagnet.nn.NetworkSteps.BatchNorm;
import org.multimagnet.nn.NetworkSteps.ConvStep;
import org.multimagnet.nn.NetworkSteps.DenseStep;
import org.multimagnet.nn.NetworkSteps.DropoutStep;
import org.multimagnet.nn.NetworkSteps.FlattenStep;
import org.multimagnet.nn.NetworkSteps.GlobalAveragePoolStep;
import org.multimagnet.nn.NetworkSteps.PoolStep;
import org.multimagnet.nn.NetworkSteps.Step;
import org.multimagnet.nn.NetworkSteps.UpsampleStep;

/**
 * A trained network run layer by layer with ND4J's native ops, without a SameDiff graph: the inference and
 * input-gradient engine behind {@link NetworkClassifier} and {@link NetworkAutoencoder} (docs/engine.md).
 *
 * <p>Why not the SameDiff inference graph: on these machines its per-call cost was mostly not arithmetic. Every op
 * output was a fresh native array, and ND4J frees native memory only when the garbage collector reaches the Java
 * wrapper, so each allocation took fresh pages from the kernel (a 2.4 MB array cost ~8–10 ms to allocate against
 * 0.07 ms to fill); a quarter of the rest was SameDiff's Java-side session bookkeeping. Here every activation and
 * gradient lives in a buffer allocated once per batch size and overwritten on each call, and the layout is NHWC,
 * for which oneDNN's convolution and pooling kernels were 1.5–4× faster than for NCHW on the same shapes.
 *
 * <p>The numbers are the same as the tests' SameDiff reference graph's (BackendConformanceTest): the same libnd4j ops
 * with the same settings; only the memory layout differs. Dense layers see their input flattened in NCHW order, the
 * order of the stored dense weights.
 *
 * <p>It is also the router between the two {@link Backend}s: its own ops and, for the small autoencoders,
 * {@link LaneNetwork}, as its {@link BackendPolicy} says per call.
 *
 * <p>Not thread-safe; buffers are reused, so a {@link Tape} is valid only until the next call.
 */
final class DirectNetwork {
    /** Upper bound on the buffers one batch may hold (activations and gradients), which sets the chunk size. */
    private static final long BUFFER_BUDGET_BYTES = 256L << 20;
    private static final int MAX_CHUNK = 256;

    private final ImageShape inputShape;
    private final List<Step> steps;
    private final boolean training;
    /** The dropout steps of a training network, by layer index. */
    private final Map<Integer, DropoutStep> dropouts = new LinkedHashMap<>();
    /** The batch norms of a training network, by layer index. */
    private final Map<Integer, BatchNorm> batchNorms = new LinkedHashMap<>();
    /** Each step's per-image output shape (NHWC for images), from {@link Architecture#plan}. */
    private final List<long[]> stepShapes;
    private final long[] outShape; // per image, NHWC for images
    private final int chunk;
    private Buffers buffers;
    /** The plain-Java backend, for the models it can run; else null. */
    private final LaneNetwork lanes;
    /** When the lanes compute a call instead of this network's ops. */
    private final BackendPolicy policy;
    /** This network's own ops, as a {@link Backend} beside the lanes. */
    private final Backend ops = new Backend() {
        @Override
        public String name() {
            return BackendPolicy.OPS.label();
        }

        @Override
        public INDArray output(INDArray x) {
            return opsOutput(x);
        }

        @Override
        public double trainingStep(INDArray x, INDArray target, Map<Integer, INDArray> masks,
                                   Cancellation cancellation) {
            return opsTrainingStep(x, target, masks, cancellation);
        }
    };

    /** An inference network on {@code params} (used as they are, not copied), under the configured policy. */
    DirectNetwork(ModelSpec spec, Map<ParameterKey, INDArray> params) {
        this(spec, params, null);
    }

    /**
     * @param params every parameter by key (used as they are, not copied; a training network's are updated in
     *               place by its trainer)
     * @param grads  for a training network, the arrays that {@link #trainingStep} fills with each parameter's
     *               gradient; null for an inference network (dropout off, batch norm on running statistics)
     */
    DirectNetwork(ModelSpec spec, Map<ParameterKey, INDArray> params, Map<ParameterKey, INDArray> grads) {
        this(spec, params, grads, BackendPolicy.configured());
    }

    /** @param policy when a model the lanes can run goes to them (tests compare the backends) */
    DirectNetwork(ModelSpec spec, Map<ParameterKey, INDArray> params, Map<ParameterKey, INDArray> grads,
                  BackendPolicy policy) {
        this.inputShape = spec.inputShape();
        this.training = grads != null;
        this.policy = policy;
        List<Step> s = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        long[] shape = nhwc(new long[] {inputShape.channels(), inputShape.height(), inputShape.width()});
        long bytesPerImage = 4 * ArrayUtil.prodLong(shape);
        for (Architecture.PlannedLayer pl : Architecture.plan(spec)) {
            int i = pl.index();
            long[] in = shape;
            Step step = pl.layer().accept(new Layer.Visitor<Step>() {
                @Override
                public Step conv(Layer.Conv c) {
                    ConvStep conv = new ConvStep(c, i, params, grads, in);
                    if (conv.batchNorm() != null) {
                        batchNorms.put(i, conv.batchNorm());
                    }
                    return conv;
                }

                @Override
                public Step pool(Layer.Pool p) {
                    return new PoolStep(p.max());
                }

                @Override
                public Step upsample(Layer.Upsample u) {
                    return new UpsampleStep();
                }

                @Override
                public Step dropout(Layer.Dropout d) {
                    if (!training) {
                        return null; // identity at inference (Keras' inverted dropout scales at training time only)
                    }
                    DropoutStep step = new DropoutStep();
                    dropouts.put(i, step);
                    return step;
                }

                @Override
                public Step dense(Layer.Dense d) {
                    return new DenseStep(d, i, params, grads);
                }

                @Override
                public Step globalAveragePool(Layer.GlobalAveragePool g) {
                    return new GlobalAveragePoolStep();
                }
            });
            if (step == null) {
                continue;
            }
            if (step instanceof DenseStep && shape.length == 3) {
                shape = new long[] {ArrayUtil.prodLong(shape)};
                s.add(new FlattenStep());
                shapes.add(shape);
                bytesPerImage += 4 * shape[0];
            }
            // the layer arithmetic is Architecture's; the steps only lay it out as NHWC
            shape = nhwc(pl.outShape());
            s.add(step);
            shapes.add(shape);
            bytesPerImage += 4 * ArrayUtil.prodLong(shape)
                    * (step instanceof ConvStep || step instanceof DenseStep ? 2 : 1);
        }
        this.steps = List.copyOf(s);
        this.stepShapes = List.copyOf(shapes);
        this.outShape = shape;
        // activations and their gradients: twice the forward footprint
        long perImage = 2 * bytesPerImage;
        this.chunk = (int) Math.max(8, Math.min(MAX_CHUNK, BUFFER_BUDGET_BYTES / perImage));
        this.lanes = policy != BackendPolicy.OPS && LaneNetwork.supports(spec) ? new LaneNetwork(spec, params, grads)
                : null;
    }

    /**
     * @param batch images in a call
     * @param masks that call's dropout masks (the lanes have no dropout)
     * @return the backend the policy gives that call
     */
    Backend backendFor(long batch, Map<Integer, INDArray> masks) {
        return lanes != null && masks.isEmpty() && policy.useLanes(true, batch) ? lanes : ops;
    }

    /** {@code [C, H, W]} (Architecture's order) to {@code [H, W, C]}; a flat shape as it is. */
    private static long[] nhwc(long[] chw) {
        return chw.length == 3 ? new long[] {chw[1], chw[2], chw[0]} : chw;
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
        return backendFor(x.size(0), Map.of()).output(x);
    }

    private INDArray opsOutput(INDArray x) {
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
            b.grads[last].assign(outShape.length == 1 ? g : toNhwc(g));
            for (int s = last - 1; s >= 0; s--) {
                steps.get(s).backward(b.acts[s], b.acts[s + 1], b.grads[s + 1], b.grads[s], training, b.scratch[s]);
            }
            INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, b.n, inputShape.channels(), inputShape.height(),
                    inputShape.width());
            gx.assign(toNchw(b.grads[0]));
            return gx;
        }
    }

    /**
     * One training step of a training network: the forward pass in training mode and the gradient of the training
     * loss (MSE against {@code target} for an autoencoder, mean cross-entropy for a classifier, plus the activity
     * penalties) with respect to every parameter, written into the gradient arrays given at construction.
     *
     * @param x      {@code [N, C, H, W]} the (noisy or augmented) input batch
     * @param target {@code [N, C, H, W]} clean images for an autoencoder, {@code [N, K]} one-hot labels otherwise
     * @param masks  each dropout layer's mask by layer index, in that layer's NCHW (or flat) shape with N rows
     * @param cancellation checked after every layer, forward and backward, so that a cancel returns within 1 s
     * @return the batch's data loss, without the activity penalty (the value the trainer reports)
     */
    double trainingStep(INDArray x, INDArray target, Map<Integer, INDArray> masks, Cancellation cancellation) {
        if (!training) {
            throw new IllegalStateException("not a training network");
        }
        return backendFor(x.size(0), masks).trainingStep(x, target, masks, cancellation);
    }

    private double opsTrainingStep(INDArray x, INDArray target, Map<Integer, INDArray> masks,
                                   Cancellation cancellation) {
        for (Map.Entry<Integer, DropoutStep> d : dropouts.entrySet()) {
            INDArray m = masks.get(d.getKey());
            d.getValue().setMask(m == null ? null : m.rank() == 4 ? toNhwc(m).dup('c') : m);
        }
        Buffers b = forward(x, cancellation);
        int last = steps.size();
        INDArray out = b.acts[last];
        INDArray g = b.grads[last];
        double loss;
        if (outShape.length == 3) {
            g.assign(out).subi(toNhwc(target));
            long count = g.length();
            double norm = g.norm2Number().doubleValue();
            loss = norm * norm / count;
            g.muli(2.0 / count); // ∂ mean((out − target)²)/∂out
        } else {
            loss = Trainer.dataLoss(out, target, true);
            // ∂ mean CE/∂z = (softmax(z) − y) / N
            g.assign(NetworkClassifier.lossGradient(out, target, null)).divi(out.size(0));
        }
        for (int s = last - 1; s >= 0; s--) {
            cancellation.throwIfCancelled();
            // no step needs the gradient of the input images in training: null lets the first layer skip it
            steps.get(s).backward(b.acts[s], b.acts[s + 1], b.grads[s + 1], s == 0 ? null : b.grads[s], true,
                    b.scratch[s]);
        }
        return loss;
    }

    /**
     * Batch-norm statistics of a training network for {@code x}: each batch-norm layer's per-channel mean and
     * (biased) variance over the batch, from a training-mode forward pass without dropout.
     *
     * @return {mean, variance} by layer index (new arrays)
     */
    Map<Integer, INDArray[]> batchNormStatistics(INDArray x) {
        dropouts.values().forEach(d -> d.setMask(null));
        forward(x);
        Map<Integer, INDArray[]> out = new LinkedHashMap<>();
        batchNorms.forEach((i, bn) -> {
            INDArray[] meanAndVariance = bn.batchStatistics();
            out.put(i, new INDArray[] {meanAndVariance[0].dup().reshape(-1), meanAndVariance[1].dup().reshape(-1)});
        });
        return out;
    }

    /** @return the buffers (views for {@code x}'s batch size) holding every activation of {@code x} */
    private Buffers forward(INDArray x) {
        return forward(x, Cancellation.NEVER);
    }

    private Buffers forward(INDArray x, Cancellation cancellation) {
        long n = x.size(0);
        if (buffers == null || buffers.capacity < n) {
            buffers = null; // let the old buffers go before the new ones are allocated
            buffers = new Buffers(Math.max(n, Math.min(chunk, 2 * n)));
        }
        Buffers b = buffers.firstRows(n);
        b.acts[0].assign(toNhwc(x));
        for (int s = 0; s < steps.size(); s++) {
            cancellation.throwIfCancelled();
            steps.get(s).forward(b.acts[s], b.acts[s + 1], training, b.scratch[s]);
        }
        return b;
    }

    private INDArray toCallerLayout(INDArray out) {
        return out.rank() == 4 ? toNchw(out) : out;
    }

    /**
     * NCHW to NHWC: with one channel a reshape, whose copies run at memory speed; a permuted view makes ND4J copy
     * element by element (which took most of an autoencoder's time outside its layers).
     */
    static INDArray toNhwc(INDArray nchw) {
        long[] s = nchw.shape();
        return s[1] == 1 ? nchw.reshape('c', s[0], s[2], s[3], 1) : nchw.permute(0, 2, 3, 1);
    }

    /** NHWC to NCHW, as {@link #toNhwc}. */
    static INDArray toNchw(INDArray nhwc) {
        long[] s = nhwc.shape();
        return s[3] == 1 ? nhwc.reshape('c', s[0], 1, s[1], s[2]) : nhwc.permute(0, 3, 1, 2);
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
        /**
         * The views of recent smaller batch sizes, kept so that the same array objects come back for the same size
         * (the steps keep their ops' native contexts while their arrays stay the same).
         */
        private final Map<Long, Buffers> views = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Buffers> eldest) {
                return size() > 8;
            }
        };

        Buffers(long capacity) {
            this.capacity = capacity;
            this.n = capacity;
            acts = new INDArray[steps.size() + 1];
            grads = new INDArray[steps.size() + 1];
            scratch = new INDArray[steps.size()][];
            long[] shape = {inputShape.height(), inputShape.width(), inputShape.channels()};
            acts[0] = NetworkSteps.batch(capacity, shape);
            grads[0] = NetworkSteps.batch(capacity, shape);
            for (int s = 0; s < steps.size(); s++) {
                shape = stepShapes.get(s);
                acts[s + 1] = NetworkSteps.batch(capacity, shape);
                grads[s + 1] = NetworkSteps.batch(capacity, shape);
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
            return n == capacity ? this : views.computeIfAbsent(n, k -> new Buffers(this, k));
        }

        private INDArray[] rows(INDArray[] full, long n) {
            INDArray[] r = new INDArray[full.length];
            for (int i = 0; i < full.length; i++) {
                r[i] = full[i] == null ? null : full[i].get(NDArrayIndex.interval(0, n));
            }
            return r;
        }
    }

    @Override
    public String toString() {
        return "DirectNetwork" + Arrays.toString(outShape) + " " + steps.size() + " steps, chunk " + chunk;
    }
}
