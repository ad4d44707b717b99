package org.multimagnet.nn;

import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
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
        return Nd4j.create(oneHotValues(data, indices, from, to), new long[] {to - from, data.classCount()}, 'c');
    }

    /** @return {@link #oneHot}'s values, row after row */
    static float[] oneHotValues(Dataset data, int[] indices, int from, int to) {
        float[] y = new float[(to - from) * data.classCount()];
        for (int k = from; k < to; k++) {
            y[(k - from) * data.classCount() + data.labels()[indices[k]]] = 1f;
        }
        return y;
    }

    /**
     * The denoising input of paper §2.2 / MagNet: x + v·N(0,1), clipped to [0,1], in place. Each image draws from its
     * own generator, split from {@code noise} in image order, so that the images can be filled in parallel and the
     * result still depends on the seed alone (not on the number of cores). Drawing 200,000 Gaussians was a sixth of
     * a training step of MNIST member 1 on one core.
     *
     * @param x        pixels in [0,1], whole images one after the other
     * @param perImage values per image
     * @param v        noise level, >= 0
     * @param noise    the seeded generator
     */
    public static void addClippedNoise(float[] x, int perImage, double v, SplittableRandom noise) {
        if (v == 0) {
            return;
        }
        int images = x.length / perImage;
        SplittableRandom[] streams = new SplittableRandom[images];
        for (int k = 0; k < images; k++) {
            streams[k] = noise.split();
        }
        LaneThreads.parallelFor(images, (slot, from, to) -> {
            for (int k = from; k < to; k++) {
                SplittableRandom r = streams[k];
                for (int i = k * perImage; i < (k + 1) * perImage; i++) {
                    double y = x[i] + v * r.nextGaussian();
                    x[i] = (float) Math.min(1, Math.max(0, y));
                }
            }
        });
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

    /**
     * Copies {@code count} values of {@code a} in c order, from value {@code offset} on, into {@code dst}: straight
     * from native memory when {@code a} is a dense float array (a slice of whole images is), else through a copy.
     */
    public static void read(INDArray a, long offset, float[] dst, int count) {
        INDArray dense = a.dataType() == DataType.FLOAT && isDense(a) ? a : a.castTo(DataType.FLOAT).dup('c');
        // the address pointer already starts at the array's own offset (a view's first value)
        new FloatPointer(dense.data().addressPointer()).position(offset).get(dst, 0, count);
    }

    /**
     * Copies {@code src[0, count)} into dense float {@code a} from value {@code offset} on, without a new native
     * array: a fresh one costs page faults on these machines (a 0.8 MB training batch, ~3 ms).
     */
    static void write(float[] src, int count, INDArray a, long offset) {
        if (a.dataType() != DataType.FLOAT || !isDense(a) || offset + count > a.length()) {
            throw new IllegalArgumentException("not a dense float array of at least " + (offset + count)
                    + " values: " + a.shapeInfoToString());
        }
        new FloatPointer(a.data().addressPointer()).position(offset).put(src, 0, count);
    }

    /**
     * @return whether {@code a}'s values lie one after the other in c order (ND4J's
     *         {@code Shape.hasDefaultStridesForShape} says no for a slice of whole images, which is)
     */
    static boolean isDense(INDArray a) {
        long expected = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            if (a.size(d) > 1 && a.stride(d) != expected) {
                return false;
            }
            expected *= a.size(d);
        }
        return true;
    }
}
