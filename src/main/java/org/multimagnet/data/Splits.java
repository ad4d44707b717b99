package org.multimagnet.data;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.multimagnet.common.UserException;

/**
 * The paper's split of a dataset into Tr / V_leg / Te and the seeded draw of D_leg (paper §5.1; docs/method.md).
 */
public final class Splits {
    /** Size of V_leg taken from the head of a training file (paper §5.1; the authors' code). */
    public static final int V_LEG_FROM_TRAIN_FILE = 5000;
    /** Below this many images the train/test-file rule is not used. */
    public static final int MIN_FOR_FILE_SPLIT = 20_000;
    /**
     * Seed of the fixed shuffle applied before a 70/10/20 split when the file is sorted by class; fixed so that
     * the split of a given file is always the same.
     */
    public static final long SORTED_SHUFFLE_SEED = 2019L;
    /** Fewest images that give a non-empty Tr, V_leg and Te under the 70/10/20 rule. */
    public static final int MIN_IMAGES = 10;

    private Splits() {
    }

    /**
     * The paper's split. With a training file and a test file and at least 20,000 images:
     * V_leg = the first 5,000 images of the training file, Tr = the rest of it, Te = the test file. Otherwise
     * 70% Tr, 10% V_leg, 20% Te in file order (Tr = ⌊0.7 n⌋ first, then V_leg = ⌊0.1 n⌋, then Te = the rest),
     * after a fixed seeded shuffle ({@link #SORTED_SHUFFLE_SEED}) when the labels are sorted by class, so that
     * every part holds every class.
     *
     * @return the split, with a {@code rule} saying which case applied
     * @throws UserException when the dataset has fewer than {@value #MIN_IMAGES} images
     */
    public static Split paper(Dataset d) {
        int n = d.size();
        int trainCount = d.trainCount();
        if (trainCount > V_LEG_FROM_TRAIN_FILE && trainCount < n && n >= MIN_FOR_FILE_SPLIT) {
            return new Split("train file: first " + V_LEG_FROM_TRAIN_FILE + " images = V_leg, the other "
                    + (trainCount - V_LEG_FROM_TRAIN_FILE) + " = Tr; test file (" + (n - trainCount) + ") = Te",
                    range(V_LEG_FROM_TRAIN_FILE, trainCount), range(0, V_LEG_FROM_TRAIN_FILE), range(trainCount, n));
        }
        if (n < MIN_IMAGES) {
            throw new UserException(d.name() + ": " + n + " images are too few to split into Tr, V_leg and Te "
                    + "(at least " + MIN_IMAGES + " needed)");
        }
        int[] order = range(0, n);
        String why = n < MIN_FOR_FILE_SPLIT ? "fewer than " + MIN_FOR_FILE_SPLIT + " images"
                : "no separate training and test file";
        String how = "file order";
        if (sortedByClass(d.labels())) {
            shuffle(order, new SplittableRandom(SORTED_SHUFFLE_SEED));
            how = "file order after a fixed shuffle (seed " + SORTED_SHUFFLE_SEED + ") because the file is sorted by "
                    + "class";
        }
        int nTr = (int) (n * 7L / 10);
        int nV = n / 10;
        return new Split("70/10/20 in " + how + " (" + why + "): Tr " + nTr + ", V_leg " + nV + ", Te "
                + (n - nTr - nV),
                Arrays.copyOfRange(order, 0, nTr), Arrays.copyOfRange(order, nTr, nTr + nV),
                Arrays.copyOfRange(order, nTr + nV, n));
    }

    /**
     * Draws D_leg: {@code count} distinct images of Te, chosen uniformly with a seeded generator, returned in
     * ascending order. The same split, count and seed always give the same indices.
     *
     * @return indices into the dataset; fewer than {@code count} (all of Te) when Te is smaller
     */
    public static int[] drawDLeg(Split split, int count, long seed) {
        return drawDLeg(split, count, seed, message -> { });
    }

    /**
     * Same as {@link #drawDLeg(Split, int, long)}, telling {@code notes} when the count had to be capped.
     *
     * @param count how many to draw, at least 1
     */
    public static int[] drawDLeg(Split split, int count, long seed, Consumer<String> notes) {
        if (count < 1) {
            throw new IllegalArgumentException("D_leg size must be at least 1, got " + count);
        }
        int[] te = split.test().clone();
        int k = count;
        if (count > te.length) {
            k = te.length;
            notes.accept("D_leg: " + count + " images asked for but Te holds only " + te.length + "; using all "
                    + te.length);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        // partial Fisher–Yates: the first k positions become a uniform draw without replacement
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(te.length - i);
            int t = te[i];
            te[i] = te[j];
            te[j] = t;
        }
        int[] out = Arrays.copyOf(te, k);
        Arrays.sort(out);
        return out;
    }

    /**
     * @return whether the labels come in one block per class (each class's images contiguous), with at least two
     * classes — the layout in which a 70/10/20 cut in file order would leave classes out of Te
     */
    static boolean sortedByClass(int[] labels) {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < labels.length; i++) {
            if (i > 0 && labels[i] == labels[i - 1]) {
                continue;
            }
            if (!seen.add(labels[i])) {
                return false;
            }
        }
        return seen.size() > 1;
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
