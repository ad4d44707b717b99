package org.multimagnet.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.Map;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.Json;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.Calibration;
import org.multimagnet.defense.CalibrationGrid;
import org.multimagnet.defense.CalibrationResult;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The calibration artifacts of a workspace (paper §4.1.4), one folder per attack:
 * <pre>
 * W/calibration/&lt;attack&gt;/grid.json          the file C ({@link CalibrationGrid})
 * W/calibration/&lt;attack&gt;/grid-results.json  every combination's ACC/PPV/NPV ({@link GridResults})
 * W/calibration/&lt;attack&gt;/cbest.json         C_best ({@link CBest})
 * </pre>
 * Every file is written atomically; cbest.json is written last, so its presence means a finished calibration.
 * Attack names are checked ({@value #NAME_RULE}) so that every path stays inside the workspace.
 *
 * <p>"The current calibration" for deployment is the C_best of a named attack, or, when none is named, the most
 * recent C_best of the workspace (by its {@code createdAt}).
 */
public final class CalibrationStore {
    /** What an attack name may look like: it becomes a folder name. */
    public static final String NAME_RULE = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    /** File name of the file C. */
    public static final String GRID = "grid.json";
    /** File name of C_best. */
    public static final String CBEST = "cbest.json";
    /** File name of the grid results. */
    public static final String GRID_RESULTS = "grid-results.json";

    private static final Pattern NAME = Pattern.compile(NAME_RULE);

    private final Path root;

    /** @param workspace the workspace folder W */
    public CalibrationStore(Path workspace) {
        this.root = workspace.toAbsolutePath().normalize();
    }

    /** @return {@code W/calibration} */
    public Path calibrationFolder() {
        return root.resolve("calibration");
    }

    /**
     * The folder of one attack's calibration.
     *
     * @throws UserException when the name is not a plain folder name or would leave the workspace
     */
    public Path folder(String attack) {
        if (attack == null || !NAME.matcher(attack).matches() || attack.contains("..")) {
            throw new UserException("attack name '" + attack + "': expected letters, digits, '.', '_' or '-' ("
                    + NAME_RULE + ")");
        }
        Path p = calibrationFolder().resolve(attack).normalize();
        if (!p.startsWith(calibrationFolder())) {
            throw new UserException("attack name '" + attack + "' leads outside " + calibrationFolder());
        }
        return p;
    }

    /** Writes the file C of an attack. */
    public void writeGrid(String attack, CalibrationGrid grid) {
        Json.writeFile(folder(attack).resolve(GRID), grid);
    }

    /**
     * Writes a finished calibration: the grid, the grid results, then C_best.
     *
     * @param attack the attack V_atk was made with
     * @param grid   the file C used
     * @param result what {@link org.multimagnet.defense.Calibration} returned
     */
    public void write(String attack, CalibrationGrid grid, CalibrationResult result) {
        Path dir = folder(attack);
        Json.writeFile(dir.resolve(GRID), grid);
        Json.writeFile(dir.resolve(GRID_RESULTS), new GridResults(attack, result.cBest().createdAt(),
                result.timing(), result.rows()));
        Json.writeFile(dir.resolve(CBEST), result.cBest());
    }

    /** @return the attack's file C, if written */
    public Optional<CalibrationGrid> readGrid(String attack) {
        Path file = folder(attack).resolve(GRID);
        return Files.isRegularFile(file) ? Optional.of(readGrid(file)) : Optional.empty();
    }

    /**
     * Reads a file C from anywhere (the command line's {@code --grid}).
     *
     * @throws UserException naming the file and the field when it is missing or invalid
     */
    public static CalibrationGrid readGrid(Path file) {
        return Json.readFile(file, CalibrationGrid.class);
    }

    /** @return the attack's C_best, if calibrated */
    public Optional<CBest> readCBest(String attack) {
        Path file = folder(attack).resolve(CBEST);
        return Files.isRegularFile(file) ? Optional.of(Json.readFile(file, CBest.class)) : Optional.empty();
    }

    /** @return the attack's grid results, if calibrated */
    public Optional<GridResults> readGridResults(String attack) {
        Path file = folder(attack).resolve(GRID_RESULTS);
        return Files.isRegularFile(file) ? Optional.of(Json.readFile(file, GridResults.class)) : Optional.empty();
    }

    /** @return the attacks with a C_best, sorted by name */
    public List<String> calibratedAttacks() {
        Path dir = calibrationFolder();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            children.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve(CBEST)))
                    .map(p -> p.getFileName().toString()).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The calibration deployment uses.
     *
     * @param attack the attack whose C_best to use, or null for the most recent C_best of the workspace
     * @return C_best
     * @throws UserException when there is none, naming the command that makes one
     */
    public CBest current(String attack) {
        if (attack != null) {
            return readCBest(attack).orElseThrow(() -> new UserException(folder(attack).resolve(CBEST)
                    + ": not found; run 'calibrate --workspace " + root + " --attack " + attack + "' first"));
        }
        return calibratedAttacks().stream().map(a -> readCBest(a).orElseThrow())
                .max(Comparator.comparing(CalibrationStore::createdAt))
                .orElseThrow(() -> new UserException(calibrationFolder() + ": no calibration yet; run 'calibrate "
                        + "--workspace " + root + " --attack <attack>' first"));
    }

    private static Instant createdAt(CBest c) {
        try {
            return c.createdAt() == null ? Instant.EPOCH : Instant.parse(c.createdAt());
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    /**
     * V = V_leg ∪ V_atk for an attack (paper §4.1.3): V_atk is {@code W/attacks/<attack>-validation/}, V_leg the
     * clean images it was made from (its manifest's source indices into the dataset).
     *
     * @param vLeg      {@code [N, C, H, W]} legitimate images
     * @param vAtk      {@code [N, C, H, W]} their attacked versions
     * @param attackSet the set as read
     */
    public record ValidationSet(INDArray vLeg, INDArray vAtk, AttackSet attackSet) {
    }

    /**
     * Checks that V_atk exists for an attack, before anything expensive is loaded.
     *
     * @return its folder {@code W/attacks/<attack>-validation}
     * @throws UserException naming the command that makes it when it is missing
     */
    public Path requireValidationSet(String attack) {
        folder(attack); // checks the name
        Path dir = AttackSetStore.folder(root, attack, "validation");
        if (!Files.isRegularFile(dir.resolve(AttackSetStore.MANIFEST))) {
            throw new UserException(dir + ": no V_atk for attack '" + attack + "'; run 'attack --workspace " + root
                    + " --attack " + attack + " --split validation' first");
        }
        return dir;
    }

    /**
     * Reads V for an attack.
     *
     * @param attack  the attack's name
     * @param dataset the workspace's full dataset (the source of V_atk)
     * @return V_leg and V_atk
     * @throws UserException when V_atk is missing (naming the command that makes it) or was made from other data
     */
    public ValidationSet validationSet(String attack, Dataset dataset) {
        Path dir = requireValidationSet(attack);
        AttackSet set = AttackSetStore.load(dir);
        Path manifest = dir.resolve(AttackSetStore.MANIFEST);
        if (!set.manifest().shape().equals(dataset.shape())) {
            throw UserException.badFile(manifest, "images of " + set.manifest().shape() + ", but the workspace's "
                    + "dataset has " + dataset.shape());
        }
        int[] idx = set.manifest().sourceIndices();
        int size = dataset.shape().size();
        float[] leg = new float[idx.length * size];
        for (int j = 0; j < idx.length; j++) {
            if (idx[j] < 0 || idx[j] >= dataset.size()) {
                throw UserException.badFile(manifest, "sourceIndices[" + j + "] = " + idx[j] + " is outside the "
                        + "dataset's " + dataset.size() + " images");
            }
            if (dataset.labels()[idx[j]] != set.labels()[j]) {
                throw UserException.badFile(manifest, "image " + j + " has label " + set.labels()[j]
                        + " but dataset image " + idx[j] + " has " + dataset.labels()[idx[j]]
                        + ": the set was made from other data; run the attack again");
            }
            System.arraycopy(dataset.pixels(), idx[j] * size, leg, j * size, size);
        }
        long[] shape = dataset.shape().batch(idx.length);
        return new ValidationSet(Nd4j.create(leg, shape), Nd4j.create(set.images(), shape), set);
    }

    /**
     * The calibration stage for an attack, from the workspace's files to its files: reads V, runs
     * {@link Calibration#run}, writes grid.json, grid-results.json and cbest.json.
     *
     * @param attack       the attack's name
     * @param f            the workspace's classifier F
     * @param s            the workspace's repository S
     * @param dataset      the workspace's dataset
     * @param grid         the file C
     * @param inputs       artifact name → SHA-256 of the models used (recorded in C_best; V_atk's files are added)
     * @param progress     told as the forward passes and the grid advance
     * @param cancellation checked between batches; nothing is written when cancelled
     * @return the result as written
     */
    public CalibrationResult calibrate(String attack, Classifier f, List<? extends Autoencoder> s, Dataset dataset,
                                       CalibrationGrid grid, Map<String, String> inputs, ProgressListener progress,
                                       Cancellation cancellation) {
        ValidationSet v = validationSet(attack, dataset);
        CalibrationResult r = Calibration.run(f, s, v.vLeg(), v.vAtk(), grid, attack, progress, cancellation);
        Map<String, String> all = new java.util.TreeMap<>(inputs);
        String prefix = root.relativize(v.attackSet().folder().toAbsolutePath().normalize()) + "/";
        v.attackSet().manifest().files().forEach((name, sha) -> all.put(prefix + name, sha));
        CalibrationResult recorded = new CalibrationResult(r.cBest().withInputs(all), r.rows(), r.timing());
        write(attack, grid, recorded);
        return recorded;
    }
}
