package org.multimagnet.attack;

import java.util.Arrays;
import java.util.Objects;
import org.multimagnet.common.Cancellation;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The basic iterative method, untargeted (Kurakin et al. 2017; paper §2.2, Eq. 3):
 * {@code x_{i+1} = clip_{x,ε}(x_i + α·sign(∇_x J(x_i, y)))}, starting at {@code x_0 = x}, projected onto the
 * ε-ball and [0,1] after every step, for a fixed number of steps; y is the label the attack moves away from (F's
 * prediction on x by default, {@link AttackLabels}).
 */
public final class Bim extends FixedEpsilonAttack {
    private final BimParams params;

    /** @param params ε, α and the number of iterations */
    public Bim(BimParams params) {
        this.params = Objects.requireNonNull(params, "params");
    }

    @Override
    public String name() {
        return "bim";
    }

    @Override
    public BimParams params() {
        return params;
    }

    @Override
    public double epsilon() {
        return params.epsilon();
    }

    @Override
    protected Perturbation perturb(Classifier f, float[] x0, int n, int[] labels, Cancellation cancel) {
        INDArray y = Tensors.oneHot(labels, f.classCount());
        float alpha = (float) params.alpha();
        float[] x = x0.clone();
        for (int it = 0; it < params.iterations(); it++) {
            cancel.throwIfCancelled();
            float[] g = Tensors.floats(f.gradient(Tensors.images(x, n, f.inputShape()), y, null).gradient());
            for (int j = 0; j < x.length; j++) {
                x[j] += alpha * Math.signum(g[j]);
            }
            enforceBounds(x, x0);
        }
        int[] iterations = new int[n];
        Arrays.fill(iterations, params.iterations());
        return new Perturbation(x, iterations);
    }
}
