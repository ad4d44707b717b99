package org.multimagnet.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.multimagnet.attack.AttackOutcome;
import org.multimagnet.common.BuildInfo;
import org.multimagnet.common.Checksums;
import org.multimagnet.common.Json;
import org.multimagnet.common.SafeFiles;
import org.multimagnet.common.UserException;
import org.multimagnet.data.IdxReader;
import org.multimagnet.data.IdxWriter;

/**
 * Saves and loads adversarial sets: {@code W/attacks/<attack>-<split>/} with {@code images.idx} (float32, IDX type
 * 0x0D), {@code labels.idx} (uint8) and {@code manifest.json} ({@link AttackSetManifest}).
 *
 * <p>The IDX files are written by {@link IdxWriter} and read by {@link IdxReader} (which refuses floats outside
 * [0,1]). A set is written into a hidden sibling folder and moved into place when complete ({@link FolderSwap}), so
 * a reader sees the old set or the new one, even after the writer was killed; the manifest records each file's
 * SHA-256, and loading checks them.
 */
public final class AttackSetStore {
    /** The images file's name. */
    public static final String IMAGES = "images.idx";
    /** The labels file's name. */
    public static final String LABELS = "labels.idx";
    /** The manifest's name. */
    public static final String MANIFEST = "manifest.json";

    private AttackSetStore() {
    }

    /**
     * Where the set of an attack on a split lives in a workspace.
     *
     * @param workspace the workspace folder W
     * @param attack    the attack's name
     * @param split     {@code test} (D_atk) or {@code validation} (V_atk)
     * @return {@code W/attacks/<attack>-<split>}
     */
    public static Path folder(Path workspace, String attack, String split) {
        return workspace.resolve("attacks").resolve(attack + "-" + split);
    }

    /**
     * The attacks a workspace holds a set of on one split, read from the folder names {@link #folder} makes.
     *
     * @param split {@code test} or {@code validation}
     * @return their names, sorted; empty when there is no {@code W/attacks}
     */
    public static java.util.List<String> attacks(Path workspace, String split) {
        Path dir = workspace.resolve("attacks");
        String suffix = "-" + split;
        if (!java.nio.file.Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix) && n.length() > suffix.length())
                    .map(n -> n.substring(0, n.length() - suffix.length())).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where the attacked images came from and what was attacked; everything the manifest needs that the attack
     * itself does not know.
     *
     * @param split         {@code test} or {@code validation}
     * @param seed          the seed that drew the source images
     * @param sourceIndices index of each image in the full dataset
     * @param classNames    class names of the dataset
     * @param datasetSource the workspace's dataset source string, or null
     * @param modelChecksum SHA-256 of the classifier file
     */
    public record Provenance(String split, long seed, int[] sourceIndices, List<String> classNames,
                             String datasetSource, String modelChecksum) {
    }

