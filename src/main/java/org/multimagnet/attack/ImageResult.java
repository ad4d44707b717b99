package org.multimagnet.attack;

/**
 * What an attack did to one image. Every image is attacked; {@link AttackLabels} says which label it was moved away
 * from: {@code originalPrediction} by default, else {@code label}.
 *
 * @param index                 position of the image in the attacked set (0-based)
 * @param label                 the true label y
 * @param originalPrediction    F's prediction on the clean image
 * @param adversarialPrediction F's prediction on the final image, from a fresh forward pass
 * @param alreadyMisclassified  F misclassified the clean image ({@code originalPrediction ≠ label}); for
 *                              information: the image was attacked like every other
 * @param success               {@code adversarialPrediction} differs from the label the attack moved away from
 * @param l2                    ||x' − x||₂ over all pixels
 * @param linf                  ||x' − x||∞
 * @param iterations            gradient steps the attack spent on the image
 * @param unchanged             the final image equals the clean one bit for bit (the attack failed to move it);
 *                              null when read from a manifest that does not record it
 */
public record ImageResult(int index, int label, int originalPrediction, int adversarialPrediction,
                          boolean alreadyMisclassified, boolean success, double l2, double linf, int iterations,
                          Boolean unchanged) {

    /** @return this result with {@code index} replaced (batches number their images from 0) */
    ImageResult withIndex(int newIndex) {
        return new ImageResult(newIndex, label, originalPrediction, adversarialPrediction, alreadyMisclassified,
                success, l2, linf, iterations, unchanged);
    }
}
