package org.multimagnet.ui.training;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.UserException;

/** {@link TrainingService} over the engine's model specs, trainer and model store (nn, workspace). */
public final class EngineTrainingService implements TrainingService {
    private static final String MISSING = "Training (nn.Trainer, workspace.Workspace) is not in this build yet.";

    @Override
    public List<ModelRow> models(Path workspace) {
        throw new UserException(MISSING);
    }

    @Override
    public List<ModelRow> saveMember(Path workspace, MemberForm form) {
        throw new UserException(MISSING);
    }

    @Override
    public List<ModelRow> removeMember(Path workspace, int id) {
        throw new UserException(MISSING);
    }

    @Override
    public TrainOutcome train(Path workspace, int id, TrainOptions options, Consumer<LossPoint> onBatch,
                              Cancellation cancellation) {
        throw new UserException(MISSING);
    }
}
