package org.multimagnet.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.multimagnet.ui.attack.AttackViewModel;
import org.multimagnet.ui.attack.EngineAttackService;
import org.multimagnet.ui.common.DefaultComputeExecutor;
import org.multimagnet.ui.common.ImagePayload;
import org.multimagnet.ui.common.WorkspaceModel;
import org.multimagnet.ui.dataset.DatasetViewModel;
import org.multimagnet.ui.dataset.EngineDatasetService;
import org.multimagnet.ui.deployment.DeploymentService;
import org.multimagnet.ui.deployment.DeploymentViewModel;
import org.multimagnet.ui.deployment.EngineDeploymentService;

/**
 * The ViewModels over the real engine and a real workspace: {@code workspaces/demo-mnist} when it exists, or the
 * folder given by {@code -Dui.workspace=...}. Skipped when there is none (a fresh checkout before training).
 */
class EngineWorkspaceTest {
    private final RecordingDialogs dialogs = new RecordingDialogs();
    private final DefaultComputeExecutor sync = DefaultComputeExecutor.synchronous();

    @org.junit.jupiter.api.io.TempDir
    Path tmp;

    /** A copy of the workspace, so that the tests never write into the committed demo. */
    private Path workspace() throws java.io.IOException {
        Path p = Path.of(System.getProperty("ui.workspace", "workspaces/demo-mnist"));
        if (!Files.isRegularFile(p.resolve("workspace.json"))) {
            return null;
        }
        return org.multimagnet.TestWorkspaces.copy(p, tmp);
    }

    @Test
    void deploymentVotesMatchMarksAndThresholds() throws Exception {
        Path ws = workspace();
        assumeTrue(ws != null && Files.isDirectory(ws.resolve("calibration")), "no calibrated workspace");
        DatasetViewModel data = new DatasetViewModel(new EngineDatasetService(), sync, dialogs);
        data.sourceProperty().set("sample:mnist");
        data.load();
        DeploymentViewModel vm = new DeploymentViewModel(new EngineDeploymentService(), sync, dialogs,
                new WorkspaceModel(ws), 5L);
        vm.ensureOpen();
        assertNotNull(vm.setupProperty().get(), vm.statusProperty().get());
        ImagePayload img = data.payload(data.summaryProperty().get().size() - 1);
        for (int n : new int[] {1, 3, 5}) {
            vm.ensembleSizeProperty().set(n);
            vm.dropImage(img);
            DeploymentService.Result r = vm.resultProperty().get();
            assertEquals(n, r.members().size(), dialogs.errors.toString());
            for (DeploymentService.MemberVote v : r.members()) {
                assertEquals(v.mark() <= v.threshold(), v.legitimate(), "member " + v.id());
                assertEquals(784, v.reconstruction().length);
            }
            assertEquals(r.legitimateVotes() > n - r.legitimateVotes(), r.legitimate());
            assertEquals(r.legitimate(), r.reformed() != null);
        }
        // opened on "drawn": n is drawn per image from C_best's sizes, as deploy and the protocol draw it
        assertEquals(DeploymentService.DRAWN, vm.setupProperty().get().defaultSize());
        assertEquals(DeploymentService.DRAWN, vm.setupProperty().get().ensembleSizes().get(0));
        vm.ensembleSizeProperty().set(DeploymentService.DRAWN);
        java.util.Set<Integer> drawnSizes = new java.util.TreeSet<>();
        for (long k = 0; k < 12; k++) {
            vm.seedProperty().set(k);
            vm.classify();
            drawnSizes.add(vm.resultProperty().get().members().size());
        }
        assertTrue(java.util.Set.of(3, 5, 7, 9).containsAll(drawnSizes) && drawnSizes.size() > 1, drawnSizes.toString());
        // the same seed draws the same ensemble; "Draw again" may draw another
        long seed = vm.seedProperty().get();
        vm.classify();
        var first = vm.resultProperty().get().members().stream().map(DeploymentService.MemberVote::id).toList();
        vm.seedProperty().set(seed);
        vm.classify();
        assertEquals(first, vm.resultProperty().get().members().stream().map(DeploymentService.MemberVote::id).toList());
    }

