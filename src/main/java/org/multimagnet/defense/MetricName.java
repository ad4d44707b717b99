package org.multimagnet.defense;

/**
 * The metric set M of the file C (paper §4.1.1): me ∈ {RE, JSD}.
 */
public enum MetricName {
    /** Reconstruction error, paper Eq. 1 with p = 1 ({@link ReconstructionError}). */
    RE,
    /** Jensen-Shannon divergence of F's softened outputs, paper Eq. 6 and 7 ({@link JensenShannonDivergence}). */
    JSD;

    /**
     * The metric with the given temperature.
     *
     * @param temperature k ≥ 1 of Eq. 7; ignored by RE, which does not look at F
     * @return the metric
     */
    public Metric withTemperature(double temperature) {
        return this == RE ? ReconstructionError.INSTANCE : new JensenShannonDivergence(temperature);
    }

    /** @return whether the metric depends on the temperature (only JSD does) */
    public boolean usesTemperature() {
        return this == JSD;
    }
}
