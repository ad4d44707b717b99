package org.multimagnet.ui.deployment;

import java.nio.file.Path;
import org.multimagnet.common.UserException;
import org.multimagnet.data.ImageShape;

/** {@link DeploymentService} over the engine's workspace, model store and defense deployment. */
public final class EngineDeploymentService implements DeploymentService {
    @Override
    public Setup open(Path workspace) {
        throw new UserException("The defense deployment (defense.*) is not in this build yet.");
    }

    @Override
    public float[] readImage(Path file, ImageShape shape) {
        throw new UserException("The image reader (data.ImageFiles) is not in this build yet.");
    }

    @Override
    public Result classify(float[] image, int ensembleSize, long seed) {
        throw new UserException("The defense deployment (defense.*) is not in this build yet.");
    }

    @Override
    public StreamSet streamSet() {
        throw new UserException("The defense deployment (defense.*) is not in this build yet.");
    }
}