    /**
     * Saves an attack's outcome into {@code folder}: a set of a workspace ({@code W/attacks/<set>}), whose current
     * version is kept in the workspace's {@link ArtifactHistory} first, or elsewhere a new or empty folder or one that
     * holds a set (whether the user agreed to replace that is the caller's question: {@link AttackSets#target}).
     *
     * @param folder  the target folder (usually {@link #folder})
     * @param outcome the attacked images and results
     * @param source  provenance
     * @return the manifest written
     * @throws IllegalArgumentException when the provenance does not describe the same images
     * @throws UserException            when a folder outside a workspace's attacks is not new or empty
     */
    public static AttackSetManifest save(Path folder, AttackOutcome outcome, Provenance source) {
        if (source.sourceIndices().length != outcome.count()) {
            throw new IllegalArgumentException(source.sourceIndices().length + " source indices for "
                    + outcome.count() + " attacked images");
        }
        Path target = folder.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Path workspace = parent == null ? null : parent.getParent();
        boolean inWorkspace = workspace != null && parent.getFileName().toString().equals("attacks")
                && Files.isRegularFile(workspace.resolve(Workspace.CONFIG));
        if (inWorkspace) {
            WorkspaceLock.acquire(workspace); // W/attacks/<set>: only the lock holder writes W
            new ArtifactHistory(workspace).keep(new Artifact(Artifact.Kind.ATTACK_SET,
                    target.getFileName().toString()), "replaced by a new attack");
        } else if (!Files.isRegularFile(FolderSwap.readable(target).resolve(MANIFEST))) {
            requireNewOrEmpty(target); // a set elsewhere replaces only a set
        }
        boolean done = false;
        try {
            Path tmp = FolderSwap.begin(target);
            IdxWriter.writeFloatImages(tmp.resolve(IMAGES), outcome.adversarial(), outcome.count(), outcome.shape());
            IdxWriter.writeLabels(tmp.resolve(LABELS), outcome.labels());
            Map<String, String> files = new LinkedHashMap<>();
            files.put(IMAGES, Checksums.sha256(tmp.resolve(IMAGES)));
            files.put(LABELS, Checksums.sha256(tmp.resolve(LABELS)));
            @SuppressWarnings("unchecked")
            Map<String, Object> params = Json.mapper().convertValue(outcome.params(), LinkedHashMap.class);
            AttackSetManifest manifest = new AttackSetManifest(AttackSetManifest.KIND, outcome.attack(), params,
                    outcome.awayFrom().id(), source.split(), source.seed(), outcome.count(),
                    outcome.summary().unchanged(), outcome.shape(), source.classNames(),
                    source.datasetSource(), source.modelChecksum(), outcome.producer(), Instant.now().toString(),
                    outcome.summary().seconds(), environment(), files, outcome.summary(),
                    source.sourceIndices().clone(), outcome.results());
            Json.writeFile(tmp.resolve(MANIFEST), manifest);
            FolderSwap.commit(target);
            done = true;
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the adversarial set to " + folder + ": "
                    + e.getMessage(), e);
        } finally {
            if (!done) {
                FolderSwap.abandon(target);
            }
        }
    }

    /**
     * Refuses a folder outside {@code W/attacks} that holds anything: a set saved elsewhere goes into a new or
     * empty folder, so that saving can never delete what a user keeps there (or a workspace).
     *
     * @throws UserException naming the folder
     */
    public static void requireNewOrEmpty(Path folder) {
        if (!Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw UserException.badFile(folder, "exists and is not a folder; expected a new or empty folder");
        }
        try (java.util.stream.Stream<Path> s = Files.list(folder)) {
            if (s.findAny().isPresent()) {
                throw UserException.badFile(folder, "is not empty; expected a new or empty folder (an adversarial set "
                        + "is saved only into a folder of its own)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a set saved by {@link #save}.
     *
     * @param folder the set's folder
     * @return the set
     * @throws UserException naming the file when a file is missing, altered (checksum), or does not match the
     *                       manifest's count and shape
     */
    public static AttackSet load(Path requested) {
        // a save killed between its two renames leaves the complete previous set in a hidden sibling
        Path folder = FolderSwap.readable(requested);
        Path manifestFile = folder.resolve(MANIFEST);
        if (!SafeFiles.existsNoFollow(manifestFile)) {
            throw UserException.badFile(manifestFile, "file not found (no adversarial set here; run 'attack' first)");
        }
        // every file of a set must really be in the set's folder: no link out of it, no FIFO, no device
        AttackSetManifest m = Json.readInside(folder, manifestFile, AttackSetManifest.class);
        if (!AttackSetManifest.KIND.equals(m.kind()) || m.shape() == null || m.files() == null
                || m.sourceIndices() == null) {
            throw UserException.badFile(manifestFile, "not an attack-set manifest (kind, shape, files and "
                    + "sourceIndices are required; kind = " + m.kind() + ")");
        }
        for (String name : List.of(IMAGES, LABELS)) {
            Path file = folder.resolve(name);
            SafeFiles.requireInside(folder, file);
            String actual = Checksums.sha256(file);
            if (!actual.equals(m.files().get(name))) {
                throw UserException.badFile(file, "SHA-256 " + actual + " differs from the manifest's "
                        + m.files().get(name) + " (the file was changed after the attack)");
            }
        }
        IdxReader.Images images = IdxReader.readImages(folder.resolve(IMAGES));
        if (images.count() != m.count() || !images.shape().equals(m.shape())) {
            throw UserException.badFile(folder.resolve(IMAGES), images.count() + " images of " + images.shape()
                    + ", the manifest says " + m.count() + " of " + m.shape());
        }
        int[] labels = IdxReader.readLabels(folder.resolve(LABELS));
        if (labels.length != m.count() || m.sourceIndices().length != m.count()) {
            throw UserException.badFile(folder.resolve(LABELS), labels.length + " labels and "
                    + m.sourceIndices().length + " source indices, the manifest says " + m.count() + " images");
        }
        int classes = m.classNames() == null || m.classNames().isEmpty() ? 256 : m.classNames().size();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw UserException.badFile(folder.resolve(LABELS), "label " + i + " is " + labels[i]
                        + ", expected a class in [0, " + classes + ") (the manifest names " + classes + " classes)");
            }
        }
        for (int i = 0; i < m.sourceIndices().length; i++) {
            if (m.sourceIndices()[i] < 0) {
                throw UserException.badFile(manifestFile, "sourceIndices[" + i + "] = " + m.sourceIndices()[i]
                        + ", expected an index >= 0 into the dataset");
            }
        }
        return new AttackSet(requested, m, images.pixels(), labels);
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("app", BuildInfo.version());
        env.put("java", System.getProperty("java.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("backend", BuildInfo.backend());
        return env;
    }
}
