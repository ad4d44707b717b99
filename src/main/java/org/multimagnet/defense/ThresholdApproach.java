package org.multimagnet.defense;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The threshold approach set of paper §4.1.3: which threshold each member of the current ensemble compares its
 * mark with.
 */
public enum ThresholdApproach {
    /** Multiple thresholds: every member uses its own τ_i. */
    MTA("MTA") {
        @Override
        public double[] apply(double[] ensembleThresholds) {
            return ensembleThresholds.clone();
        }
    },
    /** Minimum threshold: every member uses τ = min over the members of the current ensemble only. */
    MIN_TA("minTA") {
        @Override
        public double[] apply(double[] ensembleThresholds) {
            double min = Double.POSITIVE_INFINITY;
            for (double t : ensembleThresholds) {
                min = Math.min(min, t);
            }
            double[] out = new double[ensembleThresholds.length];
            java.util.Arrays.fill(out, min);
            return out;
        }
    };

    private final String paperName;

    ThresholdApproach(String paperName) {
        this.paperName = paperName;
    }

    /**
     * The thresholds the ensemble's members compare their marks with.
     *
     * @param ensembleThresholds τ_i of the n members drawn, in ensemble order (at least one)
     * @return n thresholds in the same order, a new array
     */
    public abstract double[] apply(double[] ensembleThresholds);

    /** @return the paper's name, {@code MTA} or {@code minTA}, also the JSON form */
    @JsonValue
    public String paperName() {
        return paperName;
    }

    /** Reads the paper's name (case-insensitive; {@code MIN_TA} accepted too). */
    @JsonCreator
    public static ThresholdApproach fromPaperName(String s) {
        for (ThresholdApproach a : values()) {
            if (a.paperName.equalsIgnoreCase(s) || a.name().equalsIgnoreCase(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("threshold approach '" + s + "': expected MTA or minTA");
    }
}
