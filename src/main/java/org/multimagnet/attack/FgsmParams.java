package org.multimagnet.attack;

import java.util.Map;

/**
 * Parameters of the fast gradient sign method (paper §2.2, Eq. 2; Table 1).
 *
 * @param epsilon the L∞ budget ε, in (0, 1] (pixels are in [0,1])
 */
public record FgsmParams(double epsilon) {

    public FgsmParams {
        ParamReader.check(epsilon > 0 && epsilon <= 1, "epsilon", epsilon, "in (0, 1]");
    }

    /** @return Table 1, MNIST: ε = 0.2 */
    public static FgsmParams paperMnist() {
        return new FgsmParams(0.2);
    }

    /** @return Table 1, CIFAR-10: ε = 0.025 */
    public static FgsmParams paperCifar10() {
        return new FgsmParams(0.025);
    }

    /** @return the paper's defaults for the setting */
    public static FgsmParams paper(PaperSetting setting) {
        return setting == PaperSetting.CIFAR10 ? paperCifar10() : paperMnist();
    }

    /**
     * Reads {@code epsilon} (alias {@code eps}) from text, other values from {@code defaults}.
     *
     * @throws org.multimagnet.common.UserException naming the parameter when a value is malformed, out of range or
     *                                              unknown
     */
    public static FgsmParams fromMap(Map<String, String> given, FgsmParams defaults) {
        ParamReader r = new ParamReader("fgsm", given, Map.of("eps", "epsilon"));
        double epsilon = r.real("epsilon", defaults.epsilon());
        return r.build(() -> new FgsmParams(epsilon));
    }
}
