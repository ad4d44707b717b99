package org.multimagnet.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One layer of an architecture, after a {@link ModelSpec} has been expanded by {@link Architecture}. Every layer
 * works on NCHW activations; {@link Dense} flattens what comes in.
 *
 * <p>A layer knows its output shape and the arrays it holds; what it computes is each engine's business, reached
 * through {@link #accept}: an engine implements {@link Visitor}, one method per kind of layer, so that a new kind
 * does not compile until every engine (and the tests' reference graph) handles it. {@link Kind} lists the kinds for
 * the tests that must cover each one.
 */
public sealed interface Layer {

    /** The kinds of layer, one per record below (the conformance tests build an example of each). */
    enum Kind { CONV, POOL, UPSAMPLE, DROPOUT, DENSE, GLOBAL_AVERAGE_POOL }

    /** What an engine does with each kind of layer. */
    interface Visitor<R> {
        R conv(Conv c);

        R pool(Pool p);

        R upsample(Upsample u);

        R dropout(Dropout d);

        R dense(Dense d);

        R globalAveragePool(GlobalAveragePool g);
    }

    /**
     * One array a layer holds.
     *
     * @param role   what it holds
     * @param shape  its shape
     * @param fanIn  inputs per output (the weights' initialisation uses it; 0 for the other roles)
     * @param fanOut outputs per input (as fanIn)
     */
    record Parameter(ParameterKey.Role role, long[] shape, long fanIn, long fanOut) {
        /** @return the number of values */
        public long size() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    /** @return this layer's kind */
    Kind kind();

    /** @return what {@code visitor} makes of this layer */
    <R> R accept(Visitor<R> visitor);

    /**
     * @param in the input shape without the batch axis: {@code [C, H, W]} or {@code [units]}
     * @return the output shape without the batch axis
     * @throws IllegalArgumentException when the input does not fit the layer (too small, or not an image)
     */
    long[] outputShape(long[] in);

    /**
     * @param in the input shape, as for {@link #outputShape}
     * @return the arrays this layer holds, in the order they are stored and initialised (none for most kinds)
     */
    default List<Parameter> parameters(long[] in) {
        return List.of();
    }

    /** Keras' batch-norm epsilon, as in the authors' models. */
    double BATCH_NORM_EPSILON = 1e-3;

    private static long[] requireImage(long[] in, Layer layer) {
        if (in.length != 3) {
            throw new IllegalArgumentException(layer + " needs an image input, got " + Arrays.toString(in));
        }
        return in;
    }

    /** Hidden or output activation of a layer. */
    enum Activation {
        /** f(x) = x. */
        LINEAR,
        /** f(x) = max(0, x). */
        RELU,
        /** f(x) = 1 / (1 + e^-x). */
        SIGMOID;

        /** Parses {@code linear|relu|sigmoid}. */
        public static Activation parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "linear", "identity", "none" -> LINEAR;
                case "relu" -> RELU;
                case "sigmoid" -> SIGMOID;
                default -> throw new IllegalArgumentException("activation '" + s + "': expected linear, relu or sigmoid");
            };
        }
    }

    /**
     * A k×k convolution with bias, then (optionally) batch normalisation, then the activation.
     *
     * @param filters    output channels, at least 1
     * @param kernel     k, the kernel's height and width
     * @param stride     stride in both directions
     * @param same       same padding (output size = ceil(input / stride)) or valid padding
     * @param activation applied after batch normalisation
     * @param batchNorm  whether a batch normalisation (γ, β trainable; running mean and variance) follows
     * @param activityL2 weight of the L2 activity penalty on this layer's output (0 = none)
     * @param normInput  activation applied between the convolution and the batch normalisation ({@code LINEAR}:
     *                   none). The authors' CIFAR-10 members end in conv(3, sigmoid) → batch norm → sigmoid, two
     *                   sigmoids around one normalisation; it means nothing without batch norm.
     */
    record Conv(int filters, int kernel, int stride, boolean same, Activation activation, boolean batchNorm,
                double activityL2, Activation normInput) implements Layer {
        /** A convolution with nothing between it and its batch norm. */
        public Conv(int filters, int kernel, int stride, boolean same, Activation activation, boolean batchNorm,
                    double activityL2) {
            this(filters, kernel, stride, same, activation, batchNorm, activityL2, Activation.LINEAR);
        }

        public Conv {
            if (normInput == null || (!batchNorm && normInput != Activation.LINEAR)) {
                throw new IllegalArgumentException("conv: an activation before batch norm needs batch norm, got "
                        + normInput + " with batchNorm " + batchNorm);
            }
            if (filters < 1 || kernel < 1 || stride < 1) {
                throw new IllegalArgumentException("conv: filters, kernel and stride must be >= 1, got "
                        + filters + ", " + kernel + ", " + stride);
            }
            if (activityL2 < 0) {
                throw new IllegalArgumentException("conv: activity L2 must be >= 0, got " + activityL2);
            }
        }

        @Override
        public Kind kind() {
            return Kind.CONV;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.conv(this);
        }

        @Override
        public long[] outputShape(long[] in) {
            requireImage(in, this);
            return new long[] {filters, size(in[1]), size(in[2])};
        }

        private long size(long in) {
            long size = same ? (in + stride - 1) / stride : (in - kernel) / stride + 1;
            if (size < 1 || (!same && in < kernel)) {
                throw new IllegalArgumentException("conv " + kernel + "×" + kernel + " valid: input size " + in
                        + " is smaller than the kernel");
            }
            return size;
        }

        /** Weights and bias; with batch norm also γ, β and the running mean and variance. */
        @Override
        public List<Parameter> parameters(long[] in) {
            long k2 = (long) kernel * kernel;
            List<Parameter> p = new ArrayList<>(List.of(
                    new Parameter(ParameterKey.Role.WEIGHTS, new long[] {kernel, kernel, in[0], filters}, k2 * in[0],
                            k2 * filters),
                    new Parameter(ParameterKey.Role.BIAS, new long[] {filters}, 0, 0)));
            if (batchNorm) {
                for (ParameterKey.Role r : List.of(ParameterKey.Role.GAMMA, ParameterKey.Role.BETA,
                        ParameterKey.Role.RUNNING_MEAN, ParameterKey.Role.RUNNING_VARIANCE)) {
                    p.add(new Parameter(r, new long[] {filters}, 0, 0));
                }
            }
            return List.copyOf(p);
        }
    }

    /**
     * A 2×2 pooling with stride 2 (odd sizes are floored, as Keras does).
     *
     * @param max max pooling, or average pooling
     */
    record Pool(boolean max) implements Layer {
        @Override
        public Kind kind() {
            return Kind.POOL;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.pool(this);
        }

        @Override
        public long[] outputShape(long[] in) {
            requireImage(in, this);
            if (in[1] < 2 || in[2] < 2) {
                throw new IllegalArgumentException("pool: input " + Arrays.toString(in) + " is smaller than 2×2");
            }
            return new long[] {in[0], in[1] / 2, in[2] / 2};
        }
    }

    /** Nearest-neighbour 2×2 upsampling (the decoder's inverse of a pool). */
    record Upsample() implements Layer {
        @Override
        public Kind kind() {
            return Kind.UPSAMPLE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.upsample(this);
        }

        @Override
        public long[] outputShape(long[] in) {
            requireImage(in, this);
            return new long[] {in[0], in[1] * 2, in[2] * 2};
        }
    }

    /**
     * Dropout during training only.
     *
     * @param rate the fraction of activations dropped, in [0, 1)
     */
    record Dropout(double rate) implements Layer {
        public Dropout {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("dropout rate must be in [0,1), got " + rate);
            }
        }

        @Override
        public Kind kind() {
            return Kind.DROPOUT;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.dropout(this);
        }

        @Override
        public long[] outputShape(long[] in) {
            return in.clone();
        }
    }

    /**
     * A fully connected layer on the flattened input.
     *
     * @param units      outputs, at least 1
     * @param activation applied to the output
     */
    record Dense(int units, Activation activation) implements Layer {
        public Dense {
            if (units < 1) {
                throw new IllegalArgumentException("dense: units must be >= 1, got " + units);
            }
        }

        @Override
        public Kind kind() {
            return Kind.DENSE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.dense(this);
        }

        @Override
        public long[] outputShape(long[] in) {
            return new long[] {units};
        }

        /** Weights {@code [in, units]} on the input flattened in NCHW order, and a bias. */
        @Override
        public List<Parameter> parameters(long[] in) {
            long inUnits = Arrays.stream(in).reduce(1, Math::multiplyExact);
            return List.of(new Parameter(ParameterKey.Role.WEIGHTS, new long[] {inUnits, units}, inUnits, units),
                    new Parameter(ParameterKey.Role.BIAS, new long[] {units}, 0, 0));
        }
    }

    /** Global average pooling: the mean of each channel, giving {@code [N, C]}. */
    record GlobalAveragePool() implements Layer {
        @Override
        public Kind kind() {
            return Kind.GLOBAL_AVERAGE_POOL;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.globalAveragePool(this);
        }

        @Override
        public long[] outputShape(long[] in) {
            requireImage(in, this);
            return new long[] {in[0]};
        }
    }
}
