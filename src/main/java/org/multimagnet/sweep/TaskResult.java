package org.multimagnet.sweep;

import java.util.Map;
import org.multimagnet.experiment.MeanStd;

/**
 * What a finished task records in {@code runs/<id>/result.json}.
 *
 * @param id          the task's id
 * @param task        the task as listed
 * @param metrics     the protocol's scores, μ and σ over its chunks (fractions in [0,1]): accuracy, detectionRate
 *                    (Eq. 9's PPV), acceptanceRate (NPV), falsePositiveRate (legitimate images rejected), and F's
 *                    accuracy on D with no defense, behind the detector, and with the reformer (paper Table 5)
 * @param attack      the attack on D_leg: successRate, accuracyBefore, accuracyAfter, meanL2, maxLinf, and on
 *                    V_leg: validationSuccessRate
 * @param calibration the C_best the task calibrated: its combination, ACC on V, ensemble sizes
 * @param provenance  how it was made: program version, ND4J backend, Java, the models' SHA-256, times
 */
public record TaskResult(String id, SweepTask task, Map<String, MeanStd> metrics, Map<String, Double> attack,
                         Map<String, Object> calibration, Map<String, Object> provenance) {

    /** The result file's name. */
    public static final String FILE = "result.json";
}
