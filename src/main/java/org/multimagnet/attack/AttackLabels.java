package org.multimagnet.attack;

import java.util.Locale;
import org.multimagnet.common.UserException;

/**
 * Which label an untargeted attack moves each image away from, and against which its success is decided. Either
 * way every image is attacked, and the labels stored with an attack set stay the true ones (F's accuracy on D_atk,
 * paper Table 6, is scored against them).
 */
public enum AttackLabels {
    /**
     * F's own prediction on the clean image, from a fresh forward pass: what ART does when given no labels, as the
     * paper's authors ran it (docs/method.md, Attacks), and the paper's own definition of a successful attack,
     * {@code F(x) ≠ F(x')} (§2.3). An image F misclassifies is pushed away from its wrong class.
     */
    PREDICTED,
    /**
     * The true label: what ART does when given labels. An image F misclassifies is attacked too, although F is
     * already wrong on it; an attack that stops as soon as F leaves the label (DeepFool) returns it unchanged.
     */
    TRUE;

    /** @return the lower-case name used on the command line and in manifests */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code predicted} or {@code true} (any case).
     *
     * @param option the option or field the value came from, named in the error
     * @param value  the text
     * @throws UserException naming the option, the value and the expected ones
     */
    public static AttackLabels parse(String option, String value) {
        for (AttackLabels l : values()) {
            if (value != null && l.id().equalsIgnoreCase(value.trim())) {
                return l;
            }
        }
        throw new UserException(option + " '" + value + "': expected predicted or true");
    }
}