    @Test
    void deploymentRefusesToDecideWithACalibrationMadeWithOtherModels() throws Exception {
        Path ws = workspace();
        assumeTrue(ws != null && Files.isDirectory(ws.resolve("calibration")), "no calibrated workspace");
        WorkspaceModel model = new WorkspaceModel(ws);
        DeploymentViewModel vm = new DeploymentViewModel(new EngineDeploymentService(), sync, dialogs, model, 5L);
        vm.ensureOpen();
        DeploymentService.Setup setup = vm.setupProperty().get();
        assertNotNull(setup, vm.statusProperty().get());
        vm.dropImage(ImagePayload.of(new float[setup.shape().size()], setup.shape(), -1, "blank"));
        assertNotNull(vm.resultProperty().get(), dialogs.errors.toString());

        // a member changes while the pane holds the models: the next decision is refused, not made with old thresholds
        Path ae03 = ws.resolve("models/ae-03.zip");
        byte[] original = Files.readAllBytes(ae03);
        Files.copy(ws.resolve("models/ae-04.zip"), ae03, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        vm.resultProperty().set(null);
        vm.classify();
        assertEquals(null, vm.resultProperty().get());
        assertEquals(1, dialogs.errors.size(), dialogs.errors.toString());
        String shown = vm.statusProperty().get();
        assertTrue(shown.contains("cbest.json: calibrated with models that changed since: ae-03 (member 3) changed")
                && shown.contains("Calibration pane"), shown);

        model.touch(); // what a pane that wrote an artifact does: the models are asked for again
        vm.ensureOpen();
        assertEquals(null, vm.setupProperty().get());
        assertTrue(vm.statusProperty().get().contains("ae-03 (member 3)"), vm.statusProperty().get());

        Files.write(ae03, original);
        model.touch();
        vm.ensureOpen();
        assertNotNull(vm.setupProperty().get(), vm.statusProperty().get());
        vm.classify();
        assertNotNull(vm.resultProperty().get(), dialogs.errors.toString());
    }

    /** The pane shows, and stars, the C_best of each defense: MultiMagNet's and MagNet's. */
    @Test
    void storedCalibrationShowsTheCBestOfEachDefense() {
        var outcome = new org.multimagnet.ui.calibration.EngineCalibrationService()
                .stored(org.multimagnet.TestWorkspaces.DEMO, "cw").orElseThrow();
        assertEquals("MultiMagNet, n ∈ {3,5,7,9}", outcome.best().ensemble());
        assertEquals(1, outcome.otherBests().size());
        var magnet = outcome.otherBests().get(0);
        assertEquals("MagNet, n = 1", magnet.ensemble());
        assertTrue(outcome.cells().contains(magnet), "MagNet's C_best is one of the grid's cells");
    }

    @Test
    void smallFgsmAttackOnTheWorkspaceClassifier() throws Exception {
        Path ws = workspace();
        assumeTrue(ws != null && Files.isRegularFile(ws.resolve("models/classifier.zip")), "no trained classifier");
        AttackViewModel vm = new AttackViewModel(new EngineAttackService(), sync, dialogs, new WorkspaceModel(ws));
        vm.attackProperty().set("fgsm");
        assertEquals("0.2", vm.params().get("epsilon"));
        vm.countProperty().set(10);
        vm.splitProperty().set("validation");
        vm.seedProperty().set(3);
        // the workspace holds V_atk of fgsm: the pane asks, and "Save in scratch" leaves it as it is
        byte[] held = Files.readAllBytes(ws.resolve("attacks/fgsm-validation/images.idx"));
        dialogs.answers.add(org.multimagnet.ui.common.ReplaceQuestion.SCRATCH);
        vm.generate();
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
        assertEquals(1, dialogs.questions.size());
        assertTrue(dialogs.questions.get(0).contains("V_atk of fgsm (1,000 images"), dialogs.questions.get(0));
        assertTrue(java.util.Arrays.equals(held, Files.readAllBytes(ws.resolve("attacks/fgsm-validation/images.idx"))));
        var run = vm.runProperty().get();
        assertTrue(run.savedTo().startsWith(ws.resolve("scratch")), run.savedTo().toString());
        assertEquals(10, run.size());
        for (int i = 0; i < 10; i++) {
            // FGSM moves every pixel by at most ε and stays in [0,1]
            assertTrue(run.linf()[i] <= 0.2 + 1e-6, "L∞ " + run.linf()[i]);
        }
        assertTrue(Files.isRegularFile(run.savedTo().resolve("manifest.json")));
    }

    /**
     * The Attack pane's adaptive attack over the real engine: within its budget, F's class and the verdict those of
     * the returned image (scored again here over every draw), and a bad setting named before any model is read.
     */
    @Test
    void adaptiveAttackOnOneImageIsScoredOverEveryDraw() throws Exception {
        Path ws = workspace();
        assumeTrue(ws != null && Files.isDirectory(ws.resolve("calibration")), "no calibrated workspace");
        EngineAttackService service = new EngineAttackService();
        var d = org.multimagnet.workspace.Workspace.open(ws).dataset();
        int src = d.size() - 1;
        float[] image = java.util.Arrays.copyOfRange(d.pixels(), src * 784, (src + 1) * 784);
        int label = d.labels()[src];
        var request = new org.multimagnet.ui.attack.AttackService.AdaptiveRequest("magnet", "all-members", "l2", 2.0,
                5, 8, 1);
        java.util.List<Long> steps = new java.util.ArrayList<>();
        var r = service.adaptiveOne(ws, request, image, d.shape(), label, (done, total, m) -> steps.add(done),
                new org.multimagnet.common.Cancellation());
        assertTrue(r.l2() <= 2.0 + 1e-4, "within ε: " + r.l2());
        assertTrue(steps.size() >= 5, "progress step by step: " + steps);
        assertEquals(java.util.List.of(1), r.sizes(), "MagNet draws one member");
        var store = new org.multimagnet.workspace.ModelStore(ws);
        var f = store.loadClassifier();
        var s = store.loadAutoencoders();
        var c = new org.multimagnet.workspace.CalibrationStore(ws).current(null,
                org.multimagnet.defense.DefenseKind.MAGNET);
        var x = org.nd4j.linalg.factory.Nd4j.create(r.adversarial(), d.shape().batch(1));
        var again = org.multimagnet.experiment.AdaptiveEvaluation.of(f, s, c, java.util.List.of(1),
                org.nd4j.linalg.factory.Nd4j.create(image, d.shape().batch(1)), x, new int[] {label},
                org.multimagnet.common.ProgressListener.NONE, org.multimagnet.common.Cancellation.NEVER);
        assertEquals(again.acceptance()[0], r.accepted(), 1e-12);
        assertEquals(again.robustAccuracy()[0], r.defended(), 1e-12);
        assertEquals(org.multimagnet.experiment.AdaptiveAttack.predictions(f, x)[0], r.after());
        // the share of MagNet's ten members that accept it is a multiple of 1/10
        assertEquals(Math.round(r.accepted() * 10) / 10.0, r.accepted(), 1e-12);

        var bad = new org.multimagnet.ui.attack.AttackService.AdaptiveRequest("both", "all-members", "l2", 2.0, 5, 8,
                1);
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.multimagnet.common.UserException.class,
                () -> service.adaptiveOne(ws, bad, image, d.shape(), label, (a, b, m) -> { },
                        new org.multimagnet.common.Cancellation()));
        assertEquals("defense both: expected magnet or multimagnet", e.getMessage());
    }
}
