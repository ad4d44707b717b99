package org.multimagnet.defense;

import java.util.Arrays;
import org.multimagnet.nn.ImageBatches;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reconstruction error of paper Eq. 1 with p = 1: the mean over all pixels (every channel, row and column)
 * of |x − a(x)|, as MagNet's detectors use it. Range [0, 1] for pixels in [0, 1].
 */
public final class ReconstructionError implements Metric {
    /** The one instance: RE has no parameter. */
    public static final ReconstructionError INSTANCE = new ReconstructionError();

    private ReconstructionError() {
    }

    @Override
    public MetricName name() {
        return MetricName.RE;
    }

    /** RE marks are computed with the forward passes (they need the reconstructions), so this only copies them. */
    @Override
    public double[][] marks(Observations observations) {
        double[][] re = observations.reconstructionErrors();
        double[][] copy = new double[re.length][];
        for (int i = 0; i < re.length; i++) {
            copy[i] = re[i].clone();
        }
        return copy;
    }

    /**
     * Eq. 1 (p = 1) for a batch, or for a batch against several members at once.
     *
     * @param x              {@code [N, C, H, W]} images
     * @param reconstruction {@code [N, C, H, W]} reconstructions by one member, or {@code [n, N, C, H, W]} by n members
     * @return {@code [N]}, or {@code [n, N]}: mean |x − a(x)| per image (per member), in double precision
     * @throws IllegalArgumentException when the shapes do not match
     */
    public static INDArray of(INDArray x, INDArray reconstruction) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("x must be [N, C, H, W], got " + Arrays.toString(x.shape()));
        }
        long n = x.size(0);
        long pixels = x.length() / Math.max(1, n);
        long[] xs = x.shape();
        long[] rs = reconstruction.shape();
        boolean oneMember = Arrays.equals(xs, rs);
        boolean manyMembers = rs.length == 5 && Arrays.equals(Arrays.copyOfRange(rs, 1, 5), xs);
        if (!oneMember && !manyMembers) {
            throw new IllegalArgumentException("reconstruction must be " + Arrays.toString(xs) + " or [n, "
                    + Arrays.toString(xs).substring(1) + ", got " + Arrays.toString(rs));
        }
        int members = (int) (oneMember ? 1 : rs[0]);
        int images = (int) n;
        int size = (int) pixels;
        // plain loops, summed in double precision (the grid path, large batches, and the deployment path, one
        // image, must agree closely): the five ND4J calls per member were ~0.2 ms for one image
        float[] xs32 = new float[images * size];
        float[] rs32 = new float[members * images * size];
        ImageBatches.read(x, 0, xs32, xs32.length);
        ImageBatches.read(reconstruction, 0, rs32, rs32.length);
        double[] re = new double[members * images];
        for (int m = 0; m < members; m++) {
            for (int i = 0; i < images; i++) {
                int xAt = i * size;
                int rAt = (m * images + i) * size;
                double sum = 0;
                for (int p = 0; p < size; p++) {
                    sum += Math.abs((double) rs32[rAt + p] - xs32[xAt + p]);
                }
                re[m * images + i] = sum / size;
            }
        }
        INDArray out = Nd4j.create(re, new long[] {members, images}, DataType.DOUBLE);
        return oneMember ? out.reshape(n) : out;
    }
}
