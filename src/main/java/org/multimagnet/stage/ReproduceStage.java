package org.multimagnet.stage;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.multimagnet.common.Cancellation;
import org.multimagnet.experiment.Reproduction;
import org.multimagnet.nn.ClassifierRecipe;
import org.multimagnet.workspace.Consent;

/**
 * The whole pipeline (train what is missing, attack, calibrate, evaluate, report) as both faces run it, over
 * {@link Reproduction}.
 */
public final class ReproduceStage {
    /** The dataset a missing workspace is created for when the request names none. */
    public static final String DEFAULT_DATASET = "sample:mnist";

    /**
     * What to run.
     *
     * @param workspace the workspace folder (created if missing)
     * @param dataset   the dataset of a new workspace; null for {@link #DEFAULT_DATASET}
     * @param quick     minutes on two cores instead of hours
     * @param seed      seeds every stage
     * @param attacks   the attacks to run (empty = all four)
     * @param consent   whether the run may replace the report and calibrations made with other models
     * @param recipe    the recipe of an F the workspace lacks; null for the paper's
     */
    public record Request(Path workspace, String dataset, boolean quick, long seed, List<String> attacks,
                          Consent consent, ClassifierRecipe recipe) {
        public Request {
            Objects.requireNonNull(workspace, "workspace");
            Objects.requireNonNull(consent, "consent");
            dataset = dataset == null ? DEFAULT_DATASET : dataset;
            attacks = attacks == null ? List.of() : List.copyOf(attacks);
        }
    }

    /**
     * @param files   the report's files, under {@code W/report/}
     * @param seconds wall time of the run
     */
    public record Result(List<Path> files, double seconds) {
        public Result {
            files = List.copyOf(files);
        }
    }

    /** Runs the pipeline; {@code listener} is told of each stage by name and of its progress. */
    public Result run(Request r, Reproduction.Listener listener, Cancellation cancellation) {
        long start = System.nanoTime();
        List<Path> files = new Reproduction(listener, cancellation).run(new Reproduction.Options(r.dataset(),
                r.workspace(), r.quick(), r.seed(), r.attacks(), r.consent(), r.recipe()));
        return new Result(files, (System.nanoTime() - start) / 1e9);
    }
}
