package org.multimagnet.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.multimagnet.data.Dataset;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;

/**
 * What the defense commands need from a workspace: F, S, the dataset, and the checksums of the model files.
 * The commands get it through this small seam so that in-process tests can hand them models without files.
 */
@FunctionalInterface
interface WorkspaceModels {

    /**
     * Loads the workspace's models.
     *
     * @param workspace   the workspace folder W
     * @param withDataset whether the dataset is needed (calibration) or not (deployment)
     * @return the models
     */
    Models load(Path workspace, boolean withDataset);

    /**
     * @param classifier F
     * @param repository S, in id order
     * @param dataset    the workspace's dataset, or null when not asked for
     * @param checksums  artifact path (relative to W) → SHA-256
     */
    record Models(Classifier classifier, List<Autoencoder> repository, Dataset dataset, Map<String, String> checksums) {
    }
}
