package org.multimagnet.attack;

import java.util.List;

/**
 * Statistics of one attack run (paper Table 6 reports {@code accuracyAfter}). Every image is attacked, those F
 * misclassified before included; success is decided against the label the attack moved away from
 * ({@link AttackLabels}), the accuracies against the true labels.
 *
 * @param count                images attacked (N)
 * @param alreadyMisclassified images F misclassified before the attack (attacked like the others)
 * @param unchanged            images whose final version equals the source bit for bit (the attack could not move
 *                             them: DeepFool or CW failing, a gradient of exactly 0); null when unknown, as in
 *                             manifests that do not record it
 * @param successes            images on which F's prediction after the attack differs from the label the attack
 *                             moved away from
 * @param accuracyBefore       F's accuracy on the clean images, in [0,1]
 * @param accuracyAfter        F's accuracy on the attacked images, in [0,1]
 * @param successRate          successes / count; 0 when count is 0
 * @param meanL2               mean L2 distortion over all images
 * @param meanL2Successful     mean L2 distortion over the successful images; 0 when none
 * @param maxLinf              largest L∞ distortion over all images
 * @param meanIterations       mean gradient steps over all images
 * @param seconds              wall-clock time of the run
 * @param imagesPerSecond      count / seconds
 */
public record AttackSummary(int count, int alreadyMisclassified, Integer unchanged, int successes,
                            double accuracyBefore, double accuracyAfter, double successRate, double meanL2,
                            double meanL2Successful, double maxLinf, double meanIterations, double seconds,
                            double imagesPerSecond) {

    /**
     * Computes the summary of per-image results.
     *
     * @param results one per image
     * @param seconds the run's wall-clock time
     * @return the summary; {@code unchanged} is null when some result does not record it
     */
    public static AttackSummary of(List<ImageResult> results, double seconds) {
        int n = results.size();
        int already = 0;
        int unchanged = 0;
        boolean unchangedKnown = true;
        int successes = 0;
        int correctAfter = 0;
        double sumL2 = 0;
        double sumL2Success = 0;
        double maxLinf = 0;
        long iterations = 0;
        for (ImageResult r : results) {
            already += r.alreadyMisclassified() ? 1 : 0;
            if (r.unchanged() == null) {
                unchangedKnown = false;
            } else if (r.unchanged()) {
                unchanged++;
            }
            sumL2 += r.l2();
            iterations += r.iterations();
            if (r.success()) {
                successes++;
                sumL2Success += r.l2();
            }
            if (r.adversarialPrediction() == r.label()) {
                correctAfter++;
            }
            maxLinf = Math.max(maxLinf, r.linf());
        }
        return new AttackSummary(n, already, unchangedKnown ? unchanged : null, successes,
                ratio(n - already, n), ratio(correctAfter, n), ratio(successes, n),
                n == 0 ? 0 : sumL2 / n, successes == 0 ? 0 : sumL2Success / successes, maxLinf,
                n == 0 ? 0 : (double) iterations / n, seconds, seconds > 0 ? n / seconds : 0);
    }

    private static double ratio(int a, int b) {
        return b == 0 ? 0 : (double) a / b;
    }
}
