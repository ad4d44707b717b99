package org.multimagnet.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.multimagnet.common.AtomicFiles;
import org.multimagnet.common.Checksums;
import org.multimagnet.common.Json;
import org.multimagnet.common.UserException;
import org.multimagnet.nn.ModelIO;
import org.multimagnet.nn.ModelRole;
import org.multimagnet.nn.SameDiffAutoencoder;
import org.multimagnet.nn.SameDiffClassifier;
import org.multimagnet.nn.SameDiffModel;

/**
 * The models of a workspace: {@code W/models/classifier.zip} + {@code classifier.json}, {@code ae-NN.zip} +
 * {@code ae-NN.json} (one file per model, {@link ModelIO}; one {@link ModelManifest} beside it).
 *
 * <p>Both files are written atomically, model first; the manifest carries the model file's SHA-256 and loading
 * refuses a file whose checksum differs. Paths named in a manifest are resolved inside the workspace folder only.
 */
public final class ModelStore {
    /** The models folder's name inside a workspace. */
    public static final String MODELS = "models";

    private final Path root;

    /** @param root the workspace folder */
    public ModelStore(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
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

    /**
     * Saves a trained model: the model file, then its manifest, each atomically.
     *
     * @param model the model
     * @param draft the manifest without {@code file}, {@code sha256} and {@code createdAt} (filled in here)
     * @return the manifest written
     */
    public ModelManifest save(SameDiffModel model, ModelManifest draft) {
        String stem = model.spec().fileStem();
        byte[] bytes = ModelIO.toBytes(model);
        Path file = modelFile(stem);
        AtomicFiles.write(file, bytes);
        ModelManifest m = new ModelManifest(draft.role(), draft.id(), draft.name(), draft.spec(), draft.parameters(),
                MODELS + "/" + stem + ".zip", Checksums.sha256(bytes), draft.dataset(), draft.split(),
                draft.trainImages(), draft.seed(), draft.epochs(), draft.epochLosses(), draft.finalLoss(),
                draft.testAccuracy(), draft.reconstructionTrain(), draft.reconstructionTest(),
                draft.trainingSeconds(), draft.imagesPerSecond(), draft.engine(), draft.backend(), draft.app(),
                Instant.now().toString());
        Json.writeFile(manifestFile(stem), m);
        return m;
    }

    /** @return whether the model of a stem has a manifest */
    public boolean has(String stem) {
        return Files.isRegularFile(manifestFile(stem));
    }

    /** @return the manifest of a stem; UserException naming the file when missing or unreadable */
    public ModelManifest manifest(String stem) {
        return Json.readFile(manifestFile(stem), ModelManifest.class);
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
                out.add(Json.readFile(p, ModelManifest.class));
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
    public SameDiffModel load(String stem) {
        ModelManifest m = manifest(stem);
        if (m.file() == null || m.sha256() == null) {
            throw UserException.badFile(manifestFile(stem), "field 'file' and 'sha256' are required");
        }
        Path file = resolveInside(m.file(), manifestFile(stem));
        if (!Files.isRegularFile(file)) {
            throw UserException.badFile(file, "model file named by " + manifestFile(stem) + " not found");
        }
        String actual = Checksums.sha256(file);
        if (!actual.equalsIgnoreCase(m.sha256())) {
            throw UserException.badFile(file, "checksum " + actual + " differs from " + m.sha256()
                    + " recorded in " + manifestFile(stem).getFileName() + "; the file was changed or damaged"
                    + " (retrain the model)");
        }
        SameDiffModel model = ModelIO.read(file);
        if (model.spec().role() != m.role() || model.spec().id() != m.id()) {
            throw UserException.badFile(file, "holds " + model.spec().role().label() + " " + model.spec().id()
                    + ", the manifest says " + m.role().label() + " " + m.id());
        }
        return model;
    }

    /** @return the classifier F */
    public SameDiffClassifier loadClassifier() {
        SameDiffModel m = load("classifier");
        if (!(m instanceof SameDiffClassifier c)) {
            throw UserException.badFile(modelFile("classifier"), "is not a classifier");
        }
        return c;
    }

    /** @return member {@code id} of S */
    public SameDiffAutoencoder loadAutoencoder(int id) {
        SameDiffModel m = load(autoencoderStem(id));
        if (!(m instanceof SameDiffAutoencoder a)) {
            throw UserException.badFile(modelFile(autoencoderStem(id)), "is not an autoencoder");
        }
        return a;
    }

    /** @return every autoencoder with a manifest, by id (the repository S) */
    public List<SameDiffAutoencoder> loadAutoencoders() {
        List<SameDiffAutoencoder> out = new ArrayList<>();
        for (ModelManifest m : list()) {
            if (m.role() == ModelRole.AUTOENCODER) {
                out.add(loadAutoencoder(m.id()));
            }
        }
        return out;
    }

    /**
     * Resolves a path written in a manifest inside the workspace folder.
     *
     * @throws UserException naming {@code from} when the path is absolute or leaves the workspace
     */
    public Path resolveInside(String relative, Path from) {
        Path p = Path.of(relative);
        Path resolved = root.resolve(p).normalize();
        if (p.isAbsolute() || !resolved.startsWith(root)) {
            throw UserException.badFile(from, "path '" + relative + "' leaves the workspace folder " + root
                    + " (only paths inside it are allowed)");
        }
        return resolved;
    }
}
