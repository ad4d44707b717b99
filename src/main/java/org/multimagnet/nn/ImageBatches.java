package org.multimagnet.nn;

import java.util.SplittableRandom;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.ImageShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Copies images and labels of a {@link Dataset} into ND4J batches, with the training-time transformations. */
public final class ImageBatches {
    private ImageBatches() {
    }

    /**
     * @param data    the dataset
     * @param indices image indices into {@code data}
     * @param from    first position in {@code indices} (inclusive)
     * @param to      last position (exclusive)
     * @return the pixels of those images as a float32 {@code [to-from, C, H, W]} array (a copy)
     */
    public static float[] pixels(Dataset data, int[] indices, int from, int to) {
        int n = data.shape().size();
        float[] out = new float[(to - from) * n];
        for (int k = from; k < to; k++) {
            System.arraycopy(data.pixels(), indices[k] * n, out, (k - from) * n, n);
        }
        return out;
    }

    /** @return {@link #pixels} as a {@code [to-from, C, H, W]} array */
    public static INDArray images(Dataset data, int[] indices, int from, int to) {
        return Nd4j.create(pixels(data, indices, from, to), data.shape().batch(to - from), 'c');
    }

    /** @return one-hot labels {@code [to-from, K]} of those images */
    public static INDArray oneHot(Dataset data, int[] indices, int from, int to) {
        float[] y = new float[(to - from) * data.classCount()];
        for (int k = from; k < to; k++) {
            y[(k - from) * data.classCount() + data.labels()[indices[k]]] = 1f;
        }
        return Nd4j.create(y, new long[] {to - from, data.classCount()}, 'c');
    }

    /**
     * The denoising input of paper §2.2 / MagNet: x + v·N(0,1), clipped to [0,1], in place.
     *
     * @param x     pixels in [0,1]
     * @param v     noise level, >= 0
     * @param noise the seeded generator
     */
    public static void addClippedNoise(float[] x, double v, SplittableRandom noise) {
        if (v == 0) {
            return;
        }
        for (int i = 0; i < x.length; i++) {
            double y = x[i] + v * noise.nextGaussian();
            x[i] = (float) Math.min(1, Math.max(0, y));
        }
    }

    /**
     * Augments each image in place: a random shift of up to {@code maxShift} pixels in each direction (vacated
     * pixels become 0) and, if {@code flips}, a horizontal flip with probability ½.
     */
    public static void augment(float[] x, ImageShape shape, int maxShift, boolean flips, SplittableRandom rnd) {
        int c = shape.channels();
        int h = shape.height();
        int w = shape.width();
        int size = shape.size();
        float[] tmp = new float[size];
        for (int img = 0; img < x.length / size; img++) {
            int dy = maxShift == 0 ? 0 : rnd.nextInt(-maxShift, maxShift + 1);
            int dx = maxShift == 0 ? 0 : rnd.nextInt(-maxShift, maxShift + 1);
            boolean flip = flips && rnd.nextBoolean();
            if (dx == 0 && dy == 0 && !flip) {
                continue;
            }
            int base = img * size;
            java.util.Arrays.fill(tmp, 0f);
            for (int ch = 0; ch < c; ch++) {
                for (int r = 0; r < h; r++) {
                    int sr = r - dy;
                    if (sr < 0 || sr >= h) {
                        continue;
                    }
                    for (int col = 0; col < w; col++) {
                        int sc = (flip ? w - 1 - col : col) - dx;
                        if (sc >= 0 && sc < w) {
                            tmp[ch * h * w + r * w + col] = x[base + ch * h * w + sr * w + sc];
                        }
                    }
                }
            }
            System.arraycopy(tmp, 0, x, base, size);
        }
    }

    /** @return a float32 array {@code [n, C, H, W]} over {@code pixels} */
    static INDArray toArray(float[] pixels, ImageShape shape) {
        return Nd4j.create(pixels, shape.batch(pixels.length / shape.size()), 'c').castTo(DataType.FLOAT);
    }
}
