package org.multimagnet.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.multimagnet.common.AtomicFiles;
import org.multimagnet.common.Checksums;
import org.multimagnet.common.Json;
import org.multimagnet.common.SafeFiles;
import org.multimagnet.common.UserException;
import org.multimagnet.nn.ModelIO;
import org.multimagnet.nn.ModelRole;
import org.multimagnet.nn.NetworkAutoencoder;
import org.multimagnet.nn.NetworkClassifier;
import org.multimagnet.nn.NetworkModel;

/**
 * The models of a workspace: {@code W/models/classifier.zip} + {@code classifier.json}, {@code ae-NN.zip} +
 * {@code ae-NN.json} (one file per model, {@link ModelIO}; one {@link ModelManifest} beside it).
 *
 * <p>Both files are written atomically, and the manifest is the commit point of a save (see {@link #save}); the
 * manifest carries the model file's SHA-256 and loading refuses a file whose checksum differs. Paths named in a manifest are resolved inside the workspace folder only.
 */
public final class ModelStore {
    /** The models folder's name inside a workspace. */
    public static final String MODELS = "models";

    private final Path root;

    /** @param root the workspace folder */
    public ModelStore(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /** @return the workspace folder */
    Path root() {
        return root;
    }

    /** @return the model file of a stem ({@code classifier}, {@code ae-01}, ...) */
    public Path modelFile(String stem) {
        return root.resolve(MODELS).resolve(stem + ".zip");
    }

    /** @return the manifest of a stem */
    public Path manifestFile(String stem) {
        return root.resolve(MODELS).resolve(stem + ".json");
    }

    /** @return the stem of autoencoder {@code id}: {@code ae-NN} */
    public static String autoencoderStem(int id) {
        return String.format("ae-%02d", id);
    }

    /** @return where a model file waits between its manifest's commit and its rename: {@code models/.<stem>.zip.pending} */
    Path pendingFile(Path modelFile) {
        return modelFile.resolveSibling("." + modelFile.getFileName() + ".pending");
    }

    /**
     * Saves a trained model and its manifest so that a process killed at any point leaves the previous pair or
     * the new pair, never a model beside another model's manifest:
     * <ol>
     *   <li>the model goes (atomically) to {@code .<stem>.zip.pending}; the previous pair is untouched;</li>
     *   <li>the manifest, naming the new checksum, replaces the old one atomically: this is the commit point;</li>
     *   <li>the pending file is renamed over {@code <stem>.zip}.</li>
     * </ol>
     * Killed between 2 and 3, the manifest names the pending file's checksum; {@link #load} then reads the pending
     * file, and the next save finishes the rename first. A model file that matches neither is still refused.
     * The pair it replaces is kept in the workspace's {@link ArtifactHistory} first.
     *
     * @param model the model
     * @param draft the manifest without {@code file}, {@code sha256} and {@code createdAt} (filled in here)
     * @return the manifest written
     */
    public ModelManifest save(NetworkModel model, ModelManifest draft) {
        return save(model.spec().fileStem(), ModelIO.toBytes(model), draft);
    }

    /** {@link #save(NetworkModel, ModelManifest)} of a model already serialised by {@link ModelIO#toBytes}. */
    ModelManifest save(String stem, byte[] bytes, ModelManifest draft) {
        WorkspaceLock.acquire(root);
        Path file = modelFile(stem);
        Path pending = pendingFile(file);
        recover(stem);
        new ArtifactHistory(root).keep(Artifact.model(stem), "replaced by a newly trained model");
        AtomicFiles.write(pending, bytes);
        ModelManifest m = new ModelManifest(draft.role(), draft.id(), draft.name(), draft.spec(), draft.parameters(),
                MODELS + "/" + stem + ".zip", Checksums.sha256(bytes), draft.dataset(), draft.split(),
                draft.trainImages(), draft.seed(), draft.epochs(), draft.epochLosses(), draft.finalLoss(),
                draft.testAccuracy(), draft.reconstructionTrain(), draft.reconstructionTest(),
                draft.trainingSeconds(), draft.imagesPerSecond(), draft.engine(), draft.backend(), draft.app(),
                Instant.now().toString());
        Json.writeFile(manifestFile(stem), m);
        moveInto(pending, file);
        return m;
    }

    /**
     * The SHA-256 of every model file, keyed by its path relative to the workspace (e.g. {@code models/ae-01.zip}):
     * what a calibration records as its inputs.
     */
    public java.util.SortedMap<String, String> checksums() {
        java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
        for (ModelManifest m : list()) {
            if (m.file() != null && m.sha256() != null) {
                out.put(m.file(), m.sha256());
            }
        }
        return out;
    }

    /**
     * Finishes a save that was killed after its manifest was written: when {@code .<stem>.zip.pending} is the file
     * the manifest names, it is renamed into place; any other pending file (a save killed before its commit) is
     * deleted. Nothing happens when there is nothing to finish.
     */
    void recover(String stem) {
        Path file = modelFile(stem);
        Path pending = pendingFile(file);
        if (!Files.isRegularFile(pending, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return; // only this class writes pending files, and it writes regular files
        }
        String recorded = null;
        if (has(stem)) {
            try {
                recorded = manifest(stem).sha256();
            } catch (UserException e) {
                recorded = null; // an unreadable manifest commits nothing
            }
        }
        if (recorded != null && recorded.equalsIgnoreCase(Checksums.sha256(pending))
                && !(Files.isRegularFile(file) && recorded.equalsIgnoreCase(Checksums.sha256(file)))) {
            moveInto(pending, file);
        } else {
            try {
                Files.deleteIfExists(pending);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete " + pending + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * {@link #recover} for every model with a pending file: a writer calls this once it holds the workspace's lock,
     * so that code reading {@code <stem>.zip} directly (checksums recorded elsewhere) sees the committed model.
     */
    public void recoverAll() {
        Path dir = root.resolve(MODELS);
        if (!Files.isDirectory(dir)) {
            return;
        }
        WorkspaceLock.acquire(root);
        List<String> stems;
        try (Stream<Path> s = Files.list(dir)) {
            stems = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".") && n.endsWith(".zip.pending"))
                    .map(n -> n.substring(1, n.length() - ".zip.pending".length())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        stems.forEach(this::recover);
    }

    private static void moveInto(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not move " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /** @return whether the model of a stem has a manifest */
    public boolean has(String stem) {
        return Files.isRegularFile(manifestFile(stem));
    }

    /** @return the manifest of a stem; UserException naming the file when missing or unreadable */
    public ModelManifest manifest(String stem) {
        Path file = manifestFile(stem);
        return checked(file, stem, Json.readInside(root, file, ModelManifest.class));
    }

    /**
     * Checks a manifest against its file name: {@code classifier.json} describes the classifier (id 0),
     * {@code ae-NN.json} autoencoder NN, so that no member is described twice or under another role.
     *
     * @throws UserException naming the manifest, the field, its value and what was expected
     */
    private static ModelManifest checked(Path file, String stem, ModelManifest m) {
        if (m.role() == null || m.file() == null || m.sha256() == null) {
            throw UserException.badFile(file, "fields 'role', 'file' and 'sha256' are required");
        }
        String expected = m.role() == ModelRole.CLASSIFIER ? "classifier" : autoencoderStem(m.id());
        if (!stem.equals(expected) || (m.role() == ModelRole.CLASSIFIER ? m.id() != 0 : m.id() < 1)) {
            throw UserException.badFile(file, "describes " + m.role().label() + " " + m.id() + ", but a file named "
                    + stem + ".json must describe " + (stem.equals("classifier") ? "the classifier (id 0)"
                    : stem.matches("ae-\\d{1,6}") ? "autoencoder " + Integer.parseInt(stem.substring(3))
                    : "nothing (only classifier.json and ae-NN.json belong in models/)"));
        }
        String file0 = MODELS + "/" + stem + ".zip";
        if (!m.file().equals(file0)) {
            throw UserException.badFile(file, "file '" + printable(m.file()) + "', expected '" + file0
                    + "' (a manifest describes the model file beside it)");
        }
        if (!m.sha256().matches("[0-9a-fA-F]{64}")) {
            throw UserException.badFile(file, "sha256 '" + printable(m.sha256()) + "', expected 64 hex digits");
        }
        if (m.spec() != null && (m.spec().role() != m.role() || m.spec().id() != m.id())) {
            throw UserException.badFile(file, "spec describes " + m.spec().role().label() + " " + m.spec().id()
                    + ", the manifest says " + m.role().label() + " " + m.id());
        }
        return m;
    }

    /** @return every model's manifest: the classifier first, then the autoencoders by id */
    public List<ModelManifest> list() {
        Path dir = root.resolve(MODELS);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<ModelManifest> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".json")
                    && !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                String name = p.getFileName().toString();
                out.add(checked(p, name.substring(0, name.length() - ".json".length()),
                        Json.readInside(root, p, ModelManifest.class)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing((ModelManifest m) -> m.role() == ModelRole.CLASSIFIER ? 0 : 1)
                .thenComparingInt(ModelManifest::id));
        return out;
    }

    /**
     * Loads a model after checking its file against the manifest's checksum.
     *
     * @throws UserException naming the file when it is missing, its checksum differs, or it cannot be read
     */
    public NetworkModel load(String stem) {
        ModelManifest m = manifest(stem);
        Path file = verifiedFile(stem, m);
        NetworkModel model = ModelIO.read(file);
        if (model.spec().role() != m.role() || model.spec().id() != m.id()) {
            throw UserException.badFile(file, "holds " + model.spec().role().label() + " " + model.spec().id()
                    + ", the manifest says " + m.role().label() + " " + m.id());
        }
        return model;
    }

    /** @return the classifier F */
    public NetworkClassifier loadClassifier() {
        NetworkModel m = load("classifier");
        if (!(m instanceof NetworkClassifier c)) {
            throw UserException.badFile(modelFile("classifier"), "is not a classifier");
        }
        return c;
    }

    /** @return member {@code id} of S */
    public NetworkAutoencoder loadAutoencoder(int id) {
        NetworkModel m = load(autoencoderStem(id));
        if (!(m instanceof NetworkAutoencoder a)) {
            throw UserException.badFile(modelFile(autoencoderStem(id)), "is not an autoencoder");
        }
        return a;
    }

    /** @return every autoencoder with a manifest, by id (the repository S) */
    public List<NetworkAutoencoder> loadAutoencoders() {
        List<NetworkAutoencoder> out = new ArrayList<>();
        for (ModelManifest m : list()) {
            if (m.role() == ModelRole.AUTOENCODER) {
                out.add(loadAutoencoder(m.id()));
            }
        }
        return out;
    }

    /**
     * The file holding the model a manifest describes, checked against the manifest's SHA-256: the named file, or,
     * after a save killed between its commit and its rename, the pending file (see {@link #save}).
     *
     * @throws UserException naming the file when it is missing or its checksum differs (changed or damaged)
     */
    Path verifiedFile(String stem, ModelManifest m) {
        if (m.file() == null || m.sha256() == null) {
            throw UserException.badFile(manifestFile(stem), "field 'file' and 'sha256' are required");
        }
        Path file = resolveInside(m.file(), manifestFile(stem));
        Path pending = pendingFile(file);
        if (!SafeFiles.existsNoFollow(file) && !SafeFiles.existsNoFollow(pending)) {
            throw UserException.badFile(file, "model file named by " + manifestFile(stem) + " not found");
        }
        for (Path p : List.of(file, pending)) {
            if (SafeFiles.existsNoFollow(p)) {
                SafeFiles.requireInside(root, p); // a link out of the workspace, a FIFO or a device is refused
            }
        }
        String actual = Files.isRegularFile(file) ? Checksums.sha256(file) : "(missing)";
        if (actual.equalsIgnoreCase(m.sha256())) {
            return file;
        }
        if (Files.isRegularFile(pending) && Checksums.sha256(pending).equalsIgnoreCase(m.sha256())) {
            return pending; // a save was killed after its commit point (the manifest) and before its rename
        }
        throw UserException.badFile(file, "checksum " + actual + " differs from " + m.sha256()
                + " recorded in " + manifestFile(stem).getFileName() + "; the file was changed or damaged"
                + " (retrain the model)");
    }

    /** @return the text with control characters (a NUL, a newline) shown as escapes, for one-line messages */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.length() > 200 ? b.substring(0, 200) + "..." : b.toString();
    }

    /**
     * Resolves a path written in a manifest inside the workspace folder.
     *
     * @throws UserException naming {@code from} when the path is absolute or leaves the workspace
     */
    public Path resolveInside(String relative, Path from) {
        Path p;
        try {
            p = Path.of(relative);
        } catch (java.nio.file.InvalidPathException e) {
            throw UserException.badFile(from, "path '" + relative.replace("\0", "\\0") + "' is not a valid path: "
                    + e.getReason());
        }
        Path resolved = root.resolve(p).normalize();
        if (p.isAbsolute() || !resolved.startsWith(root)) {
            throw UserException.badFile(from, "path '" + relative + "' leaves the workspace folder " + root
                    + " (only paths inside it are allowed)");
        }
        return resolved;
    }
}
