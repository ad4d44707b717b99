package org.multimagnet.attack;

import java.util.List;
import org.multimagnet.data.ImageShape;

/**
 * A whole set attacked: D_atk with its per-image results and summary.
 *
 * @param attack      the attack's name
 * @param producer    the attack's class name, for manifests
 * @param params      its parameter record
 * @param awayFrom    which label every image was moved away from (success is decided against it)
 * @param shape       the shape of one image
 * @param adversarial {@code N·C·H·W} pixels in [0,1], NCHW, one image after another
 * @param labels      the true labels of the source images
 * @param results     one per image, indices 0..N−1
 * @param summary     the statistics over {@code results}
 */
public record AttackOutcome(String attack, String producer, Record params, AttackLabels awayFrom, ImageShape shape, float[] adversarial, int[] labels,
                            List<ImageResult> results, AttackSummary summary) {

    public AttackOutcome {
        java.util.Objects.requireNonNull(awayFrom, "awayFrom");
        results = List.copyOf(results);
        if (adversarial.length != (long) labels.length * shape.size() || results.size() != labels.length) {
            throw new IllegalArgumentException(attack + ": " + adversarial.length + " pixel values, " + labels.length
                    + " labels and " + results.size() + " results do not describe the same images of " + shape);
        }
    }

    /** @return the number of images */
    public int count() {
        return labels.length;
    }
}
