package org.multimagnet.workspace;

import java.util.List;
import org.multimagnet.defense.CalibrationTiming;
import org.multimagnet.defense.GridRow;

/**
 * The content of {@code W/calibration/<attack>/grid-results.json}: every combination of the file C with its
 * ACC, PPV and NPV on V (paper §4.1.3, the set P), for the workbench's heat map.
 *
 * @param attack    the attack V_atk was made with
 * @param createdAt ISO-8601 instant the calibration finished
 * @param timing    forward-pass and grid times
 * @param rows      one row per combination, in the grid's order
 */
public record GridResults(String attack, String createdAt, CalibrationTiming timing, List<GridRow> rows) {
    public GridResults {
        rows = rows == null ? List.of() : List.copyOf(rows);
    }
}
