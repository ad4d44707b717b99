package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Checksums;
import org.multimagnet.ui.RecordingDialogs;
import org.multimagnet.ui.common.DefaultComputeExecutor;
import org.multimagnet.ui.common.ImagePayload;
import org.multimagnet.ui.common.WorkspaceModel;
import org.multimagnet.ui.deployment.DeploymentService;
import org.multimagnet.ui.deployment.DeploymentViewModel;
import org.multimagnet.ui.deployment.EngineDeploymentService;

/**
 * {@code deploy} and {@code evaluate} on copies of the demo workspace whose member 3 changed after the calibrations
 * were made: refused with exit 2 and one line naming the calibration and the member, or used with a warning under
 * {@code --allow-stale}; the workbench's Deployment pane refuses and warns in the same words.
 */
class StaleCalibrationTest {
    @TempDir
    static Path shared;

    /** The demo with member 3 retrained for real (1 epoch, 500 images) by the {@code train} command. */
    private static Path retrained;
    private static String image;

    @BeforeAll
    static void retrainMemberThree() throws Exception {
        retrained = TestWorkspaces.copy(TestWorkspaces.DEMO, Files.createDirectory(shared.resolve("retrained")));
        String before = Checksums.sha256(retrained.resolve("models/ae-03.zip"));
        CliRun t = CliRun.of("train", "--replace", "--workspace", retrained.toString(), "--what", "autoencoders", "--members", "3",
                "--epochs", "1", "--limit", "500", "--seed", "7");
        assertEquals(0, t.exit(), t.err());
        assertFalse(before.equals(Checksums.sha256(retrained.resolve("models/ae-03.zip"))), "ae-03 was retrained");
        image = TestWorkspaces.writeRoughOne(shared.resolve("one.f32")).toString();
    }

