package org.multimagnet.attack;

/**
 * What an attack did to one image.
 *
 * @param index                 position of the image in the attacked set (0-based)
 * @param label                 the true label y
 * @param originalPrediction    F's prediction on the clean image
 * @param adversarialPrediction F's prediction on the final image, from a fresh forward pass
 * @param alreadyMisclassified  F misclassified the clean image; it was left unchanged and not attacked
 * @param success               F classified the clean image correctly and misclassifies the final image
 * @param l2                    ||x' − x||₂ over all pixels
 * @param linf                  ||x' − x||∞
 * @param iterations            gradient steps the attack spent on the image (0 when not attacked)
 */
public record ImageResult(int index, int label, int originalPrediction, int adversarialPrediction,
                          boolean alreadyMisclassified, boolean success, double l2, double linf, int iterations) {

    /** @return this result with {@code index} replaced (batches number their images from 0) */
    ImageResult withIndex(int newIndex) {
        return new ImageResult(newIndex, label, originalPrediction, adversarialPrediction, alreadyMisclassified,
                success, l2, linf, iterations);
    }
}
