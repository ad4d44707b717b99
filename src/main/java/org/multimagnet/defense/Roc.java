package org.multimagnet.defense;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ROC curve of a detector score (higher = more adversarial) on legitimate (negative) and adversarial (positive)
 * images, its area, and the 95% interval of the area.
 *
 * <p>AUC is the Mann–Whitney statistic: the probability that a random adversarial image scores above a random
 * legitimate one, ties counting one half. Its standard error is Hanley and McNeil's (Radiology 143, 1982):
 * SE² = [A(1 − A) + (n_a − 1)(Q1 − A²) + (n_l − 1)(Q2 − A²)] / (n_a·n_l), Q1 = A / (2 − A), Q2 = 2A² / (1 + A).
 *
 * @param points the curve from (0, 0) to (1, 1): one point per distinct score, as the threshold passes it (left out
 *               of JSON: thousands of points per detector; {@code evaluate --export-roc} writes them)
 * @param auc    the area under it
 * @param low    the lower end of the 95% interval, clamped to [0, 1]
 * @param high   the upper end
 */
public record Roc(@com.fasterxml.jackson.annotation.JsonIgnore List<Point> points, double auc, double low,
                  double high) {

    /**
     * One point of the curve.
     *
     * @param threshold images scoring above it are called adversarial
     * @param fpr       fraction of legitimate images above it
     * @param tpr       fraction of adversarial images above it
     */
    public record Point(double threshold, double fpr, double tpr) {
    }

    /**
     * @param legitimate  scores of the legitimate images (at least one; NaN counts as the highest score)
     * @param adversarial scores of the adversarial images (at least one)
     */
    public static Roc of(double[] legitimate, double[] adversarial) {
        if (legitimate.length == 0 || adversarial.length == 0) {
            throw new IllegalArgumentException("an ROC curve needs both legitimate and adversarial images, got "
                    + legitimate.length + " and " + adversarial.length);
        }
        double[] leg = sorted(legitimate);
        double[] adv = sorted(adversarial);
        // Mann–Whitney: for each adversarial score, the legitimate ones below it, plus half the equal ones
        double wins = 0;
        int below = 0;
        int upTo = 0;
        for (double a : adv) {
            while (below < leg.length && Double.compare(leg[below], a) < 0) {
                below++;
            }
            upTo = Math.max(upTo, below);
            while (upTo < leg.length && Double.compare(leg[upTo], a) == 0) {
                upTo++;
            }
            wins += below + 0.5 * (upTo - below);
        }
        double nl = leg.length;
        double na = adv.length;
        double auc = wins / (nl * na);
        double q1 = auc / (2 - auc);
        double q2 = 2 * auc * auc / (1 + auc);
        double se = Math.sqrt(Math.max(0, (auc * (1 - auc) + (na - 1) * (q1 - auc * auc) + (nl - 1) * (q2 - auc * auc))
                / (na * nl)));
        return new Roc(curve(leg, adv), auc, Math.max(0, auc - 1.96 * se), Math.min(1, auc + 1.96 * se));
    }

    private static List<Point> curve(double[] leg, double[] adv) {
        double[] all = new double[leg.length + adv.length];
        System.arraycopy(leg, 0, all, 0, leg.length);
        System.arraycopy(adv, 0, all, leg.length, adv.length);
        double[] thresholds = Arrays.stream(sorted(all)).distinct().toArray();
        List<Point> out = new ArrayList<>();
        out.add(new Point(Double.POSITIVE_INFINITY, 0, 0));
        for (int k = thresholds.length - 1; k >= 0; k--) {
            double t = thresholds[k];
            // "above" a threshold equal to a score means from that score on: the curve's points are its corners
            out.add(new Point(t, atOrAbove(leg, t) / (double) leg.length, atOrAbove(adv, t) / (double) adv.length));
        }
        return out;
    }

    private static int atOrAbove(double[] sortedScores, double t) {
        int lo = 0;
        int hi = sortedScores.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Double.compare(sortedScores[mid], t) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return sortedScores.length - lo;
    }

    /** Sorted copy; Double.compare puts NaN above +∞, so a NaN mark counts as the most adversarial. */
    private static double[] sorted(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c;
    }

    /**
     * A proportion with its 95% Wilson score interval.
     *
     * @param value the proportion k / n
     * @param low   lower end
     * @param high  upper end
     */
    public record Proportion(double value, double low, double high) {
        /** @return k / n with its interval; NaN for n = 0 */
        public static Proportion of(long k, long n) {
            if (n == 0) {
                return new Proportion(Double.NaN, Double.NaN, Double.NaN);
            }
            double p = (double) k / n;
            double z = 1.96;
            double denom = 1 + z * z / n;
            double centre = (p + z * z / (2.0 * n)) / denom;
            double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denom;
            return new Proportion(p, Math.max(0, centre - half), Math.min(1, centre + half));
        }
    }
}
