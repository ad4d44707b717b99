package org.multimagnet.defense;

import java.math.BigInteger;

/**
 * Which of the possible ensembles accept one image, from its mark under every member of S: per odd size n, how
 * many of the C(m, n) ensembles accept it and the probability ({@link ExactAcceptance}), and for a small S each
 * ensemble's verdict as a bit mask.
 *
 * <p><b>The mask's order.</b> An ensemble R is the integer b = Σ_{i ∈ R} 2^i, i being the member's position in S
 * (ascending id). Bit b of the mask is set when R has an odd size and accepts the image; the empty set and the even
 * sets (never drawn: n is odd, §4.2.1) are 0. The mask is written as a hexadecimal number of 2^m / 4 digits, most
 * significant first ({@code new BigInteger(hex, 16).testBit(b)} reads it back).
 *
 * @param sizes        the odd n from 1 to m
 * @param accepting    for each size, how many ensembles accept the image (counted one by one when the mask is)
 * @param ensembles    for each size, C(m, n)
 * @param probability  for each size, the closed form of {@link ExactAcceptance} (equal to accepting / ensembles)
 * @param mask         the mask in hexadecimal, or null when m &gt; {@value #MAX_MASKED}
 */
public record EnsembleAcceptance(int[] sizes, long[] accepting, long[] ensembles, double[] probability, String mask) {

    /** The largest S whose ensembles are enumerated (2^16 subsets; the mask is then 16,384 hex digits). */
    public static final int MAX_MASKED = 16;

    /**
     * @param approach   MTA or minTA
     * @param marks      the image's mark under every member of S
     * @param thresholds every member's calibrated τ_i, same order
     */
    public static EnsembleAcceptance of(ThresholdApproach approach, double[] marks, double[] thresholds) {
        int m = marks.length;
        int count = (m + 1) / 2;
        int[] sizes = new int[count];
        long[] accepting = new long[count];
        long[] ensembles = new long[count];
        double[] probability = new double[count];
        for (int q = 0; q < count; q++) {
            sizes[q] = 2 * q + 1;
            ensembles[q] = (long) ExactAcceptance.choose(m, sizes[q]);
            probability[q] = ExactAcceptance.probability(approach, marks, thresholds, sizes[q]);
            accepting[q] = Math.round(probability[q] * ensembles[q]);
        }
        String mask = null;
        if (m <= MAX_MASKED) {
            BigInteger bits = BigInteger.ZERO;
            long[] counted = new long[count];
            for (int b = 1; b < 1 << m; b++) {
                int n = Integer.bitCount(b);
                if (n % 2 == 0) {
                    continue;
                }
                double[] own = new double[n];
                double[] mk = new double[n];
                for (int i = 0, j = 0; i < m; i++) {
                    if ((b & 1 << i) != 0) {
                        own[j] = thresholds[i];
                        mk[j++] = marks[i];
                    }
                }
                if (Vote.count(mk, approach.apply(own)).verdict() == Verdict.LEGITIMATE) {
                    bits = bits.setBit(b);
                    counted[(n - 1) / 2]++;
                }
            }
            accepting = counted;
            String hex = bits.toString(16);
            int digits = Math.max(1, (1 << m) / 4);
            mask = "0".repeat(Math.max(0, digits - hex.length())) + hex;
        }
        return new EnsembleAcceptance(sizes, accepting, ensembles, probability, mask);
    }

    /** @return the probability that an ensemble of size n accepts the image */
    public double probability(int n) {
        if (n < 1 || n % 2 == 0 || n > 2 * sizes.length - 1) {
            throw new IllegalArgumentException("odd n from 1 to " + (2 * sizes.length - 1) + " expected, got " + n);
        }
        return probability[(n - 1) / 2];
    }
}
