package org.multimagnet.attack;

import java.util.Map;

/**
 * Parameters of the basic iterative method (paper §2.2, Eq. 3; Table 1).
 *
 * @param epsilon    the L∞ budget ε, in (0, 1]
 * @param alpha      the step size α per iteration, in (0, 1]
 * @param iterations the number of steps, 1 to 100,000
 */
public record BimParams(double epsilon, double alpha, int iterations) {

    public BimParams {
        ParamReader.check(epsilon > 0 && epsilon <= 1, "epsilon", epsilon, "in (0, 1]");
        ParamReader.check(alpha > 0 && alpha <= 1, "alpha", alpha, "in (0, 1]");
        ParamReader.check(iterations >= 1 && iterations <= 100_000, "iterations", iterations, "in [1, 100000]");
    }

    /** @return Table 1, MNIST: ε = 0.15, α = 0.07, 50 iterations */
    public static BimParams paperMnist() {
        return new BimParams(0.15, 0.07, 50);
    }

    /** @return Table 1, CIFAR-10: ε = 0.025, α = 0.01, 1,000 iterations */
    public static BimParams paperCifar10() {
        return new BimParams(0.025, 0.01, 1000);
    }

    /** @return the paper's defaults for the setting */
    public static BimParams paper(PaperSetting setting) {
        return setting == PaperSetting.CIFAR10 ? paperCifar10() : paperMnist();
    }

    /**
     * Reads {@code epsilon} (alias {@code eps}), {@code alpha} and {@code iterations} (alias {@code iter}) from
     * text, the others from {@code defaults}.
     *
     * @throws org.multimagnet.common.UserException naming the parameter when a value is malformed, out of range or
     *                                              unknown
     */
    public static BimParams fromMap(Map<String, String> given, BimParams defaults) {
        ParamReader r = new ParamReader("bim", given, Map.of("eps", "epsilon", "iter", "iterations"));
        double epsilon = r.real("epsilon", defaults.epsilon());
        double alpha = r.real("alpha", defaults.alpha());
        int iterations = r.integer("iterations", defaults.iterations());
        return r.build(() -> new BimParams(epsilon, alpha, iterations));
    }
}
