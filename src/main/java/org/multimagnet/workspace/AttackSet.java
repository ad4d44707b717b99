package org.multimagnet.workspace;

import java.nio.file.Path;
import org.multimagnet.data.Dataset;

/**
 * An adversarial set read back from a workspace: D_atk (or V_atk) with its manifest.
 *
 * @param folder   the folder it was read from
 * @param manifest its manifest
 * @param images   {@code N·C·H·W} pixels in [0,1], NCHW
 * @param labels   the true labels of the source images
 */
public record AttackSet(Path folder, AttackSetManifest manifest, float[] images, int[] labels) {

    /** @return the set as a dataset (a single pool; name = the folder), e.g. to feed a defense */
    public Dataset toDataset() {
        return new Dataset(folder.toString(), "attack-set", manifest.shape(), images, labels, manifest.classNames(), -1);
    }
}
