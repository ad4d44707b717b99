package org.multimagnet.stage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.multimagnet.nn.ModelRole;
import org.multimagnet.workspace.ModelStore;
import org.multimagnet.workspace.Workspace;

/**
 * What the defense stages need from a workspace: F, S, the dataset, and the checksums of the model files.
 * The stages get it through this small seam so that in-process tests can hand them models without files.
 */
@FunctionalInterface
public interface WorkspaceModels {

    /**
     * Loads the workspace's models.
     *
     * @param workspace   the workspace folder W
     * @param withDataset whether the dataset is needed (calibration) or not (deployment)
     * @return the models
     * @throws UserException when S is empty, naming the command that trains it
     */
    Models load(Path workspace, boolean withDataset);

    /**
     * The size m of S, for what is decided before the models are worth loading (the grid a form shows).
     * Implementations that can count without loading override this.
     */
    default int repositorySize(Path workspace) {
        return load(workspace, false).repository().size();
    }

    /** @return the models of the workspace's files, each checked against its manifest */
    static WorkspaceModels fromFiles() {
        return new WorkspaceModels() {
            @Override
            public Models load(Path folder, boolean withDataset) {
                Workspace w = Workspace.open(folder);
                List<Autoencoder> s = new ArrayList<>(w.autoencoders());
                if (s.isEmpty()) {
                    throw new UserException(w.modelsDir() + ": no autoencoders (the repository S is empty); train "
                            + "them with 'train --workspace " + folder + "' first");
                }
                return new Models(w.classifier(), s, withDataset ? w.dataset() : null, w.models().checksums());
            }

            @Override
            public int repositorySize(Path folder) {
                return (int) new ModelStore(folder).list().stream().filter(m -> m.role() == ModelRole.AUTOENCODER)
                        .count();
            }
        };
    }

    /**
     * @param classifier F
     * @param repository S, in id order
     * @param dataset    the workspace's dataset, or null when not asked for
     * @param checksums  artifact path (relative to W) → SHA-256
     */
    record Models(Classifier classifier, List<Autoencoder> repository, Dataset dataset, Map<String, String> checksums) {
    }
}
