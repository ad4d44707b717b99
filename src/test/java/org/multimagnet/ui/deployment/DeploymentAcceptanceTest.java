package org.multimagnet.ui.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.data.ImageShape;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.defense.Deployment;
import org.multimagnet.defense.DeploymentSettings;
import org.multimagnet.defense.Ensemble;
import org.multimagnet.defense.ExactAcceptance;
import org.multimagnet.defense.Verdict;
import org.multimagnet.nn.NetworkAutoencoder;
import org.multimagnet.nn.NetworkClassifier;
import org.multimagnet.ui.RecordingDialogs;
import org.multimagnet.ui.common.DefaultComputeExecutor;
import org.multimagnet.ui.common.ImagePayload;
import org.multimagnet.ui.common.WorkspaceModel;
import org.multimagnet.workspace.AttackSet;
import org.multimagnet.workspace.AttackSetStore;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.ModelStore;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The deployment pane's "accepted by p% of all possible ensembles of size n" for an adversarial image on the demo,
 * against a brute-force count: every ensemble of that size decided one by one by {@link Deployment}.
 */
class DeploymentAcceptanceTest {
    @TempDir
    Path tmp;

    @Test
    void acceptanceEqualsTheCountOfAcceptingEnsembles() throws Exception {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        RecordingDialogs dialogs = new RecordingDialogs();
        EngineDeploymentService service = new EngineDeploymentService();
        DeploymentViewModel vm = new DeploymentViewModel(service, DefaultComputeExecutor.synchronous(), dialogs,
                new WorkspaceModel(ws), 3L);
        vm.calibrationProperty().set("fgsm");
        vm.ensureOpen();
        ImageShape shape = vm.setupProperty().get().shape();
        // a clean test image that some ensembles of size 3 accept and others reject: the demo's fgsm evaluation
        // (evaluations/fgsm-multimagnet-marks.csv) shows these D_leg images with split votes
        AttackSet set = AttackSetStore.load(ws.resolve("attacks/fgsm-test"));
        org.multimagnet.data.Dataset data = org.multimagnet.workspace.Workspace.open(ws).dataset();
        float[] image = null;
        for (int j : new int[] {1623, 1010, 360, 1587, 216}) {
            float[] x = data.image(set.manifest().sourceIndices()[j]);
            double share = service.acceptance(x, List.of(3)).get(0).share();
            if (share > 0 && share < 1) {
                image = x;
                break;
            }
        }
        assertTrue(image != null, "none of the images with split votes has them here");

        ModelStore store = new ModelStore(ws);
        NetworkClassifier f = store.loadClassifier();
        List<NetworkAutoencoder> s = store.loadAutoencoders();
        CalibrationStore calibrations = new CalibrationStore(ws);
        for (int n : new int[] {1, 3, 9}) {
            vm.ensembleSizeProperty().set(n);
            vm.dropImage(ImagePayload.of(image, shape, -1, "fgsm"));
            List<DeploymentService.Acceptance> shown = vm.acceptanceProperty().get();
            assertEquals(1, shown.size(), dialogs.errors.toString());
            assertEquals(n, shown.get(0).n());
            CBest c = calibrations.current("fgsm", n == 1 ? DefenseKind.MAGNET : DefenseKind.MULTIMAGNET);
            Deployment d = new Deployment(f, s, DeploymentSettings.from(c).withEnsembleSize(n));
            int accepted = 0;
            List<Ensemble> all = ExactAcceptance.ensembles(s.size(), n);
            for (Ensemble r : all) {
                accepted += d.decide(Nd4j.create(image, shape.batch(1)), r, new SplittableRandom(1)).verdict()
                        == Verdict.LEGITIMATE ? 1 : 0;
            }
            assertEquals(all.size(), shown.get(0).ensembles());
            assertEquals(accepted, shown.get(0).accepting(), "n = " + n);
            String text = vm.acceptanceTextProperty().get();
            assertTrue(text.startsWith(String.format(java.util.Locale.ROOT,
                    "Accepted by %.1f%% of all possible ensembles of size %d (%d of %d)",
                    100.0 * accepted / all.size(), n, accepted, all.size())), text);
        }
        // drawn n: one figure per size the defense draws
        vm.ensembleSizeProperty().set(DeploymentService.DRAWN);
        vm.classify();
        assertEquals(List.of(3, 5, 7, 9), vm.acceptanceProperty().get().stream().map(DeploymentService.Acceptance::n)
                .toList());
        vm.resultProperty().set(null);
        assertEquals("", vm.acceptanceTextProperty().get());
    }
}
