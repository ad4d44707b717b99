package org.multimagnet.workspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.multimagnet.common.Json;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.DatasetSources;
import org.multimagnet.data.Split;
import org.multimagnet.data.Splits;
import org.multimagnet.nn.NetworkAutoencoder;
import org.multimagnet.nn.NetworkClassifier;

/**
 * A workspace folder: {@code workspace.json} plus the artifacts of one study. The dataset and its
 * split are read on first use and kept.
 */
public final class Workspace {
    /** The config file's name. */
    public static final String CONFIG = "workspace.json";

    private final Path root;
    private final WorkspaceConfig config;
    private final ModelStore models;
    private Dataset dataset;
    private Split split;

    private Workspace(Path root, WorkspaceConfig config) {
        this.root = root.toAbsolutePath().normalize();
        this.config = config;
        this.models = new ModelStore(this.root);
    }

    /**
     * Opens an existing workspace to read it; writing into it later takes its {@link WorkspaceLock} then (use
     * {@link #openForWriting} to learn at once that another process holds it).
     *
     * @throws UserException when the folder or its {@code workspace.json} is missing or unreadable
     */
    public static Workspace open(Path folder) {
        Path cfg = folder.resolve(CONFIG);
        if (!org.multimagnet.common.SafeFiles.existsNoFollow(cfg)) {
            throw UserException.badFile(folder, "not a workspace (no " + CONFIG + "); create one with "
                    + "'train --workspace " + folder + " --dataset <source>'");
        }
        WorkspaceConfig c = Json.readInside(folder, cfg, WorkspaceConfig.class);
        if (c.dataset() == null || c.dataset().isBlank()) {
            throw UserException.badFile(cfg, "field 'dataset' is missing (expected a dataset source such as sample:mnist)");
        }
        return new Workspace(folder, c);
    }

    /**
     * Opens an existing workspace to write into it (train, attack, calibrate, reproduce): takes its
     * {@link WorkspaceLock} first, for the rest of this process's life.
     *
     * @throws UserException when another process writes this workspace ("in use by process N since T"), or as
     *                       {@link #open}
     */
    public static Workspace openForWriting(Path folder) {
        Workspace w = open(folder);
        lockForWriting(w.root);
        return w;
    }

    /**
     * Takes the {@link WorkspaceLock} of a folder a command is about to write, then tidies what writers killed
     * earlier left: model saves killed after their commit point are finished ({@link ModelStore#recoverAll}) and
     * the temporary files of killed atomic writes are deleted ({@link Leftovers}).
     *
     * @throws UserException when another process writes this workspace
     */
    public static void lockForWriting(Path folder) {
        Path root = folder.toAbsolutePath().normalize();
        WorkspaceLock.acquire(root);
        requirePlainFolders(root);
        new ModelStore(root).recoverAll();
        Leftovers.clean(root);
    }

    /**
     * Opens a workspace to write into it, creating it for {@code dataset} when it does not exist; takes its
     * {@link WorkspaceLock} first (see {@link #openForWriting}).
     *
     * @param dataset the dataset source; null to keep an existing workspace's; must match an existing one's
     * @throws UserException when an existing workspace studies another dataset
     */
    public static Workspace openOrCreate(Path folder, String dataset, long seed) {
        if (Files.isRegularFile(folder.resolve(CONFIG))) {
            Workspace w = openForWriting(folder);
            if (dataset != null && !dataset.equals(w.config.dataset())) {
                throw UserException.badFile(folder.resolve(CONFIG), "this workspace studies '" + w.config.dataset()
                        + "', not '" + dataset + "'; use another --workspace folder");
            }
            return w;
        }
        if (dataset == null) {
            throw new UserException(folder + ": no workspace here; give --dataset to create one");
        }
        Dataset d = DatasetSources.load(dataset);
        WorkspaceLock.acquire(folder);
        Split s = Splits.paper(d);
        WorkspaceConfig c = new WorkspaceConfig(dataset, s.rule(), seed);
        Json.writeFile(folder.resolve(CONFIG), c);
        Workspace w = new Workspace(folder, c);
        w.dataset = d;
        w.split = s;
        return w;
    }

    /** The folders writers write into, directly or through renames of their children. */
    private static final java.util.List<String> FOLDERS = java.util.List.of(ModelStore.MODELS, "attacks", "calibration",
            "evaluations", "report");

    /**
     * Refuses a workspace whose folders are links or not folders: a link planted as {@code W/evaluations} would
     * make the next writer write wherever it points.
     */
    private static void requirePlainFolders(Path root) {
        for (String name : FOLDERS) {
            Path p = root.resolve(name);
            if (Files.isSymbolicLink(p) || (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    && !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))) {
                throw UserException.badFile(p, (Files.isSymbolicLink(p) ? "is a symbolic link" : "is not a folder")
                        + "; a workspace's " + name + " must be a folder inside it (writers would write where it "
                        + "points)");
            }
        }
    }

    /** @return the workspace folder (absolute) */
    public Path root() {
        return root;
    }

    /** @return the contents of {@code workspace.json} */
    public WorkspaceConfig config() {
        return config;
    }

    /** @return the dataset, read on first use */
    public Dataset dataset() {
        if (dataset == null) {
            dataset = DatasetSources.load(config.dataset());
        }
        return dataset;
    }

    /** @return the paper's split of the dataset (Tr, V_leg, Te) */
    public Split split() {
        if (split == null) {
            split = Splits.paper(dataset());
        }
        return split;
    }

    /** @return the model store of {@code W/models/} */
    public ModelStore models() {
        return models;
    }

    /** @return the classifier F, checked against its manifest */
    public NetworkClassifier classifier() {
        return models.loadClassifier();
    }

    /** @return every member of S, by id, checked against their manifests */
    public List<NetworkAutoencoder> autoencoders() {
        return models.loadAutoencoders();
    }

    /** @return {@code W/models} */
    public Path modelsDir() {
        return root.resolve(ModelStore.MODELS);
    }

    /** @return {@code W/attacks} */
    public Path attacksDir() {
        return root.resolve("attacks");
    }

    /** @return {@code W/calibration} */
    public Path calibrationDir() {
        return root.resolve("calibration");
    }

    @Override
    public String toString() {
        return "Workspace " + root + " (" + Objects.toString(config.dataset()) + ")";
    }
}
