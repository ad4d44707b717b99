package org.multimagnet.attack;

import java.util.List;

/**
 * One batch attacked: the images as the perturbation left them, the final images after the template enforced
 * the bounds, and a result per image.
 *
 * @param raw         {@code N·C·H·W} values as the attack's perturbation produced them
 * @param adversarial the final images: {@code raw} clipped to [0,1] and, for fixed-ε attacks, to the ε-ball
 * @param results     one per image, in input order, indices 0..N−1
 */
public record BatchResult(float[] raw, float[] adversarial, List<ImageResult> results) {

    public BatchResult {
        results = List.copyOf(results);
    }
}
