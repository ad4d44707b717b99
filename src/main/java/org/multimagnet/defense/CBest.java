package org.multimagnet.defense;

import java.util.List;
import java.util.Map;

/**
 * The file C_best of paper §4.1.4: the combination c_b of highest accuracy on V and the thresholds T_b it gives
 * — for every member of S, not only n of them, because deployment draws a fresh ensemble for each image
 * (§4.2.1) and any member may be drawn.
 *
 * @param attack                  the attack V_atk was made with
 * @param combination             c_b
 * @param acc                     ACC of c_b on V (Eq. 9)
 * @param ppv                     the paper's PPV of c_b (detection rate)
 * @param npv                     the paper's NPV of c_b (acceptance rate of legitimate images)
 * @param confusion               the pooled confusion matrix of c_b (Eq. 8)
 * @param thresholds              τ_i of every member of S for (me_b, k_b, t_fp_b), in S's order
 * @param vLegCount               |V_leg|
 * @param vAtkCount               |V_atk|
 * @param seed                    seed of the ensemble draws
 * @param ensemblesPerCombination ensembles evaluated per combination
 * @param createdAt               ISO-8601 instant the calibration finished
 * @param timing                  forward-pass and grid times
 * @param inputs                  artifacts the calibration used, name → SHA-256 (filled by the workspace;
 *                                may be empty)
 * @param ties                    the other combinations of the same defense with the same accuracy on V (c_b was
 *                                taken first in the grid's order); empty when c_b is the only best
 */
public record CBest(String attack, Combination combination, double acc, double ppv, double npv,
                    ConfusionMatrix confusion, List<MemberThreshold> thresholds, int vLegCount, int vAtkCount,
                    long seed, int ensemblesPerCombination, String createdAt, CalibrationTiming timing,
                    Map<String, String> inputs, List<Combination> ties) {

    public CBest {
        if (combination == null) {
            throw new IllegalArgumentException("C_best: combination missing");
        }
        if (thresholds == null || thresholds.isEmpty()) {
            throw new IllegalArgumentException("C_best: thresholds missing, expected one per member of S");
        }
        thresholds = List.copyOf(thresholds);
        inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
        ties = ties == null ? List.of() : List.copyOf(ties);
    }

    /** C_best without ties. */
    public CBest(String attack, Combination combination, double acc, double ppv, double npv,
                 ConfusionMatrix confusion, List<MemberThreshold> thresholds, int vLegCount, int vAtkCount,
                 long seed, int ensemblesPerCombination, String createdAt, CalibrationTiming timing,
                 Map<String, String> inputs) {
        this(attack, combination, acc, ppv, npv, confusion, thresholds, vLegCount, vAtkCount, seed,
                ensemblesPerCombination, createdAt, timing, inputs, List.of());
    }

    /** @return the defense calibrated: MagNet when c_b's only ensemble size is 1 (written to JSON for readers) */
    @com.fasterxml.jackson.annotation.JsonProperty("defense")
    public DefenseKind defense() {
        return combination.defense();
    }

    /** @return the same C_best with the given input checksums */
    public CBest withInputs(Map<String, String> newInputs) {
        return new CBest(attack, combination, acc, ppv, npv, confusion, thresholds, vLegCount, vAtkCount, seed,
                ensemblesPerCombination, createdAt, timing, newInputs, ties);
    }

    /**
     * The threshold of the member with the given id.
     *
     * @throws IllegalArgumentException when C_best holds no threshold for it
     */
    public double thresholdOf(int memberId) {
        for (MemberThreshold t : thresholds) {
            if (t.id() == memberId) {
                return t.threshold();
            }
        }
        throw new IllegalArgumentException("C_best holds no threshold for autoencoder " + memberId);
    }
}
