package org.multimagnet.defense;

import java.util.List;

/**
 * What the calibration stage produces (paper §4.1.4): C_best of each defense calibrated and one row per
 * combination (the set P).
 *
 * @param best   C_best of each defense: MultiMagNet's first when the grid calibrated it, then MagNet's
 * @param rows   every combination's performance, in {@link CalibrationGrid#combinations()} order
 * @param timing forward-pass and grid times
 */
public record CalibrationResult(List<CBest> best, List<GridRow> rows, CalibrationTiming timing) {
    public CalibrationResult {
        best = List.copyOf(best);
        if (best.isEmpty()) {
            throw new IllegalArgumentException("a calibration result needs at least one C_best");
        }
        rows = List.copyOf(rows);
    }

    /** @return the first C_best: MultiMagNet's, or MagNet's when the grid calibrated only MagNet */
    public CBest cBest() {
        return best.get(0);
    }

    /** @return the C_best of a defense, if this calibration made one */
    public java.util.Optional<CBest> cBest(DefenseKind defense) {
        return best.stream().filter(b -> b.defense() == defense).findFirst();
    }

    /** @return the same result with every C_best given these input checksums */
    public CalibrationResult withInputs(java.util.Map<String, String> inputs) {
        return new CalibrationResult(best.stream().map(b -> b.withInputs(inputs)).toList(), rows, timing);
    }
}
