package org.multimagnet.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.multimagnet.common.UserException;

/**
 * Reads MNIST-style IDX files (the format of LeCun's MNIST distribution, also used for our adversarial sets):
 * a magic number {@code 00 00 type ndims}, {@code ndims} big-endian int32 dimensions, then the values, big-endian.
 *
 * <p>Images: 3 dimensions N×H×W (one channel) or 4 dimensions N×C×H×W, any IDX element type. Conversion to [0,1]:
 * unsigned bytes (0x08) are divided by 255; signed integers (0x09 int8, 0x0B int16, 0x0C int32) by their largest
 * positive value (127, 32767, 2147483647) and must not be negative; floats (0x0D float32, 0x0E float64) are kept as
 * they are and must already lie in [0,1] (our adversarial sets are written that way). Labels: 1 dimension, unsigned
 * bytes. Files may be gzip-compressed (detected by content, not name).
 *
 * <p>Every size in a header is checked before anything is allocated from it: against the file's size for raw files,
 * and against the memory this JVM can still use for compressed ones, whose bytes are then read only as the stream
 * delivers them (so neither a lying header nor a gzip bomb can exhaust memory).
 */
public final class IdxReader {
    /** Largest image side we accept in an IDX file. */
    static final int MAX_SIDE = 8192;

    static final int UBYTE = 0x08;
    static final int BYTE = 0x09;
    static final int SHORT = 0x0B;
    static final int INT = 0x0C;
    static final int FLOAT = 0x0D;
    static final int DOUBLE = 0x0E;

    private IdxReader() {
    }

    /**
     * Images read from one IDX file.
     *
     * @param pixels {@code count * shape.size()} values in [0,1], NCHW
     * @param count  number of images
     * @param shape  shape of one image
     */
    public record Images(float[] pixels, int count, ImageShape shape) {
    }

    /**
     * Reads an IDX image file.
     *
     * @param file an idx3 (N×H×W) or 4-dimensional (N×C×H×W) file, raw or gzip
     * @return the images, converted to [0,1] as described in the class comment
     * @throws UserException naming the file when it is not a valid IDX image file
     */
    public static Images readImages(Path file) {
        boolean gz = FileBytes.isGzip(file);
        try (InputStream in = FileBytes.open(file)) {
            Header h = Header.read(in, file);
            if (h.dims.length != 3 && h.dims.length != 4) {
                throw UserException.badFile(file, "IDX image files have 3 dimensions (N×H×W) or 4 (N×C×H×W), "
                        + "this one has " + h.dims.length);
            }
            int n = h.dims[0];
            int c = h.dims.length == 4 ? h.dims[1] : 1;
            int height = h.dims[h.dims.length - 2];
            int width = h.dims[h.dims.length - 1];
            if (n < 1) {
                throw UserException.badFile(file, "holds no images (N = 0)");
            }
            if (c != 1 && c != 3) {
                throw UserException.badFile(file, "images have " + c + " channels; expected 1 (grey) or 3 (RGB)");
            }
            if (height > MAX_SIDE || width > MAX_SIDE) {
                throw UserException.badFile(file, "absurd image size " + height + "×" + width + " in the header; "
                        + "at most " + MAX_SIDE + "×" + MAX_SIDE + " is accepted");
            }
            long values = (long) n * c * height * width;
            long payload = values * h.elementSize();
            checkPayloadSize(file, gz, h, payload, values, "the images");
            byte[] data = FileBytes.readExactly(in, payload, file, "the header's " + n + " images of "
                    + c + "×" + height + "×" + width);
            FileBytes.expectEnd(in, file, "the header (" + n + " images)");
            float[] pixels = toUnitFloats(data, h.type, (int) values, file);
            return new Images(pixels, n, new ImageShape(c, height, width));
        } catch (IOException e) {
            throw FileBytes.cannotRead(file, e);
        }
    }

