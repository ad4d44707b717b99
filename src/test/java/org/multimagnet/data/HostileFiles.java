package org.multimagnet.data;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded generator of hostile dataset and image files: mutated and truncated IDX headers, label
 * counts that do not match, absurd sizes, gzip bombs, CIFAR-10 records with label 99, PNG headers claiming
 * 60000×60000, random bytes named like images, empty files. The same seed always gives the same files.
 */
public final class HostileFiles {
    /** How a case is read. */
    public enum Reader {
        /** {@link DatasetSources#load} on {@link Case#path()} (what {@code data info} does). */
        DATASET,
        /** {@link ImageFiles#read} on {@link Case#path()} with the MNIST shape (what deployment does). */
        IMAGE
    }

    /**
     * One generated input.
     *
     * @param kind     what was done, for failure messages
     * @param path     the file or folder to give the reader
     * @param named    a path (or folder prefix) the refusal message must contain
     * @param reader   which reader to use
     * @param mustFail false when the damage may leave a valid file (random flips in compressed image data)
     */
    public record Case(String kind, Path path, Path named, Reader reader, boolean mustFail) {
    }

    private static final String[] DATASET_KINDS = {"idx-header-mutation", "idx-truncated", "idx-gz-truncated",
        "idx-huge-count", "idx-huge-count-gz", "idx-gzip-bomb", "idx-label-mismatch", "idx-labels-garbage",
        "idx-float-nan", "idx-trailing", "cifar-label-99", "cifar-truncated", "cifar-gz-corrupt", "random-bytes",
        "empty", "folder-png-bomb", "folder-random-png", "folder-truncated-png"};
    private static final String[] IMAGE_KINDS = {"png-bomb", "random-png", "random-jpg", "random-gif",
        "random-bmp", "truncated-png", "mutated-png", "truncated-jpg", "empty-png", "idx-truncated-image",
        "bmp-huge-header", "jpeg-huge-header"};

    private final Path root;
    private final SplittableRandom rng;
    private final byte[] idxImages;
    private final byte[] idxLabels;
    private final byte[] png;
    private final byte[] jpg;
    private final byte[] bmp;
    private int counter;

    private HostileFiles(Path root, long seed) {
        this.root = root;
        this.rng = new SplittableRandom(seed);
        int n = 20;
        this.idxImages = DataFiles.idx(0x08, new int[] {n, 8, 8}, DataFiles.randomBytes(n * 64, seed));
        this.idxLabels = DataFiles.idx(0x08, new int[] {n}, DataFiles.randomLabels(n, 10, seed + 1));
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        SplittableRandom r = new SplittableRandom(seed + 2);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        this.png = DataFiles.encode(img, "png");
        this.jpg = DataFiles.encode(img, "jpeg");
        this.bmp = DataFiles.encode(img, "bmp");
    }

