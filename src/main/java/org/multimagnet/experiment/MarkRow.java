package org.multimagnet.experiment;

import org.multimagnet.defense.Verdict;

/**
 * One (image, member) decision of the protocol: the row of {@code evaluate --export-marks}.
 *
 * @param chunk              chunk number, 0-based
 * @param image              index of the image in D (D_leg first, then D_atk)
 * @param truth              whether the image is legitimate or adversarial
 * @param member             the member's id in S
 * @param mark               its mark (C_best's metric)
 * @param threshold          the threshold it was compared with (after the threshold approach)
 * @param vote               the member's vote: legitimate iff mark ≤ threshold
 * @param verdict            the ensemble's majority verdict on the image
 * @param ensembleSize       n of this chunk
 * @param label              the image's true class
 * @param prediction         F's class for the image as given
 * @param reformer           the id of the member that reformed the image, or 0 when it was discarded
 * @param reformedPrediction F's class for the reformed image, or -1 when it was discarded
 */
public record MarkRow(int chunk, int image, Verdict truth, int member, double mark, double threshold, Verdict vote,
                      Verdict verdict, int ensembleSize, int label, int prediction, int reformer,
                      int reformedPrediction) {

    /** The CSV header. */
    public static final String CSV_HEADER =
            "chunk,image,truth,member,mark,threshold,vote,verdict,ensembleSize,label,prediction,reformer,reformedPrediction";

    /** @return this row as CSV (marks with full precision, so a recomputation gives the same votes) */
    public String toCsv() {
        return chunk + "," + image + "," + truth.jsonName() + "," + member + "," + mark + "," + threshold + ","
                + vote.jsonName() + "," + verdict.jsonName() + "," + ensembleSize + "," + label + "," + prediction + ","
                + reformer + "," + reformedPrediction;
    }
}
