package org.multimagnet.attack;

import java.util.List;

/**
 * Statistics of one attack run (paper Table 6 reports {@code accuracyAfter}).
 *
 * @param count                images attacked (N)
 * @param alreadyMisclassified images F misclassified before the attack (left unchanged)
 * @param successes            images F classified correctly and misclassifies after the attack
 * @param accuracyBefore       F's accuracy on the clean images, in [0,1]
 * @param accuracyAfter        F's accuracy on the attacked images, in [0,1]
 * @param successRate          successes / (count − alreadyMisclassified); 0 when that denominator is 0
 * @param meanL2               mean L2 distortion over the images F classified correctly (the ones attacked)
 * @param meanL2Successful     mean L2 distortion over the successful images; 0 when none
 * @param maxLinf              largest L∞ distortion over all images
 * @param meanIterations       mean gradient steps over the images attacked
 * @param seconds              wall-clock time of the run
 * @param imagesPerSecond      count / seconds
 */
public record AttackSummary(int count, int alreadyMisclassified, int successes, double accuracyBefore,
                            double accuracyAfter, double successRate, double meanL2, double meanL2Successful,
                            double maxLinf, double meanIterations, double seconds, double imagesPerSecond) {

    /**
     * Computes the summary of per-image results.
     *
     * @param results one per image
     * @param seconds the run's wall-clock time
     * @return the summary
     */
    public static AttackSummary of(List<ImageResult> results, double seconds) {
        int n = results.size();
        int already = 0;
        int successes = 0;
        int correctAfter = 0;
        double sumL2 = 0;
        double sumL2Success = 0;
        double maxLinf = 0;
        long iterations = 0;
        for (ImageResult r : results) {
            if (r.alreadyMisclassified()) {
                already++;
            } else {
                sumL2 += r.l2();
                iterations += r.iterations();
            }
            if (r.success()) {
                successes++;
                sumL2Success += r.l2();
            }
            if (r.adversarialPrediction() == r.label()) {
                correctAfter++;
            }
            maxLinf = Math.max(maxLinf, r.linf());
        }
        int attacked = n - already;
        return new AttackSummary(n, already, successes,
                ratio(n - already, n), ratio(correctAfter, n), ratio(successes, attacked),
                attacked == 0 ? 0 : sumL2 / attacked, successes == 0 ? 0 : sumL2Success / successes, maxLinf,
                attacked == 0 ? 0 : (double) iterations / attacked, seconds, seconds > 0 ? n / seconds : 0);
    }

    private static double ratio(int a, int b) {
        return b == 0 ? 0 : (double) a / b;
    }
}
