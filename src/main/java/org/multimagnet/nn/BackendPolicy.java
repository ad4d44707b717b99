package org.multimagnet.nn;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which {@link Backend} computes a network. The plain-Java lanes exist for the small MNIST autoencoders, where
 * oneDNN's kernels (built for many channels) were 4–6× slower to train and 2–3× slower to run; everything else, and
 * batches too small to fill the lanes, runs on oneDNN.
 *
 * <p>Set with {@code -Dmultimagnet.backend=auto|ops|lanes} (default {@code auto}); the policy and the backend that
 * trained a model are written into its manifest ({@link #describe}).
 */
public enum BackendPolicy {
    /** The lanes for models they can run and batches of at least {@link LaneNetwork#MIN_BATCH}; oneDNN otherwise. */
    AUTO,
    /** oneDNN ops for every model and batch. */
    OPS,
    /** The lanes for every batch of a model they can run (oneDNN for the others, and for input gradients). */
    LANES;

    /** The system property that sets the policy. */
    public static final String PROPERTY = "multimagnet.backend";

    /**
     * @return the policy named by {@link #PROPERTY}, or {@link #AUTO}
     * @throws IllegalArgumentException when the property names no policy
     */
    public static BackendPolicy configured() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + v + ": expected one of "
                    + Arrays.stream(values()).map(BackendPolicy::label).toList(), e);
        }
    }

    /** @return the policy's name as the property takes it */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param lanesCanRun whether the model is one the lanes can run ({@link LaneNetwork#supports})
     * @param batch       images in the call
     * @return whether this call goes to the lanes
     */
    boolean useLanes(boolean lanesCanRun, long batch) {
        return lanesCanRun && switch (this) {
            case AUTO -> batch >= LaneNetwork.MIN_BATCH;
            case OPS -> false;
            case LANES -> true;
        };
    }

    /**
     * @return what trains {@code spec} in batches of {@code batchSize} under this policy, as a manifest records it,
     *         e.g. {@code lanes (policy auto)}
     */
    public String describe(ModelSpec spec, int batchSize) {
        boolean lanes = useLanes(LaneNetwork.supports(spec), batchSize);
        return (lanes ? LANES : OPS).label() + " (policy " + label() + ")";
    }
}
