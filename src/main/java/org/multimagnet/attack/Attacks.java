package org.multimagnet.attack;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.multimagnet.common.UserException;

/**
 * Builds an attack by name with the paper's defaults for a setting, overridden by text parameters
 * ({@code --param eps=0.1}).
 */
public final class Attacks {
    /** The names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("fgsm", "bim", "deepfool", "cw");

    private Attacks() {
    }

    /**
     * @param name    fgsm, bim, deepfool or cw (case-insensitive)
     * @param setting which column of Table 1 gives the defaults
     * @param params  parameter overrides by name (empty for the paper's values)
     * @return the attack
     * @throws UserException for an unknown attack or a bad, out-of-range or unknown parameter, naming it
     */
    public static Attack create(String name, PaperSetting setting, Map<String, String> params) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "fgsm" -> new Fgsm(FgsmParams.fromMap(params, FgsmParams.paper(setting)));
            case "bim" -> new Bim(BimParams.fromMap(params, BimParams.paper(setting)));
            case "deepfool" -> new DeepFool(DeepFoolParams.fromMap(params, DeepFoolParams.paper(setting)));
            case "cw" -> new CarliniWagnerL2(CarliniWagnerL2Params.fromMap(params,
                    CarliniWagnerL2Params.paper(setting)));
            default -> throw new UserException("unknown attack '" + name + "' (expected one of "
                    + String.join(", ", NAMES) + ")");
        };
    }
}
