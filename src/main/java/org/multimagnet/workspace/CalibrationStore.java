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
import org.multimagnet.common.SafeFiles;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.Calibration;
import org.multimagnet.defense.CalibrationData;
import org.multimagnet.defense.CalibrationGrid;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.defense.MemberThreshold;
import org.multimagnet.data.Splits;
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
 * W/calibration/&lt;attack&gt;/cbest-magnet.json  MagNet's C_best (n = 1, {@link CBest})
 * W/calibration/&lt;attack&gt;/cbest.json         MultiMagNet's C_best (n drawn from the grid's sizes)
 * </pre>
 * A calibration is written into a fresh hidden folder that replaces the attack's folder whole ({@link FolderSwap});
 * cbest.json is written last, so its presence means a finished calibration. A grid that calibrates MagNet alone
 * (no size above 1 fits the repository) writes MagNet's C_best to both files.
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
    /** File name of C_best (MultiMagNet's). */
    public static final String CBEST = "cbest.json";
    /** File name of MagNet's C_best. */
    public static final String CBEST_MAGNET = "cbest-magnet.json";
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

    /** Writes the file C of an attack (on its own, before a calibration; {@link #write} replaces it). */
    public void writeGrid(String attack, CalibrationGrid grid) {
        WorkspaceLock.acquire(root);
        Json.writeFile(folder(attack).resolve(GRID), grid);
    }

    /**
     * Writes a finished calibration: the grid, the grid results, then C_best, into a fresh hidden folder that then
     * replaces the attack's folder as a whole ({@link FolderSwap}), so that a process killed at any point leaves
     * the previous calibration or this one, never C_best of one run beside the grid of another. The calibration it
     * replaces is kept in the workspace's {@link ArtifactHistory} first.
     *
     * @param attack the attack V_atk was made with
     * @param grid   the file C used
     * @param result what {@link org.multimagnet.defense.Calibration} returned
     */
    public void write(String attack, CalibrationGrid grid, CalibrationResult result) {
        Path dir = folder(attack);
        WorkspaceLock.acquire(root);
        new ArtifactHistory(root).keep(Artifact.calibration(attack), "replaced by a new calibration");
        boolean done = false;
        try {
            Path tmp = FolderSwap.begin(dir);
            Json.writeFile(tmp.resolve(GRID), grid);
            Json.writeFile(tmp.resolve(GRID_RESULTS), new GridResults(attack, result.cBest().createdAt(),
                    result.timing(), result.rows()));
            Json.writeFile(tmp.resolve(CBEST_MAGNET), result.cBest(DefenseKind.MAGNET).orElse(result.cBest()));
            Json.writeFile(tmp.resolve(CBEST), result.cBest());
            FolderSwap.commit(dir);
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the calibration to " + dir + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                FolderSwap.abandon(dir);
            }
        }
    }

    /**
     * Refuses, before any work, to replace an attack's calibration without consent.
     *
     * @throws ReplacementRefused when the attack is calibrated and consent is {@link Consent#ASK_FIRST}
     */
    public void requireConsent(String attack, Consent consent) {
        Artifact a = Artifact.calibration(attack);
        if (readCBest(attack).isPresent()) {
            new ArtifactHistory(root).requireConsent(a, consent);
        }
    }

    /** @return the folder to read an attack's calibration from (see {@link FolderSwap#readable}) */
    private Path readableFolder(String attack) {
        return FolderSwap.readable(folder(attack));
    }

    /** @return the attack's file C, if written */
    public Optional<CalibrationGrid> readGrid(String attack) {
        Path file = readableFolder(attack).resolve(GRID);
        return SafeFiles.existsNoFollow(file) ? Optional.of(Json.readInside(root, file, CalibrationGrid.class))
                : Optional.empty();
    }

    /**
     * Reads a file C from anywhere (the command line's {@code --grid}).
     *
     * @throws UserException naming the file and the field when it is missing or invalid
     */
    public static CalibrationGrid readGrid(Path file) {
        return Json.readFile(file, CalibrationGrid.class);
    }

    /** @return MultiMagNet's C_best for the attack (or the only one of a MagNet-only grid), if calibrated */
    public Optional<CBest> readCBest(String attack) {
        Path file = readableFolder(attack).resolve(CBEST);
        return SafeFiles.existsNoFollow(file) ? Optional.of(readCBestFile(file)) : Optional.empty();
    }

    /**
     * @return the C_best of a defense for the attack, if calibrated
     * @throws UserException when the file holds the other defense's calibration (a MagNet-only grid asked for
     *                       MultiMagNet's)
     */
    public Optional<CBest> readCBest(String attack, DefenseKind defense) {
        Path file = readableFolder(attack).resolve(fileName(defense));
        if (!SafeFiles.existsNoFollow(file)) {
            return Optional.empty();
        }
        CBest c = readCBestFile(file);
        if (c.defense() != defense) {
            throw UserException.badFile(file, "holds " + c.defense().displayName() + "'s calibration, not "
                    + defense.displayName() + "'s (its grid had no ensemble size above 1 that fits S)");
        }
        return Optional.of(c);
    }

    /**
     * Reads a C_best of this workspace and checks what deployment relies on: one finite, non-negative threshold
     * per member (marks are distances, never negative), each member once.
     *
     * @throws UserException naming the file, the member and the value
     */
    private CBest readCBestFile(Path file) {
        CBest c = Json.readInside(root, file, CBest.class);
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        for (MemberThreshold t : c.thresholds()) {
            if (t == null) {
                throw UserException.badFile(file, "thresholds: holds null, expected {id, threshold} objects");
            }
            if (t.id() < 1 || !ids.add(t.id())) {
                throw UserException.badFile(file, "thresholds: member id " + t.id() + " is "
                        + (t.id() < 1 ? "not >= 1" : "listed twice") + "; expected each member of S once");
            }
            if (!Double.isFinite(t.threshold()) || t.threshold() < 0) {
                throw UserException.badFile(file, "thresholds: member " + t.id() + " has threshold " + t.threshold()
                        + ", expected a finite number >= 0");
            }
        }
        if (c.combination().ensembleSizes() == null || c.combination().ensembleSizes().isEmpty()) {
            throw UserException.badFile(file, "combination: ensembleSizes missing");
        }
        return c;
    }

    /** @return the file name of a defense's C_best */
    public static String fileName(DefenseKind defense) {
        return defense == DefenseKind.MAGNET ? CBEST_MAGNET : CBEST;
    }

    /** @return the attack's grid results, if calibrated */
    public Optional<GridResults> readGridResults(String attack) {
        Path file = readableFolder(attack).resolve(GRID_RESULTS);
        return SafeFiles.existsNoFollow(file) ? Optional.of(Json.readInside(root, file, GridResults.class))
                : Optional.empty();
    }

    /** @return the attacks with a C_best, sorted by name */
    public List<String> calibratedAttacks() {
        Path dir = calibrationFolder();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            // ".<attack>.old" stands for <attack> while a killed write left it between its two renames
            children.map(p -> p.getFileName().toString())
                    .map(n -> n.startsWith(".") && n.endsWith(".old") ? n.substring(1, n.length() - 4) : n)
                    .filter(n -> NAME.matcher(n).matches() && !n.contains(".."))
                    .filter(n -> Files.isRegularFile(FolderSwap.readable(dir.resolve(n)).resolve(CBEST)))
                    .distinct().sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * MultiMagNet's calibration for deployment ({@link #current(String, DefenseKind)}).
     */
    public CBest current(String attack) {
        return current(attack, DefenseKind.MULTIMAGNET);
    }

    /**
     * The calibration a defense deploys with.
     *
     * @param attack  the attack whose C_best to use, or null for the most recent calibration of the workspace
     * @param defense the defense whose C_best to use
     * @return C_best
     * @throws UserException when there is none, naming the command that makes one
     */
    public CBest current(String attack, DefenseKind defense) {
        String a = attack != null ? attack : calibratedAttacks().stream()
                .max(Comparator.comparing(n -> createdAt(readCBest(n).orElseThrow())))
                .orElseThrow(() -> new UserException(calibrationFolder() + ": no calibration yet; run 'calibrate "
                        + "--workspace " + root + " --attack <attack>' first"));
        return readCBest(a, defense).orElseThrow(() -> new UserException(folder(a).resolve(fileName(defense))
                + ": not found; run 'calibrate --workspace " + root + " --attack " + a + "' "
                + (readCBest(a).isPresent() ? "again (this calibration predates per-defense C_best files)" : "first")));
    }

    private static Instant createdAt(CBest c) {
        try {
            return c.createdAt() == null ? Instant.EPOCH : Instant.parse(c.createdAt());
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    /**
     * V = V_leg ∪ V_atk for an attack (paper §4.1.3): V_atk is {@code W/attacks/<attack>-validation/}, V_leg all
     * the validation images of the workspace's split (the thresholds of §4.1.1 are taken on all of them, as in the
     * paper and the authors' code), whatever subset of them V_atk was made from; that subset is V's legitimate half
     * in the accuracy.
     *
     * @param vLeg      {@code [N, C, H, W]} legitimate images
     * @param vAtk      {@code [N, C, H, W]} their attacked versions
     * @param attackSet the set as read
     * @param pairedLegitimate the positions in {@code vLeg} of the images V_atk was made from, or null when it was
     *                  made from all of them (see {@link org.multimagnet.defense.CalibrationData#inAccuracy()})
     */
    public record ValidationSet(INDArray vLeg, INDArray vAtk, AttackSet attackSet, int[] pairedLegitimate) {
    }

    /**
     * Where V_atk's sources sit in V_leg.
     *
     * @param validation    the dataset indices of V_leg, in V_leg's order
     * @param sourceIndices the dataset index of each image of V_atk
     * @return their positions in V_leg; null when V_atk was made from every image of V_leg, or when some of its
     *         sources lie outside V_leg (a set made elsewhere: no pairing to follow, so all of V_leg counts)
     */
    public static int[] pairedLegitimate(int[] validation, int[] sourceIndices) {
        Map<Integer, Integer> position = new java.util.HashMap<>();
        for (int i = 0; i < validation.length; i++) {
            position.put(validation[i], i);
        }
        int[] out = new int[sourceIndices.length];
        boolean[] seen = new boolean[validation.length];
        int distinct = 0;
        for (int j = 0; j < sourceIndices.length; j++) {
            Integer p = position.get(sourceIndices[j]);
            if (p == null) {
                return null;
            }
            out[j] = p;
            if (!seen[p]) {
                seen[p] = true;
                distinct++;
            }
        }
        return distinct == validation.length ? null : out;
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
        if (!SafeFiles.existsNoFollow(FolderSwap.readable(dir).resolve(AttackSetStore.MANIFEST))) {
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
        Path manifest = FolderSwap.readable(dir).resolve(AttackSetStore.MANIFEST);
        if (!set.manifest().shape().equals(dataset.shape())) {
            throw UserException.badFile(manifest, "images of " + set.manifest().shape() + ", but the workspace's "
                    + "dataset has " + dataset.shape());
        }
        int[] idx = set.manifest().sourceIndices();
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
        }
        int[] validation = Splits.paper(dataset).validation();
        Dataset vLeg = dataset.subset(validation);
        return new ValidationSet(Nd4j.create(vLeg.pixels(), dataset.shape().batch(vLeg.size())),
                Nd4j.create(set.images(), dataset.shape().batch(idx.length)), set, pairedLegitimate(validation, idx));
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
     * @param exportMarks  where to write every mark computed on V as CSV ({@link CalibrationMarks}), or null
     * @param consent      whether a calibration the attack has may be replaced (it is kept in the history)
     * @param progress     told as the forward passes and the grid advance
     * @param cancellation checked between batches; nothing is written when cancelled
     * @return the result as written
     * @throws ReplacementRefused before any forward pass, when the attack is calibrated and consent is
     *                            {@link Consent#ASK_FIRST}
     */
    public CalibrationResult calibrate(String attack, Classifier f, List<? extends Autoencoder> s, Dataset dataset,
                                       CalibrationGrid grid, Map<String, String> inputs, Path exportMarks,
                                       Consent consent, ProgressListener progress, Cancellation cancellation) {
        requireConsent(attack, consent);
        // checked before V is read and the forward passes run; MagNet's n = 1 needs one member too
        int largest = grid.ensembleSizes().stream().mapToInt(Integer::intValue).max().orElse(1);
        if (largest > s.size()) {
            throw new UserException("the grid (file C) asks for ensembles of n = " + largest + " autoencoders, but the "
                    + "workspace " + root + " has " + (s.isEmpty() ? "no autoencoder" : "only m = " + s.size())
                    + " in its repository S; train more members ('train --what autoencoders') or remove sizes "
                    + "above " + s.size() + " from ensembleSizes");
        }
        ValidationSet v = validationSet(attack, dataset);
        CalibrationData data = Calibration.observe(f, s, v.vLeg(), v.vAtk(), v.pairedLegitimate(), progress,
                cancellation);
        CalibrationResult r = Calibration.evaluate(data, grid, attack, progress, cancellation);
        Map<String, String> all = new java.util.TreeMap<>(inputs);
        String prefix = root.relativize(v.attackSet().folder().toAbsolutePath().normalize()) + "/";
        v.attackSet().manifest().files().forEach((name, sha) -> all.put(prefix + name, sha));
        CalibrationResult recorded = r.withInputs(all);
        if (exportMarks != null) {
            CalibrationMarks.write(exportMarks, data, grid);
        }
        write(attack, grid, recorded);
        return recorded;
    }
}
