package org.multimagnet.ui.dataset;

import java.util.List;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.Split;

/**
 * What the dataset pane needs from the engine: the readers and the paper's split. The workbench wires it to
 * {@code data.DatasetSources} and {@code data.Splits}; tests may give small datasets. Called on the compute thread.
 */
public interface DatasetService {
    /** @return the names of the built-in sources, e.g. {@code sample:mnist} */
    List<String> builtInSources();

    /**
     * @param source a built-in name, a file or a folder
     * @return the images
     * @throws org.multimagnet.common.UserException when the source is missing or malformed (naming file and field)
     */
    Dataset load(String source);

    /** @return the paper's split of {@code dataset} (rule in docs/method.md) */
    Split split(Dataset dataset);
}
