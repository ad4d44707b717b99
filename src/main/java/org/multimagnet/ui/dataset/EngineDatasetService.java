package org.multimagnet.ui.dataset;

import java.util.List;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.DatasetSources;
import org.multimagnet.data.Split;
import org.multimagnet.data.Splits;

/** {@link DatasetService} over the engine's readers ({@link DatasetSources}) and the paper split ({@link Splits}). */
public final class EngineDatasetService implements DatasetService {
    @Override
    public List<String> builtInSources() {
        return DatasetSources.describe().stream().map(DatasetSources.BuiltIn::name).toList();
    }

    @Override
    public Dataset load(String source) {
        return DatasetSources.load(source);
    }

    @Override
    public Split split(Dataset dataset) {
        return Splits.paper(dataset);
    }
}
