package org.multimagnet.nn;

/**
 * Overrides for a training run.
 *
 * @param epochs epochs instead of the spec's, or 0 to keep the spec's
 * @param limit  train on at most this many of the training images (the first ones of Tr), or 0 for all
 * @param seed   the seed of initialisation, shuffling, noise, augmentation and dropout
 */
public record TrainingOptions(int epochs, int limit, long seed) {
    public TrainingOptions {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0 (0 = the spec's), got " + epochs);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 (0 = all), got " + limit);
        }
    }

    /** The spec's epochs, every training image. */
    public static TrainingOptions defaults(long seed) {
        return new TrainingOptions(0, 0, seed);
    }

    /** @return the epochs to run for {@code spec} */
    public int epochsFor(ModelSpec spec) {
        return epochs > 0 ? epochs : spec.epochs();
    }
}
