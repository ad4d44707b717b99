package org.multimagnet.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.data.ImageShape;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.nn.NetworkAutoencoder;
import org.multimagnet.nn.NetworkClassifier;
import org.multimagnet.workspace.AttackSetStore;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.ModelStore;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The per-image λ search on the demo: its first round is the single-λ attack, each image keeps its best attempt, so
 * the search never leaves an image more defended than λ0 alone; it moves λ where round one failed; everything stays
 * within ε.
 */
class AdaptiveRunTest {
    @Test
    void theSearchCanOnlyImproveOnItsFirstLambda() {
        ModelStore store = new ModelStore(TestWorkspaces.DEMO);
        NetworkClassifier f = store.loadClassifier();
        List<NetworkAutoencoder> s = store.loadAutoencoders();
        CBest c = new CalibrationStore(TestWorkspaces.DEMO).current("cw", DefenseKind.MULTIMAGNET);
        // the clean sources of the stored CW set: test images F classifies
        var set = AttackSetStore.load(TestWorkspaces.DEMO.resolve("attacks/cw-test"));
        var d = org.multimagnet.workspace.Workspace.open(TestWorkspaces.DEMO).dataset();
        int n = 8;
        float[] pixels = new float[n * 784];
        int[] labels = new int[n];
        for (int j = 0; j < n; j++) {
            int src = set.manifest().sourceIndices()[j];
            System.arraycopy(d.pixels(), src * 784, pixels, j * 784, 784);
            labels[j] = d.labels()[src];
        }
        INDArray clean = Nd4j.create(pixels, ImageShape.MNIST.batch(n));
        int[] away = AdaptiveAttack.predictions(f, clean);
        // few steps and a small budget, so that round one leaves images defended for the search to work on
        AdaptiveAttack.Settings settings = AdaptiveAttack.Settings.of(AdaptiveAttack.Threat.WHITEBOX,
                AdaptiveAttack.Norm.L2, 1.5, 4).withLambda(1);
        AdaptiveRun.Attacker attacker = AdaptiveRun.Attacker.whiteBox(f, s, c);
        AdaptiveRun.Result single = AdaptiveRun.run(attacker, f, s, c, settings, 1, clean, labels, away,
                new SplittableRandom(1), ProgressListener.NONE, Cancellation.NEVER);
        AdaptiveRun.Result searched = AdaptiveRun.run(attacker, f, s, c, settings, 3, clean, labels, away,
                new SplittableRandom(1), ProgressListener.NONE, Cancellation.NEVER);

        int moved = 0;
        for (int j = 0; j < n; j++) {
            double one = single.scored().images().get(j).defended();
            double best = searched.scored().images().get(j).defended();
            assertTrue(best <= one + 1e-12, "image " + j + ": searched " + best + " > single λ " + one);
            assertEquals(1.0, single.lambdas()[j]);
            moved += searched.lambdas()[j] != 1.0 ? 1 : 0;
            if (one <= 1e-12) {
                assertEquals(1.0, searched.lambdas()[j], "an image evading every draw at λ0 keeps λ0");
            }
        }
        assertTrue(single.scored().evaluation().robustAccuracy()[0] > 0, "round one left something to search");
        assertTrue(moved > 0, "the search moved λ on some image");
        assertTrue(searched.rounds() >= 2);
        assertTrue(searched.scored().evaluation().robustAccuracy()[0]
                <= single.scored().evaluation().robustAccuracy()[0] + 1e-12);
        INDArray delta = searched.adversarial().sub(clean).reshape(n, -1);
        for (double l2 : delta.norm2(1).toDoubleVector()) {
            assertTrue(l2 <= 1.5 + 1e-4, "within ε: " + l2);
        }
        assertTrue(searched.adversarial().minNumber().doubleValue() >= 0);
        assertTrue(searched.adversarial().maxNumber().doubleValue() <= 1);
    }
}
