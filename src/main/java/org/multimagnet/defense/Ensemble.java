package org.multimagnet.defense;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An ensemble R: n members drawn at random without replacement from the repository S of m autoencoders
 * (paper §4.1.2, §4.2.1). n is odd so that a majority vote never ties; n ≤ m (§4.2.1 allows n = m).
 *
 * @param members positions in S (0-based, ascending, distinct), n of them
 * @param m       |S|
 */
public record Ensemble(int[] members, int m) {

    public Ensemble {
        checkSize(members.length, m);
        members = members.clone();
        Arrays.sort(members);
        for (int i = 0; i < members.length; i++) {
            if (members[i] < 0 || members[i] >= m || (i > 0 && members[i] == members[i - 1])) {
                throw new IllegalArgumentException("ensemble members must be distinct positions in S [0, " + m
                        + "), got " + Arrays.toString(members));
            }
        }
    }

    /**
     * Draws n members uniformly without replacement (a partial Fisher-Yates shuffle).
     *
     * @param m   |S| ≥ 1
     * @param n   ensemble size, odd, 1 ≤ n ≤ m
     * @param rng the seeded generator (advanced by n draws)
     * @return the ensemble
     * @throws IllegalArgumentException for an even n, n &lt; 1 or n &gt; m, with the reason
     */
    public static Ensemble draw(int m, int n, SplittableRandom rng) {
        checkSize(n, m);
        int[] pool = new int[m];
        for (int i = 0; i < m; i++) {
            pool[i] = i;
        }
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(m - i);
            int tmp = pool[i];
            pool[i] = pool[j];
            pool[j] = tmp;
        }
        return new Ensemble(Arrays.copyOf(pool, n), m);
    }

    /**
     * Draws n uniformly from {@code sizes}, then n members (paper §4.2.1: the ensemble size is itself random).
     * With one size no draw is spent on n, so a fixed n replays the same ensembles as {@link #draw(int, int,
     * SplittableRandom)}.
     */
    public static Ensemble draw(int m, java.util.List<Integer> sizes, SplittableRandom rng) {
        int n = sizes.size() == 1 ? sizes.get(0) : sizes.get(rng.nextInt(sizes.size()));
        return draw(m, n, rng);
    }

    /** The ensemble of every member of S (n = m; m must be odd). */
    public static Ensemble all(int m) {
        int[] members = new int[m];
        for (int i = 0; i < m; i++) {
            members[i] = i;
        }
        return new Ensemble(members, m);
    }

    /**
     * Checks an ensemble size against the paper's rules.
     *
     * @throws IllegalArgumentException when n is even, below 1 or above m
     */
    public static void checkSize(int n, int m) {
        if (m < 1) {
            throw new IllegalArgumentException("the repository S is empty: no autoencoder to draw an ensemble from");
        }
        if (n < 1) {
            throw new IllegalArgumentException("ensemble size n must be >= 1, got " + n);
        }
        if (n % 2 == 0) {
            throw new IllegalArgumentException("ensemble size n must be odd so that the majority vote cannot tie "
                    + "(paper §4.1.2), got " + n);
        }
        if (n > m) {
            throw new IllegalArgumentException("ensemble size n = " + n + " is larger than the repository S (m = "
                    + m + " autoencoders)");
        }
    }

    /** @return n */
    public int size() {
        return members.length;
    }

    /** @return position in S of the ensemble's {@code i}-th member */
    public int member(int i) {
        return members[i];
    }

    @Override
    public int[] members() {
        return members.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ensemble e && e.m == m && Arrays.equals(e.members, members);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(members) + m;
    }

    @Override
    public String toString() {
        return "Ensemble" + Arrays.toString(members) + " of " + m;
    }
}
