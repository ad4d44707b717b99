package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.Json;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.defense.ExactAcceptance;
import org.multimagnet.defense.Observations;
import org.multimagnet.defense.Observer;
import org.multimagnet.experiment.AdaptiveEvaluation;
import org.multimagnet.nn.NetworkAutoencoder;
import org.multimagnet.nn.NetworkClassifier;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.ModelStore;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code adaptive} on the demo: bad options refused in one line, a short run's JSON, and its exact scoring. */
class AdaptiveCommandTest {
    @Test
    void badOptionsAreRefusedInOneLine() {
        String w = TestWorkspaces.DEMO.toString();
        for (String[] args : List.of(new String[] {"--threat", "blackbox", "--eps", "0.1"},
                new String[] {"--norm", "l1", "--eps", "0.1"}, new String[] {"--eps", "-0.1"},
                new String[] {"--eps", "0.1", "--steps", "0"}, new String[] {"--eps", "0.1", "--defense", "both"})) {
            String[] full = new String[args.length + 3];
            full[0] = "adaptive";
            full[1] = "--workspace";
            full[2] = w;
            System.arraycopy(args, 0, full, 3, args.length);
            CliRun r = CliRun.of(full);
            assertEquals(2, r.exit(), r.err());
            assertEquals(1, r.err().strip().split("\n").length, r.err());
            assertTrue(r.err().startsWith("error: --"), r.err());
        }
    }

    @Test
    void aShortWhiteBoxRunStaysInItsBudget() throws Exception {
        CliRun r = CliRun.of("adaptive", "--workspace", TestWorkspaces.DEMO.toString(), "--calibration", "fgsm",
                "--threat", "whitebox", "--norm", "linf", "--eps", "0.05", "--count", "8", "--steps", "2", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode row = Json.mapper().readTree(r.out()).get("budgets").get(0);
        assertTrue(row.get("maxLinf").asDouble() <= 0.05 + 1e-6, row.toString());
        double robust = row.get("robustAccuracy").get(0).asDouble();
        assertTrue(robust >= 0 && robust <= 1, row.toString());
    }

    /** The evaluation's enumeration of every ensemble agrees with the closed-form acceptance, image by image. */
    @Test
    void acceptanceByEnumerationEqualsTheClosedForm() {
        ModelStore store = new ModelStore(TestWorkspaces.DEMO);
        NetworkClassifier f = store.loadClassifier();
        List<NetworkAutoencoder> s = store.loadAutoencoders();
        for (DefenseKind d : DefenseKind.values()) {
            CBest c = new CalibrationStore(TestWorkspaces.DEMO).current("cw", d);
            var set = org.multimagnet.workspace.AttackSetStore.load(TestWorkspaces.DEMO.resolve("attacks/cw-test"));
            int n = 40;
            INDArray adv = Nd4j.create(java.util.Arrays.copyOf(set.images(), n * 784), new long[] {n, 1, 28, 28});
            int[] labels = java.util.Arrays.copyOf(set.labels(), n);
            AdaptiveEvaluation e = AdaptiveEvaluation.of(f, s, c, c.combination().ensembleSizes(), adv, adv, labels,
                    ProgressListener.NONE, Cancellation.NEVER);
            Observations o = Observer.observe(f, s, adv, Observer.DEFAULT_BATCH, false, ProgressListener.NONE,
                    Cancellation.NEVER);
            Double t = c.combination().temperature();
            double[][] marks = c.combination().metric().withTemperature(t == null ? 1.0 : t).marks(o);
            double[] tau = new double[s.size()];
            for (int i = 0; i < s.size(); i++) {
                tau[i] = c.thresholdOf(o.memberIds()[i]);
            }
            double sum = 0;
            for (int img = 0; img < n; img++) {
                double[] m = new double[s.size()];
                for (int i = 0; i < s.size(); i++) {
                    m[i] = marks[i][img];
                }
                sum += ExactAcceptance.probability(c.combination().approach(), m, tau, c.combination().ensembleSizes());
            }
            assertEquals(sum / n, e.acceptance()[0], 1e-12, d.toString());
            assertEquals(0, e.meanL2(), 1e-12);
        }
    }
}
