package org.multimagnet.nn;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.ImageShape;

/** Datasets for the nn tests: synthetic ones, and the real MNIST sample read with a tiny IDX reader. */
final class TestData {
    static final Path MNIST_DIR = Path.of("../shared/datasets/mnist-10k");
    /** The repository's own copy of the 10,000 digits (sample-data/mnist). */
    static final Path SAMPLE_DIR = Path.of("sample-data/mnist");
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private TestData() {
    }

    /** Random-looking but learnable images: class k has a bright square at a class-dependent position. */
    static Dataset synthetic(ImageShape shape, int n, int classes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] px = new float[n * shape.size()];
        int[] labels = new int[n];
        int hw = shape.height() * shape.width();
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            int r0 = (labels[i] * 3) % (shape.height() - 4);
            int c0 = (labels[i] * 5) % (shape.width() - 4);
            for (int c = 0; c < shape.channels(); c++) {
                for (int p = 0; p < hw; p++) {
                    int r = p / shape.width();
                    int col = p % shape.width();
                    boolean in = r >= r0 && r < r0 + 4 && col >= c0 && col < c0 + 4;
                    px[i * shape.size() + c * hw + p] = (float) (in ? 0.8 + 0.2 * rnd.nextDouble() : 0.1 * rnd.nextDouble());
                }
            }
        }
        return new Dataset("synthetic", "test", shape, px, labels, DIGITS.subList(0, classes), -1);
    }

    static int[] range(int from, int to) {
        return IntStream.range(from, to).toArray();
    }

    static boolean mnistAvailable() {
        return Files.exists(MNIST_DIR.resolve("mnist-10k-images-idx3-ubyte.gz"));
    }

    /** The 10,000-digit MNIST sample, read directly (test-only; the product reads it through data.DatasetSources). */
    static Dataset mnist() throws IOException {
        return mnist(MNIST_DIR);
    }

    /** The 10,000-digit MNIST files in {@code dir}. */
    static Dataset mnist(Path dir) throws IOException {
        float[] px;
        int[] labels;
        try (DataInputStream in = open(dir.resolve("mnist-10k-images-idx3-ubyte.gz"))) {
            in.readInt();
            int n = in.readInt();
            int h = in.readInt();
            int w = in.readInt();
            byte[] b = in.readNBytes(n * h * w);
            px = new float[b.length];
            for (int i = 0; i < b.length; i++) {
                px[i] = (b[i] & 0xff) / 255f;
            }
        }
        try (DataInputStream in = open(dir.resolve("mnist-10k-labels-idx1-ubyte.gz"))) {
            in.readInt();
            int n = in.readInt();
            byte[] b = in.readNBytes(n);
            labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = b[i];
            }
        }
        return new Dataset("sample:mnist", "idx", ImageShape.MNIST, px, labels, DIGITS, -1);
    }

    private static DataInputStream open(Path p) throws IOException {
        InputStream in = new GZIPInputStream(Files.newInputStream(p));
        return new DataInputStream(in);
    }
}
