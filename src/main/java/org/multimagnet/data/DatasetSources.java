package org.multimagnet.data;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.multimagnet.common.UserException;

/**
 * Turns a dataset source string into a {@link Dataset}: a built-in name ({@code sample:mnist},
 * {@code sample:cifar10}, {@code fashion-mnist}) or a path to a file or folder, whose format is recognised from its
 * content and names (IDX, CIFAR-10 binary, image folder).
 */
public final class DatasetSources {
    /** Built-in name of the 10,000 MNIST digits shipped in {@code sample-data/mnist}. */
    public static final String SAMPLE_MNIST = "sample:mnist";
    /** Built-in name of the CIFAR-10 slice shipped in {@code sample-data/cifar10}. */
    public static final String SAMPLE_CIFAR10 = "sample:cifar10";
    /** Built-in name of the full CIFAR-10 (50,000 + 10,000), found through {@link #CIFAR10_VARIABLE}. */
    public static final String CIFAR10 = "cifar10";
    /**
     * The environment variable naming the folder that holds the full CIFAR-10 binary release ({@code data_batch_1}
     * … {@code data_batch_5}, {@code test_batch}, optionally gzip-compressed), which is too large to ship.
     */
    public static final String CIFAR10_VARIABLE = "MULTIMAGNET_CIFAR10";
    /** Built-in name of Fashion-MNIST from the Debian package {@code dataset-fashion-mnist}. */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** Where the Debian package {@code dataset-fashion-mnist} installs its files. */
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Fashion-MNIST's class names, in label order. */
    public static final List<String> FASHION_MNIST_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private DatasetSources() {
    }

    /**
     * A built-in dataset name.
     *
     * @param name        the name to give {@link #load}
     * @param description what it is
     * @param location    the folder it was found in, or null when it is not present on this machine
     * @param hint        how to get it when it is missing
     */
    public record BuiltIn(String name, String description, Path location, String hint) {
        /** @return whether the data are present */
        public boolean available() {
            return location != null;
        }
    }

    /** @return the built-in names, where each was found (or not) on this machine */
    public static List<BuiltIn> describe() {
        List<BuiltIn> out = new ArrayList<>();
        out.add(new BuiltIn(SAMPLE_MNIST, "10,000 MNIST digits, 28×28 grey, 10 classes (sample-data/mnist)",
                findSample("mnist"), "run from the project folder, which holds sample-data/mnist"));
        out.add(new BuiltIn(SAMPLE_CIFAR10, "2,000 CIFAR-10 images, 32×32 RGB, 10 classes (sample-data/cifar10)",
                findSample("cifar10"), "run from the project folder, which holds sample-data/cifar10"));
        out.add(new BuiltIn(CIFAR10, "the full CIFAR-10, 50,000 + 10,000 images, 32×32 RGB, 10 classes",
                fullCifar10(), "set " + CIFAR10_VARIABLE + " to the folder holding the CIFAR-10 binary batches "
                + "(data_batch_1 … data_batch_5 and test_batch, .bin or .bin.gz)"));
        out.add(new BuiltIn(FASHION_MNIST, "Fashion-MNIST, 60,000 + 10,000 images, 28×28 grey, 10 classes",
                Files.isDirectory(FASHION_MNIST_DIR) ? FASHION_MNIST_DIR : null,
                "install it with: apt-get install dataset-fashion-mnist (puts it in " + FASHION_MNIST_DIR + ")"));
        return out;
    }

    /**
     * Loads a dataset.
     *
     * @param source a built-in name (see {@link #describe()}) or the path of a dataset file or folder
     * @return the dataset; its name is {@code source}
     * @throws UserException when the source does not exist or is not a readable dataset (the message names the file
     *                       and what was wrong)
     */
    public static Dataset load(String source) {
        if (source == null || source.isBlank()) {
            throw new UserException("no dataset given; give a path or one of " + names());
        }
        for (BuiltIn b : describe()) {
            if (b.name().equals(source)) {
                if (!b.available()) {
                    throw new UserException(source + " is not available on this machine: " + b.hint());
                }
                List<String> classNames = source.equals(FASHION_MNIST) ? FASHION_MNIST_NAMES : null;
                return rename(readPath(b.location(), classNames), source);
            }
        }
        if (source.startsWith("sample:")) {
            throw new UserException("unknown built-in dataset '" + source + "'; built-in names: " + names());
        }
        Path p = Path.of(source);
        if (!Files.exists(p)) {
            throw UserException.badFile(p, "no such file or folder (built-in names: " + names() + ")");
        }
        return rename(readPath(p, null), source);
    }

    /**
     * Reads a dataset file or folder, recognising its format.
     *
     * @param classNames class names for IDX data, or null
     */
    static Dataset readPath(Path p, List<String> classNames) {
        if (Files.isDirectory(p)) {
            if (CifarReader.isCifarDirectory(p)) {
                return CifarReader.readDirectory(p);
            }
            if (ImageFolderReader.isImageFolder(p)) {
                return ImageFolderReader.read(p);
            }
            return IdxReader.readDirectory(p, classNames);
        }
        if (!Files.isRegularFile(p)) {
            throw UserException.badFile(p, "is neither a file nor a folder");
        }
        if (FileBytes.size(p) == 0) {
            throw UserException.badFile(p, "is empty");
        }
        if (CifarReader.isBatchName(p)) {
            return CifarReader.readFile(p);
        }
        String name = p.getFileName().toString();
        Path labels = p.resolveSibling(name.replace("images", "labels").replace("idx3", "idx1"));
        if (name.contains("images") && !labels.equals(p) && Files.isRegularFile(labels)) {
            return IdxReader.read(p, labels, classNames);
        }
        if (IdxReader.looksLikeIdx(p)) {
            throw UserException.badFile(p, "is an IDX file without a label file beside it (expected "
                    + labels.getFileName() + "); give the folder holding both");
        }
        throw UserException.badFile(p, "is not a dataset this program reads: expected a folder (IDX train/test "
                + "files, CIFAR-10 batches, or one sub-folder of images per class), an IDX images file with its "
                + "labels file beside it, or a CIFAR-10 batch file (data_batch_*, test_batch)");
    }

    private static Dataset rename(Dataset d, String name) {
        return new Dataset(name, d.format(), d.shape(), d.pixels(), d.labels(), d.classNames(), d.trainCount());
    }

    private static String names() {
        return String.join(", ", SAMPLE_MNIST, SAMPLE_CIFAR10, CIFAR10, FASHION_MNIST);
    }

    private static Path fullCifar10() {
        String dir = System.getenv(CIFAR10_VARIABLE);
        if (dir == null || dir.isBlank()) {
            return null;
        }
        Path p = Path.of(dir);
        return Files.isDirectory(p) && CifarReader.isCifarDirectory(p) ? p : null;
    }

    /**
     * Finds {@code sample-data/<name>} in the working directory, else near the program's jar (the jar sits in
     * {@code target/}, whose parent is the project folder) or its classes folder.
     */
    private static Path findSample(String name) {
        Path rel = Path.of("sample-data", name);
        if (Files.isDirectory(rel)) {
            return rel;
        }
        try {
            Path code = Path.of(DatasetSources.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = code.toAbsolutePath().getParent();
            for (int up = 0; dir != null && up < 3; up++, dir = dir.getParent()) {
                Path candidate = dir.resolve(rel);
                if (Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source (e.g. an unusual class loader): only the working directory counts
        }
        return null;
    }
}
