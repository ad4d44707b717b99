package org.multimagnet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.multimagnet.common.UserException;

class SplitsTest {
    /** A dataset of 1×1×1 images with the given labels. */
    private static Dataset dataset(int[] labels, int trainCount) {
        return new Dataset("test", "test", new ImageShape(1, 1, 1), new float[labels.length], labels,
                ClassNames.numbered(10), trainCount);
    }

    private static int[] cyclicLabels(int n) {
        return IntStream.range(0, n).map(i -> i % 10).toArray();
    }

    private static int[] range(int from, int to) {
        return IntStream.range(from, to).toArray();
    }

    @Test
    void trainAndTestFilesWithEnoughImagesGiveThePapersFileSplit() {
        // MNIST's layout: 60,000 training images then 10,000 test images
        Split s = Splits.paper(dataset(cyclicLabels(70_000), 60_000));
        assertArrayEquals(range(0, 5000), s.validation());
        assertArrayEquals(range(5000, 60_000), s.train());
        assertArrayEquals(range(60_000, 70_000), s.test());
        assertTrue(s.rule().startsWith("train file"), s.rule());
    }

    @Test
    void fewerThan20000ImagesUse701020InFileOrderEvenWithATestFile() {
        Split s = Splits.paper(dataset(cyclicLabels(10_000), 5000));
        assertArrayEquals(range(0, 7000), s.train());
        assertArrayEquals(range(7000, 8000), s.validation());
        assertArrayEquals(range(8000, 10_000), s.test());
        assertTrue(s.rule().startsWith("70/10/20 in file order (fewer than 20000"), s.rule());
    }

    @Test
    void aLargeSinglePoolUses701020() {
        Split s = Splits.paper(dataset(cyclicLabels(25_001), -1));
        assertEquals(17_500, s.train().length);
        assertEquals(2500, s.validation().length);
        assertEquals(5001, s.test().length);
        assertTrue(s.rule().contains("no separate training and test file"), s.rule());
    }

    @Test
    void aFileSortedByClassIsShuffledWithAFixedSeedSoEveryPartHoldsEveryClass() {
        int[] sorted = IntStream.range(0, 1000).map(i -> i / 100).toArray();
        Split s = Splits.paper(dataset(sorted, -1));
        assertTrue(s.rule().contains("sorted by class"), s.rule());
        for (int[] part : List.of(s.train(), s.validation(), s.test())) {
            Set<Integer> classes = new HashSet<>();
            for (int i : part) {
                classes.add(sorted[i]);
            }
            assertEquals(10, classes.size());
        }
        // a partition of all indices, the same every time
        int[] all = IntStream.concat(IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.validation())),
                Arrays.stream(s.test())).sorted().toArray();
        assertArrayEquals(range(0, 1000), all);
        assertArrayEquals(s.test(), Splits.paper(dataset(sorted, -1)).test());
    }

    @Test
    void sortedDetectionNeedsOneBlockPerClass() {
        assertTrue(Splits.sortedByClass(new int[] {0, 0, 1, 1, 2}));
        assertTrue(Splits.sortedByClass(new int[] {2, 2, 0, 1, 1}));
        assertFalse(Splits.sortedByClass(new int[] {0, 1, 0, 1}));
        assertFalse(Splits.sortedByClass(new int[] {3, 3, 3}));
    }

    @Test
    void tooFewImagesAreRefused() {
        assertThrows(UserException.class, () -> Splits.paper(dataset(cyclicLabels(9), -1)));
    }

    @Test
    void dLegDrawIsDeterministicDistinctAndFromTe() {
        Split s = Splits.paper(dataset(cyclicLabels(10_000), -1));
        int[] a = Splits.drawDLeg(s, 2000, 42);
        assertArrayEquals(a, Splits.drawDLeg(s, 2000, 42));
        assertEquals(2000, Arrays.stream(a).distinct().count());
        Set<Integer> te = new HashSet<>();
        Arrays.stream(s.test()).forEach(te::add);
        assertTrue(Arrays.stream(a).allMatch(te::contains));
        int[] b = Splits.drawDLeg(s, 500, 43);
        int[] c = Splits.drawDLeg(s, 500, 42);
        assertNotEquals(Arrays.toString(b), Arrays.toString(c));
        assertTrue(Arrays.stream(c).allMatch(te::contains));
    }

    @Test
    void dLegDrawIsRoughlyUniformOverTe() {
        // over many seeds each Te index is drawn with probability count/|Te| = 0.25
        Split s = Splits.paper(dataset(cyclicLabels(100), -1));
        int[] hits = new int[100];
        for (long seed = 0; seed < 4000; seed++) {
            for (int i : Splits.drawDLeg(s, 5, seed)) {
                hits[i]++;
            }
        }
        for (int i : s.test()) {
            assertEquals(1000, hits[i], 120, "index " + i);
        }
    }

    @Test
    void dLegLargerThanTeIsCappedWithAMessage() {
        Split s = Splits.paper(dataset(cyclicLabels(100), -1));
        List<String> notes = new ArrayList<>();
        int[] d = Splits.drawDLeg(s, 2000, 1, notes::add);
        assertArrayEquals(s.test(), d);
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).contains("Te holds only 20"), notes.get(0));
    }
}
