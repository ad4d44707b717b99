package org.multimagnet.defense;

import java.util.Arrays;
import java.util.List;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.multimagnet.nn.NativeArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runs the forward passes of paper §4.1.1 / §4.2.2 in batches: F on x once, and for each member a(x), its
 * reconstruction error and F on a(x). Everything the metrics need afterwards comes from the returned
 * {@link Observations}, so a whole calibration grid costs these passes and no more.
 */
public final class Observer {
    /** Images per forward pass: big enough for vectorised kernels, small enough for CIFAR-10 batches. */
    public static final int DEFAULT_BATCH = 500;

    private Observer() {
    }

    /**
     * Observes {@code x} through F and every member.
     *
     * @param f                    the application classifier
     * @param members              the members to observe (a whole repository S, or one ensemble)
     * @param x                    {@code [N, C, H, W]} images in [0,1] matching F's and the members' input shape
     * @param batchSize            images per forward pass, at least 1
     * @param keepReconstructions  whether to keep every a_i(x) (costs n·N images of memory)
     * @param progress             told after each batch of each member
     * @param cancellation         checked between batches
     * @return the observations, members in the order given
     */
    public static Observations observe(Classifier f, List<? extends Autoencoder> members, INDArray x, int batchSize,
                                       boolean keepReconstructions, ProgressListener progress,
                                       Cancellation cancellation) {
        checkInput(f, members, x, batchSize);
        int count = (int) x.size(0);
        int n = members.size();
        int k = f.classCount();
        long total = (long) (n + 1) * count;
        long done = 0;
        INDArray logitsX = Nd4j.create(DataType.FLOAT, count, k);
        for (int start = 0; start < count; start += batchSize) {
            cancellation.throwIfCancelled();
            int end = Math.min(count, start + batchSize);
            logitsX.put(new INDArrayIndex[] {NDArrayIndex.interval(start, end), NDArrayIndex.all()}, f.logits(slice(x, start, end)).castTo(DataType.FLOAT));
            done += end - start;
            progress.progress(done, total, "F on x");
        }
        INDArray logitsReconstructed = Nd4j.create(DataType.FLOAT, n, count, k);
        double[][] re = new double[n][count];
        INDArray[] kept = keepReconstructions ? new INDArray[n] : null;
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            Autoencoder a = members.get(i);
            ids[i] = a.id();
            if (kept != null) {
                kept[i] = Nd4j.create(DataType.FLOAT, x.shape());
            }
            for (int start = 0; start < count; start += batchSize) {
                cancellation.throwIfCancelled();
                int end = Math.min(count, start + batchSize);
                INDArray batch = slice(x, start, end);
                INDArray r = a.reconstruct(batch);
                if (!Arrays.equals(r.shape(), batch.shape())) {
                    throw new IllegalStateException("autoencoder " + a.id() + " returned " + Arrays.toString(r.shape())
                            + " for input " + Arrays.toString(batch.shape()));
                }
                double[] batchRe = ReconstructionError.of(batch, r).toDoubleVector();
                System.arraycopy(batchRe, 0, re[i], start, end - start);
                INDArray z = f.logits(r).castTo(DataType.FLOAT);
                logitsReconstructed.put(new INDArrayIndex[] {NDArrayIndex.point(i),
                        NDArrayIndex.interval(start, end), NDArrayIndex.all()}, z);
                if (kept != null) {
                    kept[i].put(rows(start, end), r.castTo(DataType.FLOAT));
                }
                if (r != batch && r != x) { // new arrays by contract; copied where needed
                    NativeArrays.release(r, z); // their memory serves the next batch (NativeArrays)
                }
                done += end - start;
                progress.progress(done, total, "member " + a.id());
            }
        }
        return new Observations(ids, logitsX, logitsReconstructed, re, kept);
    }

    private static void checkInput(Classifier f, List<? extends Autoencoder> members, INDArray x, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        long[] expected = f.inputShape().batch(x.rank() == 4 ? x.size(0) : 0);
        if (x.rank() != 4 || !Arrays.equals(x.shape(), expected)) {
            throw new IllegalArgumentException("x must be " + Arrays.toString(f.inputShape().batch(-1)).replace("-1", "N")
                    + " for F, got " + Arrays.toString(x.shape()));
        }
        if (x.size(0) < 1) {
            throw new IllegalArgumentException("x holds no image");
        }
        for (Autoencoder a : members) {
            if (!a.inputShape().equals(f.inputShape())) {
                throw new IllegalArgumentException("autoencoder " + a.id() + " takes " + a.inputShape()
                        + " images but F takes " + f.inputShape());
            }
        }
    }

    private static INDArray slice(INDArray x, int start, int end) {
        if (start == 0 && end == x.size(0)) {
            return x;
        }
        return x.get(rows(start, end)).dup();
    }

    private static INDArrayIndex[] rows(int start, int end) {
        return new INDArrayIndex[] {NDArrayIndex.interval(start, end), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all()};
    }
}
