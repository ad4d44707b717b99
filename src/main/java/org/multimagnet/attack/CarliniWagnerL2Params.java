package org.multimagnet.attack;

import java.util.Map;

/**
 * Parameters of the Carlini-Wagner L2 attack (paper §2.2, Eq. 5; Table 1; Carlini and Wagner 2017).
 *
 * @param kappa             the confidence κ ≥ 0 (at most 1,000): success needs {@code max_{i≠y} Z_i − Z_y ≥ κ}
 * @param learningRate      Adam's learning rate on the tanh-space variable w, in (0, 100]
 * @param c0                the initial constant c weighting the classification term, in (0, 1e10)
 * @param binarySearchSteps how many values of c to try per image, 1 to 100
 * @param maxIterations     Adam steps per value of c, 1 to 100,000
 */
public record CarliniWagnerL2Params(double kappa, double learningRate, double c0, int binarySearchSteps,
                                    int maxIterations) {

    public CarliniWagnerL2Params {
        ParamReader.check(kappa >= 0 && kappa <= 1000, "kappa", kappa, "in [0, 1000]");
        ParamReader.check(learningRate > 0 && learningRate <= 100, "learningRate", learningRate, "in (0, 100]");
        ParamReader.check(c0 > 0 && c0 < 1e10, "c0", c0, "in (0, 1e10)");
        ParamReader.check(binarySearchSteps >= 1 && binarySearchSteps <= 100, "binarySearchSteps", binarySearchSteps,
                "in [1, 100]");
        ParamReader.check(maxIterations >= 1 && maxIterations <= 100_000, "maxIterations", maxIterations,
                "in [1, 100000]");
    }

    /** @return Table 1, MNIST: κ = 0, lr 0.2, c₀ = 10, 1 binary-search step, 100 iterations */
    public static CarliniWagnerL2Params paperMnist() {
        return new CarliniWagnerL2Params(0, 0.2, 10, 1, 100);
    }

    /** @return Table 1, CIFAR-10: κ = 0, lr 0.5, c₀ = 1, 1 binary-search step, 100 iterations */
    public static CarliniWagnerL2Params paperCifar10() {
        return new CarliniWagnerL2Params(0, 0.5, 1, 1, 100);
    }

    /** @return the paper's defaults for the setting */
    public static CarliniWagnerL2Params paper(PaperSetting setting) {
        return setting == PaperSetting.CIFAR10 ? paperCifar10() : paperMnist();
    }

    /**
     * Reads {@code kappa} (alias {@code confidence}), {@code learningRate} ({@code lr}), {@code c0},
     * {@code binarySearchSteps} ({@code steps}) and {@code maxIterations} ({@code iter}) from text, the others from
     * {@code defaults}.
     *
     * @throws org.multimagnet.common.UserException naming the parameter when a value is malformed, out of range or
     *                                              unknown
     */
    public static CarliniWagnerL2Params fromMap(Map<String, String> given, CarliniWagnerL2Params defaults) {
        ParamReader r = new ParamReader("cw", given, Map.of("confidence", "kappa", "lr", "learningRate",
                "steps", "binarySearchSteps", "iter", "maxIterations"));
        double kappa = r.real("kappa", defaults.kappa());
        double learningRate = r.real("learningRate", defaults.learningRate());
        double c0 = r.real("c0", defaults.c0());
        int binarySearchSteps = r.integer("binarySearchSteps", defaults.binarySearchSteps());
        int maxIterations = r.integer("maxIterations", defaults.maxIterations());
        return r.build(() -> new CarliniWagnerL2Params(kappa, learningRate, c0, binarySearchSteps, maxIterations));
    }
}
