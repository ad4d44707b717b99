package org.multimagnet.nn;

import java.util.Arrays;

/**
 * Names one array of a network: the layer it belongs to (its position in {@link Architecture#plan}) and what it
 * holds. Every engine looks its arrays up by these keys; the only place a key becomes text is {@link #fileName()},
 * the entry name in a model file ({@code L<i>_W}, {@code L<i>_b}, {@code L<i>_gamma}, {@code L<i>_beta},
 * {@code L<i>_mean}, {@code L<i>_var}), which must stay as it is so that saved models keep loading.
 *
 * @param layer the layer's 0-based position
 * @param role  what the array holds
 */
public record ParameterKey(int layer, Role role) {

    /** What a layer's array holds, and whether the optimiser trains it. */
    public enum Role {
        /** Convolution weights {@code [kH, kW, inC, outC]} or dense weights {@code [in, out]}. */
        WEIGHTS("W", true),
        /** One bias per output channel or unit. */
        BIAS("b", true),
        /** Batch norm's scale γ. */
        GAMMA("gamma", true),
        /** Batch norm's shift β. */
        BETA("beta", true),
        /** Batch norm's running mean, set after training from the training batches. */
        RUNNING_MEAN("mean", false),
        /** Batch norm's running (biased) variance, set after training as the mean is. */
        RUNNING_VARIANCE("var", false);

        private final String suffix;
        private final boolean trainable;

        Role(String suffix, boolean trainable) {
            this.suffix = suffix;
            this.trainable = trainable;
        }

        /** @return whether the optimiser updates arrays of this role (the running statistics are computed instead) */
        public boolean trainable() {
            return trainable;
        }
    }

    public ParameterKey {
        if (layer < 0 || role == null) {
            throw new IllegalArgumentException("parameter key: layer " + layer + ", role " + role);
        }
    }

    /** @return the key of layer {@code layer}'s weights */
    public static ParameterKey weights(int layer) {
        return new ParameterKey(layer, Role.WEIGHTS);
    }

    /** @return the key of layer {@code layer}'s bias */
    public static ParameterKey bias(int layer) {
        return new ParameterKey(layer, Role.BIAS);
    }

    /** @return whether the optimiser updates this array */
    public boolean trainable() {
        return role.trainable();
    }

    /** @return the array's name in a model file, e.g. {@code L3_gamma} */
    public String fileName() {
        return "L" + layer + "_" + role.suffix;
    }

    /**
     * Reads a name written by {@link #fileName()}.
     *
     * @throws IllegalArgumentException when {@code name} is not one
     */
    public static ParameterKey parse(String name) {
        int sep = name.indexOf('_');
        if (name.startsWith("L") && sep > 1) {
            try {
                int layer = Integer.parseInt(name.substring(1, sep));
                String suffix = name.substring(sep + 1);
                for (Role r : Role.values()) {
                    if (r.suffix.equals(suffix) && layer >= 0 && name.equals(new ParameterKey(layer, r).fileName())) {
                        return new ParameterKey(layer, r);
                    }
                }
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a parameter name (expected L<layer>_<"
                + String.join("|", Arrays.stream(Role.values()).map(r -> r.suffix).toList()) + ">)");
    }

    @Override
    public String toString() {
        return fileName();
    }
}
