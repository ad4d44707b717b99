package org.multimagnet.defense;

import java.util.List;

/**
 * What the calibration stage produces (paper §4.1.4): C_best and one row per combination (the set P).
 *
 * @param cBest  the best combination and every member's thresholds for it
 * @param rows   every combination's performance, in {@link CalibrationGrid#combinations()} order
 * @param timing forward-pass and grid times
 */
public record CalibrationResult(CBest cBest, List<GridRow> rows, CalibrationTiming timing) {
    public CalibrationResult {
        rows = List.copyOf(rows);
    }
}