    private static List<String> lines(String text) {
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    private static String cBest(Path ws, String attack) {
        return ws.toAbsolutePath().normalize().resolve("calibration").resolve(attack).resolve("cbest.json").toString();
    }

    @Test
    void deployAfterRetrainingOneMemberExitsTwoNamingIt() {
        CliRun r = CliRun.of("deploy", "--workspace", retrained.toString(), "--attack", "fgsm", "--seed", "1", image);
        assertEquals(2, r.exit(), r.err());
        List<String> err = lines(r.err());
        assertEquals(1, err.size(), r.err());
        String line = err.get(0);
        assertTrue(line.startsWith("error: " + cBest(retrained, "fgsm") + ": calibrated with models that changed "
                + "since: ae-03 (member 3) changed (sha256 now "), line);
        assertTrue(line.endsWith("; re-run 'calibrate --workspace " + retrained.toAbsolutePath().normalize()
                + " --attack fgsm' (or the Calibration pane), or allow a stale calibration (--allow-stale) to use it "
                + "anyway"), line);
        assertEquals(1, line.split("\\(member ").length - 1, "only member 3 is named: " + line);
        assertEquals("", r.out());
    }

    @Test
    void deployWithAllowStaleDecidesAndWarnsNamingTheMember() {
        CliRun r = CliRun.of("deploy", "--workspace", retrained.toString(), "--attack", "fgsm", "--seed", "1",
                "--allow-stale", image);
        assertEquals(0, r.exit(), r.err());
        List<String> err = lines(r.err());
        assertEquals(1, err.size(), r.err());
        assertTrue(err.get(0).startsWith("warning: " + cBest(retrained, "fgsm") + ": ")
                && err.get(0).contains("ae-03 (member 3) changed")
                && err.get(0).endsWith("; used anyway, as a stale calibration is allowed (--allow-stale)"),
                err.get(0));
        assertTrue(r.out().contains("1 of 1 image accepted") || r.out().contains("0 of 1 image accepted"), r.out());
    }

    /**
     * The Deployment pane over the engine and {@code deploy} on the same stale workspace: the pane's status is the
     * command's error line, word for word; with "Allow a stale calibration" ticked the pane decides and carries the
     * command's warning under {@code --allow-stale}, word for word.
     */
    @Test
    void bothFacesRefuseAndWarnInTheSameWords() {
        CliRun refused = CliRun.of("deploy", "--workspace", retrained.toString(), "--attack", "fgsm", "--seed", "1",
                image);
        RecordingDialogs dialogs = new RecordingDialogs();
        DeploymentViewModel pane = new DeploymentViewModel(new EngineDeploymentService(),
                DefaultComputeExecutor.synchronous(), dialogs, new WorkspaceModel(retrained), 1L);
        pane.calibrationProperty().set("fgsm");
        pane.ensureOpen();
        assertEquals(null, pane.setupProperty().get());
        assertEquals(List.of("error: " + pane.statusProperty().get()), lines(refused.err()));

        CliRun allowed = CliRun.of("deploy", "--workspace", retrained.toString(), "--attack", "fgsm", "--seed", "1",
                "--allow-stale", image);
        pane.allowStaleProperty().set(true); // the models are asked for again at once
        DeploymentService.Setup setup = pane.setupProperty().get();
        assertTrue(setup != null, pane.statusProperty().get());
        assertEquals(List.of(setup.warning()), lines(allowed.err()));
        pane.dropImage(ImagePayload.of(new float[setup.shape().size()], setup.shape(), -1, "blank"));
        assertTrue(pane.resultProperty().get() != null, dialogs.errors.toString());

        pane.allowStaleProperty().set(false);
        assertEquals(null, pane.setupProperty().get());
        assertEquals("error: " + pane.statusProperty().get(), lines(refused.err()).get(0));
    }

    @Test
    void deployOnTheUnchangedDemoSaysNothingAboutStaleness(@TempDir Path tmp) throws Exception {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        CliRun r = CliRun.of("deploy", "--workspace", ws.toString(), "--seed", "1", image);
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
    }

    @Test
    void evaluateRefusesTheRetrainedWorkspaceBeforeAnyForwardPass() throws Exception {
        Path evaluation = retrained.resolve("evaluations/fgsm-multimagnet.json");
        byte[] before = Files.readAllBytes(evaluation);
        CliRun r = CliRun.of("evaluate", "--replace", "--workspace", retrained.toString(), "--attack", "fgsm", "--chunks", "2",
                "--chunk-size", "50");
        assertEquals(2, r.exit(), r.err());
        List<String> err = lines(r.err());
        assertEquals(1, err.size(), r.err());
        assertTrue(err.get(0).startsWith("error: " + cBest(retrained, "fgsm") + ": ")
                && err.get(0).contains("ae-03 (member 3) changed") && err.get(0).contains("--allow-stale"), err.get(0));
        assertFalse(r.err().contains("forward passes"), r.err());
        assertArrayEquals(before, Files.readAllBytes(evaluation), "no evaluation written");
    }

    /**
     * Model bytes replaced behind their manifest's back: loading ae-03 would fail on its checksum, so the staleness
     * line (not the loader's) shows the check ran before any model was loaded, and under --allow-stale the loader's
     * error shows the gate let the command through.
     */
    @Test
    void evaluateChecksBeforeLoadingModelsAndAllowStaleGoesOn(@TempDir Path tmp) throws Exception {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        Files.copy(ws.resolve("models/ae-04.zip"), ws.resolve("models/ae-03.zip"), StandardCopyOption.REPLACE_EXISTING);
        CliRun refused = CliRun.of("evaluate", "--replace", "--workspace", ws.toString(), "--attack", "bim");
        assertEquals(2, refused.exit(), refused.err());
        assertTrue(refused.err().contains("calibrated with models that changed since: ae-03 (member 3) changed"),
                refused.err());
        assertFalse(refused.err().contains("recorded in ae-03.json"), refused.err());

        CliRun allowed = CliRun.of("evaluate", "--replace", "--workspace", ws.toString(), "--attack", "bim", "--allow-stale");
        List<String> err = lines(allowed.err());
        assertTrue(err.get(0).startsWith("warning: " + cBest(ws, "bim")) && err.get(0).contains("ae-03 (member 3)"),
                allowed.err());
        assertEquals(2, allowed.exit(), allowed.err());
        assertTrue(err.get(err.size() - 1).contains("recorded in ae-03.json"), allowed.err());
    }
}
