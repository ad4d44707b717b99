package org.multimagnet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxWriterTest {
    @TempDir
    Path dir;

    @Test
    void floatImagesRoundTripBitForBitGreyAndRgb() {
        SplittableRandom r = new SplittableRandom(7);
        for (ImageShape shape : new ImageShape[] {new ImageShape(1, 5, 4), new ImageShape(3, 2, 3)}) {
            float[] p = new float[3 * shape.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) r.nextDouble();
            }
            p[0] = 0f;
            p[1] = 1f;
            Path f = dir.resolve("images-" + shape.channels() + ".idx");
            IdxWriter.writeFloatImages(f, p, 3, shape);
            IdxReader.Images im = IdxReader.readImages(f);
            assertEquals(shape, im.shape());
            assertEquals(3, im.count());
            assertArrayEquals(p, im.pixels(), 0f);
        }
    }

    @Test
    void writesTheAgreedHeaderLayout() throws IOException {
        Path grey = dir.resolve("g.idx");
        IdxWriter.writeFloatImages(grey, new float[2 * 28 * 28], 2, ImageShape.MNIST);
        ByteBuffer g = ByteBuffer.wrap(Files.readAllBytes(grey));
        assertEquals(0x00000D03, g.getInt());
        assertEquals(2, g.getInt());
        assertEquals(28, g.getInt());
        assertEquals(28, g.getInt());
        assertEquals(16 + 2 * 784 * 4, Files.size(grey));
        Path rgb = dir.resolve("c.idx");
        IdxWriter.writeFloatImages(rgb, new float[ImageShape.CIFAR10.size()], 1, ImageShape.CIFAR10);
        ByteBuffer c = ByteBuffer.wrap(Files.readAllBytes(rgb));
        assertEquals(0x00000D04, c.getInt());
        assertArrayEquals(new int[] {1, 3, 32, 32}, new int[] {c.getInt(), c.getInt(), c.getInt(), c.getInt()});
    }

    @Test
    void labelsRoundTripAndPairWithUnsignedByteImages() {
        int[] labels = {0, 9, 255, 3};
        Path l = dir.resolve("set-labels-idx1-ubyte");
        IdxWriter.writeLabels(l, labels);
        assertArrayEquals(labels, IdxReader.readLabels(l));
        // a uint8 image file written by hand reads back as value/255, beside the written labels
        byte[] px = {0, (byte) 255, 17, (byte) 200};
        Path im = DataFiles.write(dir.resolve("set-images-idx3-ubyte"), DataFiles.idx(0x08, new int[] {4, 1, 1}, px));
        Dataset d = IdxReader.read(im, l, null);
        assertArrayEquals(new float[] {0f, 1f, 17 / 255f, 200 / 255f}, d.pixels(), 0f);
        assertEquals(256, d.classCount());
    }

    @Test
    void rejectsInconsistentArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> IdxWriter.writeFloatImages(dir.resolve("x"), new float[5], 1, ImageShape.MNIST));
        assertThrows(IllegalArgumentException.class, () -> IdxWriter.writeLabels(dir.resolve("y"), new int[] {256}));
    }
}
