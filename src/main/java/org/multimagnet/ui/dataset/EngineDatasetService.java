package org.multimagnet.ui.dataset;

import java.util.List;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.Split;

/** {@link DatasetService} over the engine's readers ({@code data.DatasetSources}) and split ({@code data.Splits}). */
public final class EngineDatasetService implements DatasetService {
    @Override
    public List<String> builtInSources() {
        return List.of("sample:mnist", "sample:cifar10", "fashion-mnist");
    }

    @Override
    public Dataset load(String source) {
        throw new UserException("The dataset readers (data.DatasetSources) are not in this build yet.");
    }

    @Override
    public Split split(Dataset dataset) {
        throw new UserException("The paper split (data.Splits) is not in this build yet.");
    }
}
