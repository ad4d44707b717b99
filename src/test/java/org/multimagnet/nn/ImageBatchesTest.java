package org.multimagnet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The denoising noise, and the raw copies between Java arrays and ND4J arrays that the trainer and lanes use. */
class ImageBatchesTest {

    @Test
    void noiseHasTheRequestedSpreadIsClippedAndDependsOnTheSeedAlone() {
        int perImage = 784;
        float[] grey = new float[300 * perImage];
        java.util.Arrays.fill(grey, 0.5f);
        float[] a = grey.clone();
        ImageBatches.addClippedNoise(a, perImage, 0.1, new SplittableRandom(7));
        double sum = 0;
        double sq = 0;
        for (float v : a) {
            assertTrue(v >= 0 && v <= 1);
            sum += v - 0.5;
            sq += (v - 0.5) * (v - 0.5);
        }
        // 0.5 ± 0.1·N(0,1) is clipped at 5 standard deviations only: mean ≈ 0, standard deviation ≈ 0.1
        assertEquals(0, sum / a.length, 1e-3);
        assertEquals(0.1, Math.sqrt(sq / a.length), 1e-3);
        float[] b = grey.clone();
        ImageBatches.addClippedNoise(b, perImage, 0.1, new SplittableRandom(7));
        assertArrayEquals(a, b, "same seed, same noise (whatever thread drew each image)");
        float[] c = grey.clone();
        ImageBatches.addClippedNoise(c, perImage, 0.1, new SplittableRandom(8));
        assertFalse(java.util.Arrays.equals(a, c));
        float[] dark = new float[perImage];
        ImageBatches.addClippedNoise(dark, perImage, 0.3, new SplittableRandom(1));
        long zeros = 0;
        for (float v : dark) {
            zeros += v == 0 ? 1 : 0;
        }
        assertTrue(zeros > perImage / 3 && zeros < 2 * perImage / 3, "about half of 0 + noise clips to 0: " + zeros);
    }

    @Test
    void readAndWriteCopyTheValuesOfASliceOfWholeImages() {
        INDArray all = Nd4j.rand(DataType.FLOAT, 10, 1, 4, 4);
        INDArray slice = all.get(NDArrayIndex.interval(3, 7));
        assertTrue(ImageBatches.isDense(slice));
        float[] got = new float[16 * 4];
        ImageBatches.read(slice, 0, got, got.length);
        assertArrayEquals(slice.dup().reshape(-1).toFloatVector(), got);
        float[] second = new float[16];
        ImageBatches.read(slice, 16, second, 16);
        assertArrayEquals(all.get(NDArrayIndex.point(4)).dup().reshape(-1).toFloatVector(), second);

        float[] values = new float[32];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        ImageBatches.write(values, 32, slice, 16); // images 4 and 5 of all
        assertArrayEquals(java.util.Arrays.copyOf(values, 16), all.get(NDArrayIndex.point(4)).dup().reshape(-1)
                .toFloatVector());
        assertEquals(31f, all.getFloat(5, 0, 3, 3));
        assertEquals(slice.getFloat(0, 0, 0, 0), all.getFloat(3, 0, 0, 0), "image 3 untouched");
    }

    @Test
    void transposedOrCastArraysAreReadThroughACopyAndRefusedForWriting() {
        INDArray m = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'c');
        INDArray t = m.transpose(); // [3, 2], not dense in c order
        assertFalse(ImageBatches.isDense(t));
        float[] got = new float[6];
        ImageBatches.read(t, 0, got, 6);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, got);
        ImageBatches.read(m.castTo(DataType.DOUBLE), 0, got, 6);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, got);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageBatches.write(got, 6, t, 0));
        assertTrue(e.getMessage().contains("not a dense float array"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageBatches.write(got, 6, m, 1), "past the end");
    }
}
