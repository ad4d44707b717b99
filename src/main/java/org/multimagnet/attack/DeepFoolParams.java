package org.multimagnet.attack;

import java.util.Map;

/**
 * Parameters of DeepFool, multi-class, L2 (paper §2.2; Table 1; Moosavi-Dezfooli et al. 2016, Algorithm 2).
 *
 * @param overshoot     the factor η by which the accumulated perturbation is lengthened, (1 + η)·r, in [0, 10]
 * @param maxIterations the most linearisation steps per image, 1 to 100,000
 */
public record DeepFoolParams(double overshoot, int maxIterations) {

    public DeepFoolParams {
        ParamReader.check(overshoot >= 0 && overshoot <= 10, "overshoot", overshoot, "in [0, 10]");
        ParamReader.check(maxIterations >= 1 && maxIterations <= 100_000, "maxIterations", maxIterations,
                "in [1, 100000]");
    }

    /** @return Table 1, MNIST: overshoot 0.02, at most 50 iterations */
    public static DeepFoolParams paperMnist() {
        return new DeepFoolParams(0.02, 50);
    }

    /** @return Table 1, CIFAR-10: the same as MNIST */
    public static DeepFoolParams paperCifar10() {
        return new DeepFoolParams(0.02, 50);
    }

    /** @return the paper's defaults for the setting */
    public static DeepFoolParams paper(PaperSetting setting) {
        return setting == PaperSetting.CIFAR10 ? paperCifar10() : paperMnist();
    }

    /**
     * Reads {@code overshoot} and {@code maxIterations} (alias {@code iter}) from text, the others from
     * {@code defaults}.
     *
     * @throws org.multimagnet.common.UserException naming the parameter when a value is malformed, out of range or
     *                                              unknown
     */
    public static DeepFoolParams fromMap(Map<String, String> given, DeepFoolParams defaults) {
        ParamReader r = new ParamReader("deepfool", given, Map.of("iter", "maxIterations"));
        double overshoot = r.real("overshoot", defaults.overshoot());
        int maxIterations = r.integer("maxIterations", defaults.maxIterations());
        return r.build(() -> new DeepFoolParams(overshoot, maxIterations));
    }
}
