package org.multimagnet.ui.experiments;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.experiment.Reproduction;
import org.multimagnet.stage.ReproduceStage;
import org.multimagnet.workspace.Consent;

/** Runs the paper's whole protocol over a workspace and writes its report ({@link ReproduceStage}). */
@FunctionalInterface
public interface ExperimentRunner {

    /**
     * @param workspace the workspace folder (created on sample:mnist if missing)
     * @param quick     minutes on two cores instead of hours
     * @param seed      seeds every stage
     * @param consent   whether the run may replace the report (and calibrations made with other models)
     * @param stages    told the name of each stage as it starts (compute thread)
     * @return the report files written
     */
    List<Path> run(Path workspace, boolean quick, long seed, Consent consent, Consumer<String> stages,
                   ProgressListener progress, Cancellation cancellation);

    /** @return the runner over {@link ReproduceStage}, the stage the command line's {@code reproduce} runs too */
    static ExperimentRunner engine() {
        return (workspace, quick, seed, consent, stages, progress, cancellation) -> new ReproduceStage().run(
                new ReproduceStage.Request(workspace, null, quick, seed, List.of(), consent, null),
                new Reproduction.Listener() {
                    @Override
                    public void stage(String name) {
                        stages.accept(name);
                    }

                    @Override
                    public void progress(long done, long total, String message) {
                        progress.progress(done, total, message);
                    }
                }, cancellation).files();
    }
}
