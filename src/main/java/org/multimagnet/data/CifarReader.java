package org.multimagnet.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.multimagnet.common.UserException;

/**
 * Reads the CIFAR-10 binary format: files of records of 1 label byte then 3072 pixel bytes (1024 red, 1024 green,
 * 1024 blue, each 32×32 row-major), raw or gzip. Pixels are divided by 255. Class names come from
 * {@code batches.meta.txt} beside the files when present (one per line), else the ten CIFAR-10 names.
 */
public final class CifarReader {
    /** Bytes per record: one label byte and 3×32×32 pixel bytes. */
    public static final int RECORD = 1 + 3 * 32 * 32;
    /** The official CIFAR-10 class names, in label order. */
    public static final List<String> CIFAR10_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");
    /**
     * Most records accepted from one file: the whole of CIFAR-10 (60,000) in one file; a compressed file that
     * decompresses to more is refused as a possible gzip bomb.
     */
    static final int MAX_RECORDS_PER_FILE = 60_000;

    private CifarReader() {
    }

    /**
     * Reads a folder of CIFAR-10 batches: {@code data_batch_*} (training, in name order) and {@code test_batch}
     * (test), each raw, {@code .bin} or {@code .gz}. When both kinds are present, training records come first
     * and {@code trainCount} is their number; otherwise the dataset is one pool.
     */
    public static Dataset readDirectory(Path dir) {
        List<Path> train = new ArrayList<>();
        List<Path> test = new ArrayList<>();
        for (Path f : batchFiles(dir)) {
            String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
            (n.startsWith("test_batch") ? test : train).add(f);
        }
        if (train.isEmpty() && test.isEmpty()) {
            throw UserException.badFile(dir, "holds no CIFAR-10 batch file (data_batch_1 ... test_batch, "
                    + "optionally .bin or .gz)");
        }
        List<Path> all = new ArrayList<>(train);
        all.addAll(test);
        return read(all, train.isEmpty() || test.isEmpty() ? 0 : train.size(), dir.toString(),
                dir.resolve("batches.meta.txt"));
    }

    /**
     * Reads one CIFAR-10 batch file as a pool; class names from a {@code batches.meta.txt} beside it if present.
     */
    public static Dataset readFile(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return read(List.of(file), 0, file.toString(), parent.resolve("batches.meta.txt"));
    }

    /** @return whether a folder holds CIFAR-10 batch files */
    static boolean isCifarDirectory(Path dir) {
        return !batchFiles(dir).isEmpty();
    }

    /** @return whether a file is named like a CIFAR-10 batch ({@code data_batch_*}, {@code test_batch*}) */
    static boolean isBatchName(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return (n.startsWith("data_batch") || n.startsWith("test_batch")) && !n.startsWith(".");
    }

    /**
     * Reads files of records in order.
     *
     * @param trainFiles how many leading files are training files (0 = a single pool)
     * @param meta       a class-name file, used when it exists
     */
    static Dataset read(List<Path> files, int trainFiles, String name, Path meta) {
        List<String> names = ClassNames.readOptional(meta);
        if (names == null) {
            names = CIFAR10_NAMES;
        }
        List<byte[]> contents = new ArrayList<>();
        long records = 0;
        int trainCount = -1;
        for (int i = 0; i < files.size(); i++) {
            byte[] b = readRecords(files.get(i));
            contents.add(b);
            records += b.length / RECORD;
            if (i + 1 == trainFiles) {
                trainCount = (int) records;
            }
        }
        if (records * 3072 > FileBytes.MAX_ARRAY) {
            throw UserException.badFile(files.get(files.size() - 1), records + " records in all; more than one "
                    + "array can hold");
        }
        FileBytes.checkMemory(files.get(files.size() - 1), records * 3072 * 4, "converting " + records
                + " CIFAR-10 records");
        float[] pixels = new float[(int) records * 3072];
        int[] labels = new int[(int) records];
        int r = 0;
        for (int i = 0; i < files.size(); i++) {
            byte[] b = contents.get(i);
            int first = r;
            for (int off = 0; off < b.length; off += RECORD, r++) {
                labels[r] = b[off] & 0xff;
                int base = r * 3072;
                for (int k = 0; k < 3072; k++) {
                    pixels[base + k] = (b[off + 1 + k] & 0xff) / 255f;
                }
            }
            contents.set(i, null);
            int[] fileLabels = java.util.Arrays.copyOfRange(labels, first, r);
            ClassNames.checkRange(files.get(i), fileLabels, names.size());
        }
        return new Dataset(name, "cifar10-binary", ImageShape.CIFAR10, pixels, labels, names, trainCount);
    }

    /** Reads a whole batch file, checking it is a whole number of records, at least one. */
    private static byte[] readRecords(Path file) {
        boolean gz = FileBytes.isGzip(file);
        long cap = (long) MAX_RECORDS_PER_FILE * RECORD;
        if (!gz) {
            long size = FileBytes.size(file);
            checkRecordSize(file, size);
            if (size > cap) {
                throw UserException.badFile(file, size / RECORD + " records; at most " + MAX_RECORDS_PER_FILE
                        + " per file are accepted");
            }
            cap = size;
        }
        // the bytes, growing by doubling (at most 1.5× while growing); the floats are checked once counted
        FileBytes.checkMemory(file, cap + cap / 2, "reading CIFAR-10 records");
        byte[] b;
        try (InputStream in = FileBytes.open(file)) {
            b = FileBytes.readAtMost(in, cap, file, "at most " + MAX_RECORDS_PER_FILE + " records of " + RECORD
                    + " bytes per file");
        } catch (IOException e) {
            throw FileBytes.cannotRead(file, e);
        }
        checkRecordSize(file, b.length);
        return b;
    }

    private static void checkRecordSize(Path file, long size) {
        if (size == 0) {
            throw UserException.badFile(file, "is empty; expected CIFAR-10 records of " + RECORD + " bytes");
        }
        if (size % RECORD != 0) {
            throw UserException.badFile(file, String.format("%,d bytes, not a multiple of %,d (one CIFAR-10 record: "
                    + "1 label byte + 3072 pixel bytes); truncated or not a CIFAR-10 batch", size, RECORD));
        }
    }

    /**
     * @return the batch files of a folder in name order; when a batch is present both raw and compressed
     * ({@code data_batch_1}, {@code data_batch_1.bin.gz}), only the first in name order is kept, so no record is
     * read twice
     */
    private static List<Path> batchFiles(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> isBatchName(f) && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw FileBytes.cannotRead(dir, e);
        }
        Map<String, Path> byBatch = new LinkedHashMap<>();
        for (Path f : files) {
            String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
            byBatch.putIfAbsent(n.replaceFirst("(\\.bin)?(\\.gz)?$", ""), f);
        }
        return List.copyOf(byBatch.values());
    }
}
