package org.multimagnet.experiment;

import org.multimagnet.defense.ConfusionMatrix;

/**
 * What one chunk of the protocol gave.
 *
 * @param chunk                 chunk number, 0-based
 * @param memberIds             the ids of the ensemble drawn for it
 * @param confusion             its confusion matrix (paper Eq. 8)
 * @param accuracyNoDefense     F's accuracy on the chunk as given (Table 5, scenario i)
 * @param accuracyDetector      F's accuracy behind the detector alone (scenarios ii, iii)
 * @param accuracyWithReformer  F's accuracy behind detector and reformer (scenarios iv, v)
 * @param accuracyDetectorAccepted     F's accuracy over the images the detector let through (the authors' scoring
 *                                     of scenarios ii, iii); NaN when it let none through
 * @param accuracyWithReformerAccepted F's accuracy on the reformed images the detector let through (iv, v); NaN
 *                                     when none
 */
public record ChunkResult(int chunk, int[] memberIds, ConfusionMatrix confusion, double accuracyNoDefense,
                          double accuracyDetector, double accuracyWithReformer, double accuracyDetectorAccepted,
                          double accuracyWithReformerAccepted) {
}
