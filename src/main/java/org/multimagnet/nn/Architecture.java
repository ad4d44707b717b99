package org.multimagnet.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.multimagnet.data.ImageShape;

/**
 * Expands a {@link ModelSpec} into its layers and computes, without building a network, each layer's output shape
 * and arrays, as each {@link Layer} states them. Every engine follows the same layer list, and the tests check that
 * the reference graph they are compared with agrees.
 */
public final class Architecture {
    private Architecture() {
    }

    /**
     * One layer with its computed shapes and arrays.
     *
     * @param index      0-based position
     * @param layer      the layer
     * @param inShape    the input shape without the batch axis
     * @param outShape   the output shape without the batch axis: {@code [C, H, W]} or {@code [units]}
     * @param parameters trainable parameters (weights, biases, batch-norm γ and β; not the running statistics)
     * @param arrays     every array the layer holds (the running statistics too), in storage order
     */
    public record PlannedLayer(int index, Layer layer, long[] inShape, long[] outShape, long parameters,
                               List<Layer.Parameter> arrays) {
        /** @return the key of this layer's array of {@code role} */
        public ParameterKey key(ParameterKey.Role role) {
            return new ParameterKey(index, role);
        }

        @Override
        public String toString() {
            return index + " " + layer + " -> " + Arrays.toString(outShape) + ", " + parameters + " params";
        }
    }

    /**
     * The layers of a spec. For an autoencoder (as in the authors' code): the encoder tokens as 3×3 same convolutions
     * (hidden activation, optional batch norm, activity L2) and 2×2 pools; then the tokens reversed, with a 2×2
     * upsampling in place of each pool; then a 3×3 output convolution with one filter per channel and a sigmoid
     * (batch norm before the sigmoid when the spec asks for it; conv(sigmoid) → batch norm → sigmoid with
     * {@link ModelSpec#outputBatchNorm()}, as in the CIFAR-10 members).
     *
     * @throws IllegalArgumentException naming the token that cannot be read
     */
    public static List<Layer> layers(ModelSpec spec) {
        return spec.role() == ModelRole.AUTOENCODER ? autoencoderLayers(spec) : classifierLayers(spec);
    }

    private static List<Layer> autoencoderLayers(ModelSpec spec) {
        Layer.Activation act = Layer.Activation.parse(spec.activation());
        List<Layer> encoder = new ArrayList<>();
        for (String token : spec.structure()) {
            encoder.add(autoencoderToken(token, act, spec));
        }
        List<Layer> out = new ArrayList<>(encoder);
        for (int i = encoder.size() - 1; i >= 0; i--) {
            out.add(encoder.get(i) instanceof Layer.Pool ? new Layer.Upsample() : encoder.get(i));
        }
        Layer.Activation normInput = spec.outputBatchNorm() ? Layer.Activation.SIGMOID : Layer.Activation.LINEAR;
        out.add(new Layer.Conv(spec.inputShape().channels(), 3, 1, true, Layer.Activation.SIGMOID,
                spec.batchNorm() || spec.outputBatchNorm(), 0, normInput));
        return List.copyOf(out);
    }

    private static Layer autoencoderToken(String token, Layer.Activation act, ModelSpec spec) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (t.equals("max") || t.equals("avg")) {
            return new Layer.Pool(t.equals("max"));
        }
        try {
            return new Layer.Conv(Integer.parseInt(t), 3, 1, true, act, spec.batchNorm(), spec.activityL2());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("autoencoder structure token '" + token
                    + "': expected a filter count, 'max' or 'avg'");
        }
    }

    private static List<Layer> classifierLayers(ModelSpec spec) {
        List<Layer> out = new ArrayList<>();
        for (String token : spec.structure()) {
            out.add(classifierToken(token));
        }
        return List.copyOf(out);
    }

    private static Layer classifierToken(String token) {
        String[] p = token.trim().toLowerCase(Locale.ROOT).split(":");
        try {
            switch (p[0]) {
                case "conv": {
                    boolean bn = p[p.length - 1].equals("bn");
                    int n = bn ? p.length - 1 : p.length;
                    if ((n == 5 || n == 6) && (p[3].equals("same") || p[3].equals("valid"))) {
                        return new Layer.Conv(Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                                n == 6 ? Integer.parseInt(p[5]) : 1, p[3].equals("same"),
                                Layer.Activation.parse(p[4]), bn, 0);
                    }
                    break;
                }
                case "pool":
                    if (p.length == 2 && (p[1].equals("max") || p[1].equals("avg"))) {
                        return new Layer.Pool(p[1].equals("max"));
                    }
                    break;
                case "dropout":
                    if (p.length == 2) {
                        return new Layer.Dropout(Double.parseDouble(p[1]));
                    }
                    break;
                case "dense":
                    if (p.length == 3) {
                        return new Layer.Dense(Integer.parseInt(p[1]), Layer.Activation.parse(p[2]));
                    }
                    break;
                case "gap":
                    if (p.length == 1) {
                        return new Layer.GlobalAveragePool();
                    }
                    break;
                default:
                    break;
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("classifier layer token '" + token + "': " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("classifier layer token '" + token + "': expected "
                + "conv:FILTERS:KERNEL:same|valid:ACTIVATION[:STRIDE][:bn], pool:max|avg, dropout:RATE, "
                + "dense:UNITS:ACTIVATION or gap");
    }

    /**
     * Every layer's output shape and trainable parameters, computed from the layer arithmetic alone.
     *
     * @throws IllegalArgumentException when a layer's input is too small (e.g. a valid convolution larger than
     *                                  its input) or a convolution follows a dense layer
     */
    public static List<PlannedLayer> plan(ModelSpec spec) {
        ImageShape in = spec.inputShape();
        long[] shape = {in.channels(), in.height(), in.width()};
        List<Layer> layers = layers(spec);
        List<PlannedLayer> out = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            long[] next;
            List<Layer.Parameter> arrays;
            try {
                next = layer.outputShape(shape);
                arrays = layer.parameters(shape);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + i + " (" + layer + "): " + e.getMessage(), e);
            }
            long params = arrays.stream().filter(a -> a.role().trainable()).mapToLong(Layer.Parameter::size).sum();
            out.add(new PlannedLayer(i, layer, shape, next, params, arrays));
            shape = next;
        }
        return List.copyOf(out);
    }

    /** @return the trainable parameter count of the spec's network */
    public static long parameterCount(ModelSpec spec) {
        return plan(spec).stream().mapToLong(PlannedLayer::parameters).sum();
    }

    /**
     * @return the parameters as Keras counts them in a saved model: the trainable ones plus the batch norms' running
     *         mean and variance (the count the authors' {@code .h5} files report)
     */
    public static long storedParameterCount(ModelSpec spec) {
        return plan(spec).stream().flatMap(p -> p.arrays().stream()).mapToLong(Layer.Parameter::size).sum();
    }

    /** @return the output shape without the batch axis: the image shape of an autoencoder, {@code [K]} of a classifier */
    public static long[] outputShape(ModelSpec spec) {
        List<PlannedLayer> plan = plan(spec);
        return plan.get(plan.size() - 1).outShape();
    }
}
