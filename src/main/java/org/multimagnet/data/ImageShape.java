package org.multimagnet.data;

/**
 * The shape of one image in NCHW order without the batch axis: channels × height × width.
 *
 * @param channels 1 (grey) or 3 (RGB)
 * @param height   rows, at least 1
 * @param width    columns, at least 1
 */
public record ImageShape(int channels, int height, int width) {
    /** MNIST and Fashion-MNIST: 1 × 28 × 28. */
    public static final ImageShape MNIST = new ImageShape(1, 28, 28);
    /** CIFAR-10: 3 × 32 × 32. */
    public static final ImageShape CIFAR10 = new ImageShape(3, 32, 32);

    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape must be positive, got " + channels + "x" + height + "x" + width);
        }
    }

    /** @return pixels per image, channels × height × width */
    public int size() {
        return channels * height * width;
    }

    /** @return the shape of a batch of {@code n} images, {@code [n, C, H, W]} */
    public long[] batch(long n) {
        return new long[] {n, channels, height, width};
    }

    @Override
    public String toString() {
        return height + "×" + width + "×" + channels;
    }
}
