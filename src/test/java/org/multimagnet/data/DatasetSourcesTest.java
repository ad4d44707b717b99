package org.multimagnet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.UserException;

class DatasetSourcesTest {
    @TempDir
    Path dir;

    @Test
    void sampleMnistIsTheTenThousandDigits() {
        Dataset d = DatasetSources.load("sample:mnist");
        assertEquals("sample:mnist", d.name());
        assertEquals(10_000, d.size());
        assertEquals(ImageShape.MNIST, d.shape());
        assertEquals(10, d.classCount());
        Split s = Splits.paper(d);
        assertEquals(2000, s.test().length);
        float max = 0;
        for (float v : d.pixels()) {
            assertTrue(v >= 0 && v <= 1);
            max = Math.max(max, v);
        }
        assertEquals(1f, max);
    }

    @Test
    void sampleCifar10IsTheSliceWithABalancedTestHalf() {
        Dataset d = DatasetSources.load("sample:cifar10");
        assertEquals(2000, d.size());
        assertEquals(1000, d.trainCount());
        assertEquals(ImageShape.CIFAR10, d.shape());
        assertEquals(CifarReader.CIFAR10_NAMES, d.classNames());
        int[] testCounts = new int[10];
        for (int i = 1000; i < 2000; i++) {
            testCounts[d.labels()[i]]++;
        }
        for (int c : testCounts) {
            assertEquals(100, c);
        }
    }

    @Test
    void describeListsTheFourBuiltInNames() {
        assertEquals(4, DatasetSources.describe().size());
        assertTrue(DatasetSources.describe().get(0).available());
    }

    @Test
    void fullCifar10WhenMissingNamesTheVariable() {
        if (DatasetSources.describe().stream().anyMatch(b -> b.name().equals("cifar10") && b.available())) {
            assertEquals(60_000, DatasetSources.load("cifar10").size());
        } else {
            UserException e = assertThrows(UserException.class, () -> DatasetSources.load("cifar10"));
            assertTrue(e.getMessage().contains(DatasetSources.CIFAR10_VARIABLE), e.getMessage());
        }
    }

    @Test
    void fashionMnistWhenMissingSaysHowToInstallIt() {
        if (Files.isDirectory(DatasetSources.FASHION_MNIST_DIR)) {
            assertEquals(70_000, DatasetSources.load("fashion-mnist").size());
        } else {
            UserException e = assertThrows(UserException.class, () -> DatasetSources.load("fashion-mnist"));
            assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        }
    }

    @Test
    void unknownNamesAndMissingPathsAreRefusedClearly() {
        assertTrue(assertThrows(UserException.class, () -> DatasetSources.load("sample:imagenet")).getMessage()
                .contains("sample:mnist"));
        Path missing = dir.resolve("nothing-here");
        assertTrue(assertThrows(UserException.class, () -> DatasetSources.load(missing.toString())).getMessage()
                .contains("nothing-here"));
    }

    @Test
    void anImageFileGivenAloneFindsItsLabelFile() {
        Path im = DataFiles.write(dir.resolve("set-images-idx3-ubyte"), DataFiles.idx(0x08, new int[] {2, 1, 1},
                new byte[2]));
        DataFiles.write(dir.resolve("set-labels-idx1-ubyte"), DataFiles.idx(0x08, new int[] {2}, new byte[2]));
        assertEquals(2, DatasetSources.load(im.toString()).size());
        Path lone = DataFiles.write(dir.resolve("lone.idx"), DataFiles.idx(0x08, new int[] {2, 1, 1}, new byte[2]));
        assertThrows(UserException.class, () -> DatasetSources.load(lone.toString()));
    }
}
