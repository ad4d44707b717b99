package org.multimagnet.experiment;

import java.util.List;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.Combination;

/**
 * What the calibration stage chose for one attack and one defense, as a report shows it beside the paper's Table 4.
 *
 * @param attack         the attack V_atk was made with
 * @param defense        {@code magnet} or {@code multimagnet}
 * @param combination    c_b
 * @param acc            ACC of c_b on V (Eq. 9)
 * @param detectionRate  TN/(TN+FN) on V (Eq. 9's PPV)
 * @param acceptanceRate TP/(TP+FP) on V (Eq. 9's NPV)
 * @param vLegCount      |V_leg|, the images the thresholds were taken on
 * @param vAtkCount      |V_atk|
 * @param ties           the other combinations of equal ACC (c_b is the first of them in the grid's order)
 */
public record CalibrationChoice(String attack, String defense, Combination combination, double acc,
                                double detectionRate, double acceptanceRate, int vLegCount, int vAtkCount,
                                List<Combination> ties) {

    public CalibrationChoice {
        ties = ties == null ? List.of() : List.copyOf(ties);
    }

    /** @return the choice C_best records */
    public static CalibrationChoice of(CBest c) {
        return new CalibrationChoice(c.attack(), c.defense().id(), c.combination(), c.acc(), c.ppv(), c.npv(),
                c.vLegCount(), c.vAtkCount(), c.ties());
    }
}
