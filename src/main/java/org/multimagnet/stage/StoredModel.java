package org.multimagnet.stage;

import java.nio.file.Path;
import java.util.List;
import org.multimagnet.nn.Architecture;
import org.multimagnet.nn.ModelRole;
import org.multimagnet.workspace.ModelManifest;
import org.multimagnet.workspace.ModelStore;
import org.multimagnet.workspace.Workspace;

/**
 * A trained model as a face lists it: its manifest, with what the manifest only says in the networks' terms (its
 * role, its layers, its file stem, the parameter count Keras reports) said in plain values.
 *
 * @param manifest         the manifest as stored
 * @param classifier       whether it is F (else a member of S)
 * @param role             {@code classifier} or {@code autoencoder}
 * @param stem             {@code classifier} or {@code ae-NN}
 * @param structure        the spec's layers, e.g. {@code [3, avg, 3]}
 */
public record StoredModel(ModelManifest manifest, boolean classifier, String role, String stem,
                          List<String> structure) {
    public StoredModel {
        structure = List.copyOf(structure);
    }

    /** @return the model of one manifest */
    public static StoredModel of(ModelManifest m) {
        boolean f = m.role() == ModelRole.CLASSIFIER;
        return new StoredModel(m, f, m.role().label(), f ? "classifier" : ModelStore.autoencoderStem(m.id()),
                m.spec() == null ? List.of() : m.spec().structure());
    }

    /**
     * @return the count Keras reports for the same network, batch-norm running statistics included: the authors'
     *         counts (worked out from the layer plan when asked, as only a detailed listing shows it)
     */
    public long storedParameters() {
        return Architecture.storedParameterCount(manifest.spec());
    }

    /**
     * The models a workspace holds.
     *
     * @param workspace the workspace's root
     * @param models    F and the members of S that have a manifest, in file order
     */
    public record Listing(Path workspace, List<StoredModel> models) {
        public Listing {
            models = List.copyOf(models);
        }
    }

    /**
     * @return every model of the workspace, each manifest checked as it is read
     * @throws org.multimagnet.common.UserException when the folder is no workspace or a manifest is unreadable
     */
    public static Listing list(Path workspace) {
        Workspace w = Workspace.open(workspace);
        return new Listing(w.root(), w.models().list().stream().map(StoredModel::of).toList());
    }
}
