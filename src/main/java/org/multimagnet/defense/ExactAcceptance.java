package org.multimagnet.defense;

import java.util.ArrayList;
import java.util.List;

/**
 * The probability that a randomly drawn ensemble accepts an image, computed exactly instead of sampled (paper
 * §4.2.1: R is n members of S drawn uniformly without replacement; §4.1.3: the vote).
 *
 * <p>Under MTA each member votes with its own threshold, so its vote does not depend on the other members drawn; with
 * a members of S voting legitimate, the number of legitimate votes in R is hypergeometric and
 * <pre>P(accept | n) = Σ_{k ≥ (n+1)/2} C(a, k)·C(m − a, n − k) / C(m, n).</pre>
 * Under minTA every member of R compares its mark with the smallest threshold in R, so the votes depend on which
 * member holds that minimum. Ordering S by threshold (ties by position), the ensembles whose minimum is member j
 * are j with n − 1 members ranked above j; of those, the b_j whose marks are ≤ τ_j vote legitimate, so
 * <pre>P(accept | n) = Σ_j Σ_{k + [mark_j ≤ τ_j] ≥ (n+1)/2} C(b_j, k)·C(r_j − b_j, n − 1 − k) / C(m, n),</pre>
 * r_j being the number of members ranked above j. Both take O(m²); {@link #ensembles} enumerates R for checks
 * and for the per-ensemble scores.
 */
public final class ExactAcceptance {
    private ExactAcceptance() {
    }

    /**
     * P(accept) for one image over the ensembles of size n.
     *
     * @param approach   MTA or minTA
     * @param marks      the image's mark under every member of S
     * @param thresholds every member's calibrated τ_i, same order
     * @param n          the ensemble size, odd, 1 ≤ n ≤ m
     * @return the fraction of the C(m, n) ensembles that accept the image
     */
    public static double probability(ThresholdApproach approach, double[] marks, double[] thresholds, int n) {
        int m = marks.length;
        if (thresholds.length != m) {
            throw new IllegalArgumentException(m + " marks but " + thresholds.length + " thresholds");
        }
        Ensemble.checkSize(n, m);
        return approach == ThresholdApproach.MTA ? mta(marks, thresholds, n) : minTa(marks, thresholds, n);
    }

    /**
     * P(accept) when n is itself drawn uniformly from {@code sizes} (as deployment and the protocol draw it).
     */
    public static double probability(ThresholdApproach approach, double[] marks, double[] thresholds,
                                     List<Integer> sizes) {
        double sum = 0;
        for (int n : sizes) {
            sum += probability(approach, marks, thresholds, n);
        }
        return sum / sizes.size();
    }

    private static double mta(double[] marks, double[] thresholds, int n) {
        int m = marks.length;
        int a = 0;
        for (int i = 0; i < m; i++) {
            a += Vote.memberVote(marks[i], thresholds[i]) == Verdict.LEGITIMATE ? 1 : 0;
        }
        double ways = 0;
        for (int k = (n + 1) / 2; k <= n; k++) {
            ways += choose(a, k) * choose(m - a, n - k);
        }
        return ways / choose(m, n);
    }

    private static double minTa(double[] marks, double[] thresholds, int n) {
        int m = marks.length;
        Integer[] rank = new Integer[m];
        for (int i = 0; i < m; i++) {
            rank[i] = i;
        }
        // ascending τ, ties by position: "the" minimum of an ensemble is then its first member in this order
        java.util.Arrays.sort(rank, (x, y) -> thresholds[x] != thresholds[y]
                ? Double.compare(thresholds[x], thresholds[y]) : Integer.compare(x, y));
        int majority = (n + 1) / 2;
        double ways = 0;
        for (int pos = 0; pos < m; pos++) {
            int j = rank[pos];
            double tau = thresholds[j];
            int above = m - pos - 1;
            if (above < n - 1) {
                break;
            }
            int legitimateAbove = 0;
            for (int q = pos + 1; q < m; q++) {
                legitimateAbove += Vote.memberVote(marks[rank[q]], tau) == Verdict.LEGITIMATE ? 1 : 0;
            }
            int own = Vote.memberVote(marks[j], tau) == Verdict.LEGITIMATE ? 1 : 0;
            for (int k = Math.max(0, majority - own); k <= n - 1; k++) {
                ways += choose(legitimateAbove, k) * choose(above - legitimateAbove, n - 1 - k);
            }
        }
        return ways / choose(m, n);
    }

    /** @return C(a, b), 0 outside 0 ≤ b ≤ a (exact in a double up to far beyond any repository size) */
    public static double choose(int a, int b) {
        if (b < 0 || a < 0 || b > a) {
            return 0;
        }
        double c = 1;
        for (int i = 1; i <= Math.min(b, a - b); i++) {
            c = c * (a - Math.min(b, a - b) + i) / i;
        }
        return Math.rint(c);
    }

    /**
     * Every ensemble of size n from a repository of m, in lexicographic order of members.
     *
     * @throws IllegalArgumentException for a size {@link Ensemble#checkSize} refuses, or more than
     *                                  {@value #MAX_ENUMERATED} ensembles
     */
    public static List<Ensemble> ensembles(int m, int n) {
        Ensemble.checkSize(n, m);
        if (choose(m, n) > MAX_ENUMERATED) {
            throw new IllegalArgumentException("C(" + m + ", " + n + ") = " + (long) choose(m, n)
                    + " ensembles, more than the " + MAX_ENUMERATED + " enumerated");
        }
        List<Ensemble> out = new ArrayList<>();
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = i;
        }
        while (true) {
            out.add(new Ensemble(c, m));
            int i = n - 1;
            while (i >= 0 && c[i] == m - n + i) {
                i--;
            }
            if (i < 0) {
                return out;
            }
            c[i]++;
            for (int k = i + 1; k < n; k++) {
                c[k] = c[k - 1] + 1;
            }
        }
    }

    /** The most ensembles {@link #ensembles} lists (C(20, 10) = 184,756 fits). */
    public static final int MAX_ENUMERATED = 200_000;
}
