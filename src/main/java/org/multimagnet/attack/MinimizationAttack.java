package org.multimagnet.attack;

/**
 * Base of the attacks that look for a small perturbation rather than spend a fixed budget (DeepFool,
 * Carlini-Wagner L2): the only constraint enforced is the [0,1] box.
 */
public abstract class MinimizationAttack extends AttackTemplate {

    MinimizationAttack() {
    }

    /** Clips to [0,1] in place; {@code x0} is not needed for a box constraint. */
    @Override
    protected final void enforceBounds(float[] x, float[] x0) {
        for (int j = 0; j < x.length; j++) {
            if (Float.isNaN(x[j])) {
                throw new IllegalStateException(name() + ": the perturbation produced NaN at position " + j);
            }
        }
        clip01(x);
    }
}