    /**
     * Reads an IDX label file (1 dimension, unsigned bytes).
     *
     * @return one label per entry, 0..255
     * @throws UserException naming the file when it is not a valid IDX label file
     */
    public static int[] readLabels(Path file) {
        boolean gz = FileBytes.isGzip(file);
        try (InputStream in = FileBytes.open(file)) {
            Header h = Header.read(in, file);
            if (h.dims.length != 1) {
                throw UserException.badFile(file, "IDX label files have 1 dimension, this one has " + h.dims.length);
            }
            if (h.type != UBYTE) {
                throw UserException.badFile(file, String.format("labels must be unsigned bytes (type 0x08), "
                        + "the header says type 0x%02X", h.type));
            }
            long n = h.dims[0];
            checkPayloadSize(file, gz, h, n, n, "the labels");
            byte[] data = FileBytes.readExactly(in, n, file, "the header's " + n + " labels");
            FileBytes.expectEnd(in, file, "the header (" + n + " labels)");
            int[] labels = new int[data.length];
            for (int i = 0; i < data.length; i++) {
                labels[i] = data[i] & 0xff;
            }
            return labels;
        } catch (IOException e) {
            throw FileBytes.cannotRead(file, e);
        }
    }

    /**
     * Reads an explicit image file and label file as one pool ({@code trainCount = -1}).
     *
     * @param classNames class names in label order, or null to name classes by their number (at least 10)
     */
    public static Dataset read(Path images, Path labels, List<String> classNames) {
        Images im = readImages(images);
        int[] l = readLabels(labels);
        checkCounts(images, im, labels, l);
        List<String> names = classNames(classNames, labels, l);
        return new Dataset(images.toString(), "idx", im.shape(), im.pixels(), l, names, -1);
    }

    /**
     * Reads a training pair and a test pair as one dataset, training images first
     * ({@code trainCount} = the training file's size).
     *
     * @param classNames class names in label order, or null to name classes by their number (at least 10)
     */
    public static Dataset readTrainTest(Path trainImages, Path trainLabels, Path testImages, Path testLabels,
                                        String name, List<String> classNames) {
        Images tr = readImages(trainImages);
        int[] trl = readLabels(trainLabels);
        checkCounts(trainImages, tr, trainLabels, trl);
        Images te = readImages(testImages);
        int[] tel = readLabels(testLabels);
        checkCounts(testImages, te, testLabels, tel);
        if (!tr.shape().equals(te.shape())) {
            throw UserException.badFile(testImages, "images are " + te.shape() + " but the training images in "
                    + trainImages.getFileName() + " are " + tr.shape());
        }
        FileBytes.checkMemory(testImages, ((long) tr.pixels().length + te.pixels().length) * 4,
                "joining the training and test images");
        float[] pixels = new float[tr.pixels().length + te.pixels().length];
        System.arraycopy(tr.pixels(), 0, pixels, 0, tr.pixels().length);
        System.arraycopy(te.pixels(), 0, pixels, tr.pixels().length, te.pixels().length);
        int[] labels = new int[trl.length + tel.length];
        System.arraycopy(trl, 0, labels, 0, trl.length);
        System.arraycopy(tel, 0, labels, trl.length, tel.length);
        List<String> names = classNames(classNames, testLabels, labels);
        return new Dataset(name, "idx", tr.shape(), pixels, labels, names, trl.length);
    }

