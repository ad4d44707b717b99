package org.multimagnet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;

/** An independent μ and σ over the protocol's chunks, to check a recorded {@code {mean, std}} against. */
public final class ChunkStatistics {
    private ChunkStatistics() {
    }

    /**
     * Asserts that {@code recorded} holds μ and the population σ of the defined (non-NaN) values.
     *
     * @param what names the score in a failure
     */
    public static void assertMeanStd(double[] values, JsonNode recorded, double tolerance, String what) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        double mean = sum / n;
        double sq = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sq += (v - mean) * (v - mean);
            }
        }
        assertEquals(mean, recorded.get("mean").asDouble(), tolerance, what + " μ");
        assertEquals(Math.sqrt(sq / n), recorded.get("std").asDouble(), tolerance, what + " σ");
    }
}
