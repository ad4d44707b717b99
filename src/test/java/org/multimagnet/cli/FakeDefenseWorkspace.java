package org.multimagnet.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.multimagnet.attack.AttackLabels;
import org.multimagnet.attack.AttackOutcome;
import org.multimagnet.attack.AttackSummary;
import org.multimagnet.attack.ImageResult;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.defense.DefenseFakes;
import org.multimagnet.stage.WorkspaceModels;
import org.multimagnet.workspace.AttackSetStore;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import picocli.CommandLine;

/**
 * The defense commands' in-process fixture: {@link DefenseFakes}' F and S over 120 of its legitimate images, and a
 * V_atk of the attack {@value #ATTACK} (the first 60 images, pushed away from the fakes' manifold).
 */
final class FakeDefenseWorkspace {
    /** The attack whose V_atk {@link #saveValidationSet} writes. */
    static final String ATTACK = "fake";
    private static final int ATTACKED = 60;

    /** The 120 images the models hand out as the workspace's dataset. */
    final Dataset dataset;
    /** F, S and {@link #dataset}, whatever the folder. */
    final WorkspaceModels models;

    FakeDefenseWorkspace() {
        INDArray all = DefenseFakes.legitimate(120, 1);
        dataset = new Dataset("fake", "test", DefenseFakes.SHAPE, all.data().asFloat(), new int[120],
                List.of("a", "b", "c"), -1);
        models = (folder, withDataset) -> new WorkspaceModels.Models(DefenseFakes.classifier(),
                DefenseFakes.repository(), withDataset ? dataset : null, Map.of("models/x", "1"));
    }

    private record NoParams() {
    }

    /** Saves V_atk of {@value #ATTACK} under {@code w}. */
    void saveValidationSet(Path w) {
        int[] idx = new int[ATTACKED];
        List<ImageResult> results = new ArrayList<>();
        for (int j = 0; j < ATTACKED; j++) {
            idx[j] = j;
            results.add(new ImageResult(j, 0, 0, 1, false, true, 1, 0.5, 1, false));
        }
        INDArray legit = DefenseFakes.legitimate(120, 1).get(NDArrayIndex.interval(0, ATTACKED)).dup();
        float[] adv = DefenseFakes.adversarial(legit, 2).data().asFloat();
        AttackOutcome o = new AttackOutcome(ATTACK, "test", new NoParams(), AttackLabels.PREDICTED,
                DefenseFakes.SHAPE, adv, new int[ATTACKED], results, AttackSummary.of(results, 0.1));
        AttackSetStore.save(AttackSetStore.folder(w, ATTACK, "validation"), o,
                new AttackSetStore.Provenance("validation", 3, idx, dataset.classNames(), ATTACK, "0"));
    }

    /**
     * One run of a command built on these models, as {@link Cli} runs it (a {@link UserException} is bad input,
     * exit 2), with what it printed and the exception it ended on.
     */
    record Run(int code, String out, String err, Throwable error) {
        static Run of(Object command, String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Throwable[] error = {null};
            CommandLine cl = new CommandLine(command);
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            cl.setExecutionExceptionHandler((ex, c, parsed) -> {
                error[0] = ex;
                return ex instanceof UserException ? 2 : 1;
            });
            int code = cl.execute(args);
            return new Run(code, out.toString(), err.toString(), error[0]);
        }
    }
}