    /**
     * Reads a folder holding IDX files: a training and a test pair (MNIST names {@code train-images-idx3-ubyte},
     * {@code t10k-images-idx3-ubyte}, raw or {@code .gz}; any name with "train" / "t10k" or "test"), or a single
     * pair of any {@code *images*idx3*} (or {@code *images*.idx}) and matching {@code *labels*idx1*} file.
     *
     * @param classNames class names in label order, or null to use a {@code classes.txt} in the folder (one name
     *                   per line) or else the class numbers
     */
    public static Dataset readDirectory(Path dir, List<String> classNames) {
        Map<String, Path> images = new TreeMap<>();
        Map<String, Path> labels = new TreeMap<>();
        for (Path f : list(dir)) {
            String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.startsWith(".") || !Files.isRegularFile(f)) {
                continue;
            }
            String key = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
            boolean idx = key.contains("idx") ;
            if (idx && key.contains("images")) {
                images.merge(key, f, IdxReader::preferRaw);
            } else if (idx && key.contains("labels")) {
                labels.merge(key, f, IdxReader::preferRaw);
            }
        }
        if (images.isEmpty()) {
            throw UserException.badFile(dir, "holds no IDX image file (a name like train-images-idx3-ubyte or "
                    + "*images*idx3*)");
        }
        List<Path[]> pairs = new ArrayList<>();
        for (Map.Entry<String, Path> e : images.entrySet()) {
            String want = e.getKey().replace("images", "labels").replace("idx3", "idx1");
            Path l = labels.get(want);
            if (l == null && images.size() == 1 && labels.size() == 1) {
                l = labels.values().iterator().next();
            }
            if (l == null) {
                throw UserException.badFile(e.getValue(), "has no matching label file (expected " + want
                        + "[.gz] beside it)");
            }
            pairs.add(new Path[] {e.getValue(), l});
        }
        List<String> names = classNames != null ? classNames : ClassNames.readOptional(dir.resolve("classes.txt"));
        if (pairs.size() == 1) {
            Dataset d = read(pairs.get(0)[0], pairs.get(0)[1], names);
            return new Dataset(dir.toString(), d.format(), d.shape(), d.pixels(), d.labels(), d.classNames(), -1);
        }
        Path[] train = null;
        Path[] test = null;
        for (Path[] p : pairs) {
            String n = p[0].getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.contains("t10k") || n.contains("test")) {
                test = test == null ? p : null;
            } else if (n.contains("train")) {
                train = train == null ? p : null;
            }
        }
        if (pairs.size() != 2 || train == null || test == null) {
            throw UserException.badFile(dir, "holds " + pairs.size() + " IDX image files " + images.values()
                    + "; expected one pair, or a training pair (\"train\") and a test pair (\"t10k\" or \"test\")");
        }
        return readTrainTest(train[0], train[1], test[0], test[1], dir.toString(), names);
    }

    /** @return whether the file starts like an IDX file (raw or gzip) */
    static boolean looksLikeIdx(Path file) {
        try (InputStream in = FileBytes.open(file)) {
            byte[] m = in.readNBytes(4);
            return m.length == 4 && m[0] == 0 && m[1] == 0 && elementSize(m[2] & 0xff) > 0 && m[3] >= 1
                    && m[3] <= 4;
        } catch (IOException | UserException e) {
            return false;
        }
    }

    private static Path preferRaw(Path a, Path b) {
        return a.getFileName().toString().endsWith(".gz") ? b : a;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw FileBytes.cannotRead(dir, e);
        }
    }

    private static void checkCounts(Path images, Images im, Path labels, int[] l) {
        if (l.length != im.count()) {
            throw UserException.badFile(labels, "holds " + l.length + " labels but " + images.getFileName()
                    + " holds " + im.count() + " images; the counts must be equal");
        }
    }

    private static List<String> classNames(List<String> given, Path labelFile, int[] labels) {
        int max = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] > max) {
                max = labels[i];
            }
        }
        if (given != null) {
            ClassNames.checkRange(labelFile, labels, given.size());
            return given;
        }
        return ClassNames.numbered(Math.max(10, max + 1));
    }

    private static void checkPayloadSize(Path file, boolean gz, Header h, long payload, long values, String what) {
        if (values > FileBytes.MAX_ARRAY) {
            throw UserException.badFile(file, "absurd dimensions in the header " + h.describe() + ": " + values
                    + " values, more than one array can hold");
        }
        if (!gz) {
            long expected = h.headerBytes() + payload;
            long actual = FileBytes.size(file);
            if (actual < expected) {
                throw UserException.badFile(file, "truncated: the header " + h.describe() + " needs " + expected
                        + " bytes but the file has " + actual);
            }
            if (actual > expected) {
                throw UserException.badFile(file, actual + " bytes, but the header " + h.describe() + " describes "
                        + expected + "; the header does not describe this file");
            }
        }
        // Raw bytes (growing up to 1.5× while read) plus the float copy of the values.
        FileBytes.checkMemory(file, payload + payload / 2 + values * 4, "reading " + what + " " + h.describe());
    }

    static int elementSize(int type) {
        return switch (type) {
            case UBYTE, BYTE -> 1;
            case SHORT -> 2;
            case INT, FLOAT -> 4;
            case DOUBLE -> 8;
            default -> -1;
        };
    }

    private static float[] toUnitFloats(byte[] data, int type, int values, Path file) {
        float[] out = new float[values];
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < values; i++) {
            double v = switch (type) {
                case UBYTE -> (data[i] & 0xff) / 255f;
                case BYTE -> data[i] / 127.0;
                case SHORT -> b.getShort(i * 2) / 32767.0;
                case INT -> b.getInt(i * 4) / 2147483647.0;
                case FLOAT -> b.getFloat(i * 4);
                default -> b.getDouble(i * 8);
            };
            if (!(v >= 0 && v <= 1)) {
                throw UserException.badFile(file, "value " + i + " is " + rawValue(b, data, type, i)
                        + "; pixel values must map to [0,1] (" + typeName(type) + ")");
            }
            out[i] = (float) v;
        }
        return out;
    }

    private static String rawValue(ByteBuffer b, byte[] data, int type, int i) {
        return switch (type) {
            case UBYTE -> Integer.toString(data[i] & 0xff);
            case BYTE -> Integer.toString(data[i]);
            case SHORT -> Short.toString(b.getShort(i * 2));
            case INT -> Integer.toString(b.getInt(i * 4));
            case FLOAT -> Float.toString(b.getFloat(i * 4));
            default -> Double.toString(b.getDouble(i * 8));
        };
    }

    private static String typeName(int type) {
        return switch (type) {
            case UBYTE -> "unsigned bytes are divided by 255";
            case BYTE -> "signed bytes are divided by 127";
            case SHORT -> "int16 values are divided by 32767";
            case INT -> "int32 values are divided by 2147483647";
            case FLOAT -> "float32 values are kept as they are";
            default -> "float64 values are kept as they are";
        };
    }

    /** The magic number and dimensions of an IDX file. */
    private record Header(int type, int[] dims) {
        static Header read(InputStream in, Path file) {
            byte[] m = FileBytes.readExactly(in, 4, file, "the IDX magic number");
            if (m[0] != 0 || m[1] != 0 || IdxReader.elementSize(m[2] & 0xff) < 0 || m[3] < 1 || m[3] > 4) {
                throw UserException.badFile(file, String.format("wrong magic number %02X %02X %02X %02X: not an "
                        + "IDX file (expected 00 00, a type 08/09/0B/0C/0D/0E, then 1 to 4 dimensions)",
                        m[0], m[1], m[2], m[3]));
            }
            int nd = m[3];
            ByteBuffer d = ByteBuffer.wrap(FileBytes.readExactly(in, 4L * nd, file, "the IDX dimensions"));
            int[] dims = new int[nd];
            for (int i = 0; i < nd; i++) {
                dims[i] = d.getInt();
                if (dims[i] < 0 || (i > 0 && dims[i] == 0)) {
                    throw UserException.badFile(file, "absurd dimension " + i + " in the header: " + dims[i]);
                }
            }
            return new Header(m[2] & 0xff, dims);
        }

        int elementSize() {
            return IdxReader.elementSize(type);
        }

        long headerBytes() {
            return 4 + 4L * dims.length;
        }

        String describe() {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < dims.length; i++) {
                s.append(i == 0 ? "" : "×").append(dims[i]);
            }
            return s + String.format(" of type 0x%02X", type);
        }
    }
}
