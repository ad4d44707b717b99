package org.multimagnet.nn;

/**
 * One layer of an architecture, after a {@link ModelSpec} has been expanded by {@link Architecture}. Every layer
 * works on NCHW activations; {@link Dense} flattens what comes in.
 */
public sealed interface Layer {

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
    }

    /**
     * A 2×2 pooling with stride 2 (odd sizes are floored, as Keras does).
     *
     * @param max max pooling, or average pooling
     */
    record Pool(boolean max) implements Layer {
    }

    /** Nearest-neighbour 2×2 upsampling (the decoder's inverse of a pool). */
    record Upsample() implements Layer {
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
    }

    /** Global average pooling: the mean of each channel, giving {@code [N, C]}. */
    record GlobalAveragePool() implements Layer {
    }
}
