package org.multimagnet.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.multimagnet.common.UserException;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.workspace.Workspace;

/** Loads F, S and the dataset of a workspace through {@link Workspace} (model files checked against manifests). */
final class WorkspaceModelLoader implements WorkspaceModels {

    @Override
    public Models load(Path folder, boolean withDataset) {
        Workspace w = Workspace.open(folder);
        List<Autoencoder> s = new ArrayList<>(w.autoencoders());
        if (s.isEmpty()) {
            throw new UserException(w.modelsDir() + ": no autoencoders (the repository S is empty); train them with "
                    + "'train --workspace " + folder + "' first");
        }
        return new Models(w.classifier(), s, withDataset ? w.dataset() : null, w.models().checksums());
    }
}
