package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.UserException;
import org.multimagnet.nn.ModelSpec;
import org.multimagnet.ui.training.EngineTrainingService;
import org.multimagnet.ui.training.TrainingService.MemberForm;
import org.multimagnet.ui.training.TrainingService.TrainOptions;
import org.multimagnet.workspace.Consent;
import org.multimagnet.workspace.ModelStore;

/**
 * The command line's {@code train} and the workbench's training service run one stage: a member edited and trained
 * in the workbench keeps its edit when the command line trains it again, both train the same model from the same
 * request, and both refuse a member S does not have in the same words.
 */
class TrainFacesTest {
    @TempDir
    Path dir;

    @Test
    void aMemberEditedInTheWorkbenchIsNotRevertedByTheCommandLine() {
        Path w = dir.resolve("ws");
        CliRun created = CliRun.of("train", "--workspace", w.toString(), "--dataset", "sample:mnist", "--what",
                "autoencoders", "--members", "1", "--epochs", "1", "--limit", "64", "--seed", "5");
        assertEquals(0, created.exit(), created.err());

        EngineTrainingService ui = new EngineTrainingService();
        ui.saveMember(w, new MemberForm(2, "3, 3", "relu", 0.1, 1));
        ui.train(w, 2, new TrainOptions(1, 64, 5), Consent.ASK_FIRST, p -> { }, Cancellation.NEVER);
        ModelSpec byUi = new ModelStore(w).manifest(ModelStore.autoencoderStem(2)).spec();
        assertEquals(List.of("3", "3"), byUi.structure());
        assertEquals("relu", byUi.activation());
        double uiLoss = new ModelStore(w).manifest(ModelStore.autoencoderStem(2)).finalLoss();

        CliRun again = CliRun.of("train", "--workspace", w.toString(), "--what", "autoencoders", "--members", "2",
                "--epochs", "1", "--limit", "64", "--seed", "5", "--replace");
        assertEquals(0, again.exit(), again.err());
        var byCli = new ModelStore(w).manifest(ModelStore.autoencoderStem(2));
        assertEquals(byUi, byCli.spec(), "the command line trains the spec the workbench stored");
        assertEquals(uiLoss, byCli.finalLoss(), "the same request trains the same model");
    }

    @Test
    void bothFacesRefuseAMemberSDoesNotHaveInTheSameWords() {
        Path w = dir.resolve("ws");
        CliRun created = CliRun.of("train", "--workspace", w.toString(), "--dataset", "sample:mnist", "--what",
                "autoencoders", "--members", "1", "--epochs", "1", "--limit", "32", "--seed", "5");
        assertEquals(0, created.exit(), created.err());
        CliRun cli = CliRun.of("train", "--workspace", w.toString(), "--what", "autoencoders", "--members", "12",
                "--seed", "5");
        assertEquals(2, cli.exit());
        assertEquals("error: --members: no member 12 (S has members 1..10)", cli.err().lines().findFirst().orElse(""));

        EngineTrainingService ui = new EngineTrainingService();
        UserException e = assertThrows(UserException.class, () -> ui.train(w, 12, new TrainOptions(1, 32, 5),
                Consent.ASK_FIRST, p -> { }, Cancellation.NEVER));
        assertEquals("no member 12 (S has members 1..10)", e.getMessage());
    }
}
