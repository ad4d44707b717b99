package org.multimagnet.defense;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Per-member marks and votes of deployed images as CSV, one row per (image, member): what the Deployment pane
 * exports for one decided image and for a stream run. Marks and thresholds are written with full precision, so a
 * reader can check every vote (mark ≤ threshold ⇔ legitimate, paper §4.2.2).
 */
public final class DecisionCsv {
    /** The header row. */
    public static final String HEADER = "image,origin,truth,seed,ensembleSize,member,mark,threshold,vote,verdict,"
            + "prediction,reformer,reformedPrediction";

    private DecisionCsv() {
    }

    /**
     * One member's vote on one image.
     *
     * @param image              the image's number in the export (0 for a single image)
     * @param origin             where the image came from, e.g. "bim #4 (adversarial)" or a file name
     * @param truth              "legitimate", "adversarial" or "" when unknown
     * @param seed               the seed that drew the ensemble
     * @param ensembleSize       n
     * @param member             the member's id in S
     * @param mark               its mark
     * @param threshold          its threshold
     * @param legitimate         its vote
     * @param verdict            the ensemble's verdict: legitimate or not
     * @param prediction         F's class on the image, or -1 when not known
     * @param reformer           the member that reformed the image, or -1 when it was rejected
     * @param reformedPrediction F's class on the reformed image, or -1
     */
    public record Row(int image, String origin, String truth, long seed, int ensembleSize, int member, double mark,
                      double threshold, boolean legitimate, boolean verdict, int prediction, int reformer,
                      int reformedPrediction) {

        /** @return the row as CSV (the origin quoted) */
        public String toCsv() {
            return image + "," + quote(origin) + "," + truth + "," + seed + "," + ensembleSize + "," + member + ","
                    + mark + "," + threshold + "," + word(legitimate) + "," + word(verdict) + "," + prediction + ","
                    + reformer + "," + reformedPrediction;
        }
    }

    /** Writes {@code rows} under the header to {@code file} (replaced). */
    public static void write(Path file, List<Row> rows) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.write('\n');
            for (Row r : rows) {
                w.write(r.toCsv());
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String word(boolean legitimate) {
        return legitimate ? "legitimate" : "adversarial";
    }

    static String quote(String s) {
        String v = s == null ? "" : s;
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }
}
