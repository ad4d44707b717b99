package org.multimagnet.defense;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward passes every metric needs, made once over a batch of N images and n members (paper §4.1.1,
 * §4.2.2): F's logits on x, each member's reconstruction error (Eq. 1, computed while the reconstruction is at
 * hand so that large batches never hold n reconstructions at once), F's logits on each reconstruction, and,
 * only when asked for (the deployment viewer), the reconstructions themselves.
 *
 * @param memberIds            ids of the observed members, in the order of the first axis below
 * @param logitsX              {@code [N, K]} z(x)
 * @param logitsReconstructed  {@code [n, N, K]} z(a_i(x))
 * @param reconstructionErrors {@code [n][N]} Eq. 1 marks
 * @param reconstructions      {@code n} arrays {@code [N, C, H, W]}, or null when not kept
 */
public record Observations(int[] memberIds, INDArray logitsX, INDArray logitsReconstructed,
                           double[][] reconstructionErrors, INDArray[] reconstructions) {

    public Observations {
        int n = memberIds.length;
        long count = logitsX.size(0);
        if (logitsReconstructed.rank() != 3 || logitsReconstructed.size(0) != n || logitsReconstructed.size(1) != count
                || logitsReconstructed.size(2) != logitsX.size(1)) {
            throw new IllegalArgumentException("logitsReconstructed must be [" + n + ", " + count + ", "
                    + logitsX.size(1) + "], got " + Arrays.toString(logitsReconstructed.shape()));
        }
        if (reconstructionErrors.length != n) {
            throw new IllegalArgumentException("reconstructionErrors must have " + n + " rows, got "
                    + reconstructionErrors.length);
        }
        for (double[] row : reconstructionErrors) {
            if (row.length != count) {
                throw new IllegalArgumentException("reconstructionErrors rows must have " + count + " marks, got "
                        + row.length);
            }
        }
        if (reconstructions != null && reconstructions.length != n) {
            throw new IllegalArgumentException("reconstructions must have " + n + " entries, got "
                    + reconstructions.length);
        }
    }

    /** @return the number of observed images N */
    public int imageCount() {
        return (int) logitsX.size(0);
    }

    /** @return the number of observed members n */
    public int memberCount() {
        return memberIds.length;
    }
}
