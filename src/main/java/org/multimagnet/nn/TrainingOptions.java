package org.multimagnet.nn;

/**
 * Overrides for a training run.
 *
 * @param epochs epochs instead of the spec's, or 0 to keep the spec's
 * @param limit  train on at most this many of the training images (the first ones of Tr), or 0 for all
 * @param seed   the seed of initialisation, shuffling, noise, augmentation and dropout
 * @param batchSize images per batch instead of the spec's, or 0 to keep the spec's
 * @param learningRate the optimiser's learning rate instead of the spec's, or 0 to keep the spec's
 */
public record TrainingOptions(int epochs, int limit, long seed, int batchSize, double learningRate) {
    public TrainingOptions {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be >= 0 (0 = the spec's), got " + learningRate);
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("batch size must be >= 0 (0 = the spec's), got " + batchSize);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0 (0 = the spec's), got " + epochs);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 (0 = all), got " + limit);
        }
    }

    /** The spec's epochs, every training image. */
    public static TrainingOptions defaults(long seed) {
        return new TrainingOptions(0, 0, seed, 0, 0);
    }

    /** The spec's batch size. */
    public TrainingOptions(int epochs, int limit, long seed) {
        this(epochs, limit, seed, 0, 0);
    }

    /** @return {@code spec} with these overrides applied (epochs, batch size, learning rate) */
    public ModelSpec apply(ModelSpec spec) {
        return new ModelSpec(spec.role(), spec.id(), spec.name(), spec.inputShape(), spec.structure(),
                spec.activation(), spec.noise(), spec.activityL2(), spec.batchNorm(), epochsFor(spec),
                batchSize > 0 ? batchSize : spec.batchSize(), spec.optimiser(),
                learningRate > 0 ? learningRate : spec.learningRate(), spec.shiftPixels(), spec.flips(),
                spec.outputBatchNorm());
    }

    /** @return the epochs to run for {@code spec} */
    public int epochsFor(ModelSpec spec) {
        return epochs > 0 ? epochs : spec.epochs();
    }
}
