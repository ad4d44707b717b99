package org.multimagnet.workspace;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.multimagnet.common.AtomicFiles;
import org.multimagnet.defense.CalibrationData;
import org.multimagnet.defense.CalibrationGrid;
import org.multimagnet.defense.MetricName;

/**
 * Every mark the calibration stage computes on V = V_leg ∪ V_atk, as CSV ({@code calibrate --export-marks}), so
 * that the thresholds (§4.1.1) and the grid's votes (§4.1.3) can be recomputed outside the program.
 *
 * <p>Columns: {@code set} ({@code vleg} | {@code vatk}), {@code image} (0-based position in that set: V_leg in the
 * split's order, V_atk in the attack set's order), {@code member} (the member's id in S), {@code metric}
 * ({@code RE} | {@code JSD}), {@code T} (the temperature, empty for RE), {@code mark} (shortest decimal that reads
 * back to the same double).
 */
public final class CalibrationMarks {
    /** The header line. */
    public static final String HEADER = "set,image,member,metric,T,mark";

    private CalibrationMarks() {
    }

    /** Writes the CSV atomically: one row per (metric, T, member, image of V). */
    public static void write(Path file, CalibrationData data, CalibrationGrid grid) {
        int[] ids = data.observations().memberIds();
        int vLeg = data.vLegCount();
        AtomicFiles.write(file, out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            w.write(HEADER);
            w.newLine();
            for (MetricName metric : grid.metrics()) {
                List<Double> ks = new ArrayList<>();
                if (metric.usesTemperature()) {
                    ks.addAll(grid.temperatures());
                } else {
                    ks.add(null);
                }
                for (Double k : ks) {
                    double[][] marks = data.marks(metric, k);
                    String t = k == null ? "" : Double.toString(k);
                    for (int i = 0; i < marks.length; i++) {
                        for (int j = 0; j < marks[i].length; j++) {
                            boolean leg = j < vLeg;
                            w.write(leg ? "vleg," : "vatk,");
                            w.write(Integer.toString(leg ? j : j - vLeg));
                            w.write(',');
                            w.write(Integer.toString(ids[i]));
                            w.write(',');
                            w.write(metric.name());
                            w.write(',');
                            w.write(t);
                            w.write(',');
                            w.write(Double.toString(marks[i][j]));
                            w.newLine();
                        }
                    }
                }
            }
            w.flush();
        });
    }
}
