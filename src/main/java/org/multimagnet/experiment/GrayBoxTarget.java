package org.multimagnet.experiment;

import java.util.ArrayList;
import java.util.List;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.defense.Combination;
import org.multimagnet.defense.Observations;
import org.multimagnet.defense.Observer;
import org.multimagnet.defense.Thresholds;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The defense as a gray-box attacker rebuilds it: it knows the recipe (architectures, training, the calibrated
 * combination c_b: metric, T, approach, t_fp, sizes) but not S, so it trains its own S′ and derives S′'s thresholds
 * with the defender's rule (paper §4.1.1: each member's marks on V_leg, sorted in descending order, taken at
 * round(t_fp·|V_leg|)) on its own V_leg. The attack then runs white-box on S′ and is scored against S.
 */
public final class GrayBoxTarget {
    private GrayBoxTarget() {
    }

    /**
     * @param f           the classifier the attacker uses (its own, or the defender's F)
     * @param sPrime      the attacker's members S′
     * @param combination the defender's c_b, whose rule is applied to S′
     * @param vLeg        {@code [N, C, H, W]} the attacker's legitimate validation images
     * @return S′'s thresholds under c_b, with the sizes S′ can hold (those of c_b up to |S′|, else the largest odd
     *         size it has)
     */
    public static AdaptiveAttack.Target derive(Classifier f, List<? extends Autoencoder> sPrime,
                                               Combination combination, INDArray vLeg, ProgressListener progress,
                                               Cancellation cancellation) {
        Observations o = Observer.observe(f, sPrime, vLeg, Observer.DEFAULT_BATCH, false, progress, cancellation);
        double t = combination.temperature() == null ? 1.0 : combination.temperature();
        double[][] marks = combination.metric().withTemperature(t).marks(o);
        double[] tau = new double[sPrime.size()];
        for (int i = 0; i < tau.length; i++) {
            tau[i] = Thresholds.threshold(marks[i], combination.falsePositiveRate());
        }
        return new AdaptiveAttack.Target(combination.metric(), t, combination.approach(), tau,
                sizesWithin(combination.ensembleSizes(), sPrime.size()));
    }

    /** The sizes of {@code sizes} that an S′ of m members can draw; the largest odd m′ ≤ m when none. */
    static List<Integer> sizesWithin(List<Integer> sizes, int m) {
        List<Integer> out = new ArrayList<>();
        for (int n : sizes) {
            if (n <= m) {
                out.add(n);
            }
        }
        if (out.isEmpty()) {
            out.add(m % 2 == 1 ? m : m - 1);
        }
        return out;
    }
}
