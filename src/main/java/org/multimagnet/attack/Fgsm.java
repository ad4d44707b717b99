package org.multimagnet.attack;

import java.util.Objects;
import org.multimagnet.common.Cancellation;
import org.multimagnet.nn.Classifier;

/**
 * The fast gradient sign method, untargeted (Goodfellow et al. 2015; paper §2.2, Eq. 2):
 * {@code x' = clip_[0,1](x + ε·sign(∇_x J(x, y)))}, with J the cross-entropy of F at the label y the attack moves
 * away from: F's prediction on x by default, else the true label ({@link AttackLabels}).
 *
 * <p>The paper's Eq. 2 writes {@code x − ε·sign(∇J)}, the targeted form (descending the loss of a target class);
 * the untargeted attack the paper runs ascends the loss of y, hence the plus sign.
 */
public final class Fgsm extends FixedEpsilonAttack {
    private final FgsmParams params;

    /** @param params ε */
    public Fgsm(FgsmParams params) {
        this.params = Objects.requireNonNull(params, "params");
    }

    @Override
    public String name() {
        return "fgsm";
    }

    @Override
    public FgsmParams params() {
        return params;
    }

    @Override
    public double epsilon() {
        return params.epsilon();
    }

    @Override
    protected Perturbation perturb(Classifier f, float[] x0, int n, int[] labels, Cancellation cancel) {
        float[] g = Tensors.floats(f.gradient(Tensors.images(x0, n, f.inputShape()),
                Tensors.oneHot(labels, f.classCount()), null).gradient());
        float[] x = new float[x0.length];
        float eps = (float) params.epsilon();
        for (int j = 0; j < x.length; j++) {
            x[j] = x0[j] + eps * Math.signum(g[j]);
        }
        enforceBounds(x, x0);
        int[] iterations = new int[n];
        java.util.Arrays.fill(iterations, 1);
        return new Perturbation(x, iterations);
    }
}