    /**
     * Generates {@code count} cases under {@code root}, cycling through every kind.
     *
     * @param onlyDatasets true for cases read with {@link Reader#DATASET} only (for {@code data info})
     */
    public static List<Case> generate(Path root, long seed, int count, boolean onlyDatasets) {
        HostileFiles h = new HostileFiles(root, seed);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int k = onlyDatasets ? i % DATASET_KINDS.length : i % (DATASET_KINDS.length + IMAGE_KINDS.length);
            cases.add(k < DATASET_KINDS.length ? h.dataset(DATASET_KINDS[k])
                    : h.image(IMAGE_KINDS[k - DATASET_KINDS.length]));
        }
        return cases;
    }

    private Path caseDir() {
        return root.resolve("case-" + (counter++));
    }

    private Case dataset(String kind) {
        Path dir = caseDir();
        Path images = dir.resolve("train-images-idx3-ubyte");
        Path labels = dir.resolve("train-labels-idx1-ubyte");
        byte[] im = idxImages.clone();
        byte[] lab = idxLabels.clone();
        boolean gzImages = false;
        switch (kind) {
            case "idx-header-mutation" -> {
                int flips = 1 + rng.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    im[rng.nextInt(16)] ^= (byte) (1 + rng.nextInt(255));
                }
            }
            case "idx-truncated" -> im = Arrays.copyOf(im, rng.nextInt(im.length));
            case "idx-gz-truncated" -> {
                byte[] gz = DataFiles.gzip(im);
                im = Arrays.copyOf(gz, rng.nextInt(gz.length));
                images = dir.resolve("train-images-idx3-ubyte.gz");
                gzImages = true;
            }
            case "idx-huge-count", "idx-huge-count-gz" -> {
                int[] claims = {Integer.MAX_VALUE, 1 << 30, 1 << 24, 100_000 + rng.nextInt(1_000_000)};
                ByteBuffer.wrap(im).putInt(4, claims[rng.nextInt(claims.length)]);
                if (kind.endsWith("gz")) {
                    im = DataFiles.gzip(im);
                    images = dir.resolve("train-images-idx3-ubyte.gz");
                    gzImages = true;
                }
            }
            case "idx-gzip-bomb" -> {
                im = DataFiles.gzipBomb(im, (8L + rng.nextInt(24)) << 20);
                images = dir.resolve("train-images-idx3-ubyte.gz");
                gzImages = true;
            }
            case "idx-label-mismatch" -> lab = DataFiles.idx(0x08, new int[] {19},
                    Arrays.copyOfRange(lab, 8, 8 + 19));
            case "idx-labels-garbage" -> lab = DataFiles.randomBytes(rng.nextInt(40), rng.nextLong());
            case "idx-float-nan" -> {
                ByteBuffer b = ByteBuffer.allocate(20 * 64 * 4);
                for (int i = 0; i < 20 * 64; i++) {
                    b.putFloat((float) rng.nextDouble());
                }
                b.putFloat(4 * rng.nextInt(20 * 64), rng.nextBoolean() ? Float.NaN : Float.POSITIVE_INFINITY);
                im = DataFiles.idx(0x0D, new int[] {20, 8, 8}, b.array());
            }
            case "idx-trailing" -> im = Arrays.copyOf(im, im.length + 1 + rng.nextInt(100));
            case "cifar-label-99", "cifar-truncated", "cifar-gz-corrupt" -> {
                return cifar(kind, dir);
            }
            case "random-bytes", "empty" -> {
                String[] names = {"train-images-idx3-ubyte", "data_batch_1", "test_batch.bin.gz",
                    "t10k-images-idx3-ubyte.gz"};
                Path f = dir.resolve(names[rng.nextInt(names.length)]);
                DataFiles.write(f, kind.equals("empty") ? new byte[0]
                        : DataFiles.randomBytes(1 + rng.nextInt(5000), rng.nextLong()));
                return new Case(kind + " " + f.getFileName(), f, f, Reader.DATASET, true);
            }
            default -> {
                return folder(kind, dir);
            }
        }
        DataFiles.write(images, im);
        DataFiles.write(labels, lab);
        String what = kind + (gzImages ? " (gz)" : "");
        return new Case(what, dir, dir, Reader.DATASET, true);
    }

    private Case cifar(String kind, Path dir) {
        int n = 3 + rng.nextInt(5);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(10);
        }
        if (kind.equals("cifar-label-99")) {
            labels[rng.nextInt(n)] = 99;
        }
        byte[] b = DataFiles.cifar(labels, rng.nextLong());
        Path f = dir.resolve("data_batch_1");
        if (kind.equals("cifar-truncated")) {
            b = Arrays.copyOf(b, 1 + rng.nextInt(b.length - 1));
            if (b.length % CifarReader.RECORD == 0) {
                b = Arrays.copyOf(b, b.length - 1);
            }
        } else if (kind.equals("cifar-gz-corrupt")) {
            b = DataFiles.gzip(b);
            b = Arrays.copyOf(b, b.length / 2 + rng.nextInt(b.length / 2 - 1));
            f = dir.resolve("data_batch_1.gz");
        }
        DataFiles.write(f, b);
        DataFiles.write(dir.resolve("test_batch"), DataFiles.cifar(new int[] {1, 2}, 3));
        return new Case(kind, dir, f, Reader.DATASET, true);
    }

    private Case folder(String kind, Path dir) {
        Path f = dir.resolve("seven").resolve("x.png");
        switch (kind) {
            case "folder-png-bomb" -> DataFiles.write(f, DataFiles.pngHeader(60000, 60000));
            case "folder-random-png" -> DataFiles.write(f, DataFiles.randomBytes(1 + rng.nextInt(3000),
                    rng.nextLong()));
            default -> DataFiles.write(f, Arrays.copyOf(png, 30 + rng.nextInt(png.length / 2)));
        }
        return new Case(kind, dir, f, Reader.DATASET, true);
    }

    private Case image(String kind) {
        Path dir = caseDir();
        byte[] b;
        String name = "x.png";
        boolean mustFail = true;
        switch (kind) {
            case "png-bomb" -> {
                int[] sides = {60000, 8193, 100_000, 40_000};
                b = DataFiles.pngHeader(sides[rng.nextInt(4)], sides[rng.nextInt(4)]);
            }
            case "random-png", "random-jpg", "random-gif", "random-bmp" -> {
                name = "x." + kind.substring(7);
                b = DataFiles.randomBytes(1 + rng.nextInt(4000), rng.nextLong());
            }
            case "truncated-png" -> b = Arrays.copyOf(png, rng.nextInt(png.length / 2));
            case "mutated-png" -> {
                b = png.clone();
                for (int f = 0; f < 1 + rng.nextInt(8); f++) {
                    b[rng.nextInt(b.length)] ^= (byte) (1 + rng.nextInt(255));
                }
                mustFail = false;
            }
            case "truncated-jpg" -> {
                name = "x.jpg";
                b = Arrays.copyOf(jpg, rng.nextInt(jpg.length));
                mustFail = false;
            }
            case "empty-png" -> b = new byte[0];
            case "idx-truncated-image" -> {
                name = "images.idx";
                b = Arrays.copyOf(idxImages, 16 + rng.nextInt(idxImages.length - 17));
            }
            case "jpeg-huge-header" -> {
                // the baseline start-of-frame segment: FF C0, length, precision, height, width
                name = "x.jpg";
                b = jpg.clone();
                int sof = 2;
                while (!((b[sof] & 0xff) == 0xff && (b[sof + 1] & 0xff) == 0xc0)) {
                    sof++;
                }
                int[] sides = {60000, 65535, 9000};
                ByteBuffer.wrap(b).putShort(sof + 5, (short) sides[rng.nextInt(3)])
                        .putShort(sof + 7, (short) sides[rng.nextInt(3)]);
            }
            default -> {
                name = "x.bmp";
                b = bmp.clone();
                ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(18, 50_000 + rng.nextInt(50_000))
                        .putInt(22, 50_000 + rng.nextInt(50_000));
            }
        }
        Path f = DataFiles.write(dir.resolve(name), b);
        return new Case(kind, f, f, Reader.IMAGE, mustFail);
    }
}
