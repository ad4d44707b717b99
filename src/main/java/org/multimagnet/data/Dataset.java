package org.multimagnet.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Labelled images in memory: float32 pixels in [0,1], NCHW, one image after another.
 *
 * <p>{@code pixels} is shared, not copied: treat it as read-only.
 *
 * @param name       where it came from (a path or a built-in name such as {@code sample:mnist})
 * @param format     the reader that produced it ({@code idx}, {@code cifar10-binary}, {@code image-folder}, ...)
 * @param shape      the shape of one image
 * @param pixels     {@code size() * shape.size()} values in [0,1]
 * @param labels     one class index per image, in [0, classNames.size())
 * @param classNames the name of each class, in label order
 * @param trainCount how many leading images came from a training file (the rest from a test file), or -1 when the
 *                   source is a single pool; the paper's split depends on it ({@link Splits})
 */
public record Dataset(String name, String format, ImageShape shape, float[] pixels, int[] labels,
                      List<String> classNames, int trainCount) {

    public Dataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        classNames = List.copyOf(classNames);
        if ((long) labels.length * shape.size() != pixels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel values for " + labels.length
                    + " images of " + shape + " (expected " + (long) labels.length * shape.size() + ")");
        }
        if (trainCount > labels.length) {
            throw new IllegalArgumentException(name + ": trainCount " + trainCount + " > " + labels.length + " images");
        }
    }

    /** @return the number of images */
    public int size() {
        return labels.length;
    }

    /** @return the number of classes */
    public int classCount() {
        return classNames.size();
    }

    /** @return a copy of image {@code i}'s pixels, CHW */
    public float[] image(int i) {
        int n = shape.size();
        return Arrays.copyOfRange(pixels, i * n, (i + 1) * n);
    }

    /** @return how many images each class has, indexed by label */
    public int[] classCounts() {
        int[] counts = new int[classCount()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * @param indices images to keep, in this order
     * @return a new dataset of those images (pixels copied), a single pool
     */
    public Dataset subset(int[] indices) {
        int n = shape.size();
        float[] p = new float[indices.length * n];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * n, p, k * n, n);
            l[k] = labels[indices[k]];
        }
        return new Dataset(name, format, shape, p, l, classNames, -1);
    }
}
