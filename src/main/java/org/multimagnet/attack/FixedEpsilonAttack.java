package org.multimagnet.attack;

/**
 * Base of the attacks with a fixed L∞ budget ε (FGSM, BIM): every step and the final image are projected onto
 * {@code [x0 − ε, x0 + ε] ∩ [0, 1]}.
 */
public abstract class FixedEpsilonAttack extends AttackTemplate {

    FixedEpsilonAttack() {
    }

    /** @return the L∞ budget ε, in (0, 1] */
    public abstract double epsilon();

    /**
     * Projects onto the ε-ball around {@code x0} intersected with [0,1]. The bounds are computed in double and the
     * result rounded towards {@code x0}, so that {@code |x − x0| ≤ ε} holds exactly for the stored float32 values
     * (a plain float clamp can overshoot ε by one ulp).
     */
    @Override
    protected final void enforceBounds(float[] x, float[] x0) {
        double eps = epsilon();
        for (int j = 0; j < x.length; j++) {
            double lo = Math.max(0.0, x0[j] - eps);
            double hi = Math.min(1.0, x0[j] + eps);
            float v = x[j];
            if (Float.isNaN(v)) {
                throw new IllegalStateException(name() + ": the perturbation produced NaN at position " + j);
            }
            if (v > hi) {
                v = (float) hi;
                if (v > hi) {
                    v = Math.nextDown(v);
                }
            } else if (v < lo) {
                v = (float) lo;
                if (v < lo) {
                    v = Math.nextUp(v);
                }
            }
            x[j] = v;
        }
    }
}
