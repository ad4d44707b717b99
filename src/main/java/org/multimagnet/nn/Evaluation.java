package org.multimagnet.nn;

import org.multimagnet.data.Dataset;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Quality of trained models on a set of images: reconstruction errors of a member of S, accuracy of F. */
public final class Evaluation {
    private static final int BATCH = 500;

    private Evaluation() {
    }

    /**
     * Reconstruction errors of an autoencoder.
     *
     * @param meanAbsolute mean over images and pixels of |x - a(x)| (the RE mark of paper Eq. 1 with p = 1)
     * @param meanSquared  mean over images and pixels of (x - a(x))², the training loss without noise
     * @param images       how many images were used
     */
    public record ReconstructionErrors(double meanAbsolute, double meanSquared, int images) {
    }

    /** @return the reconstruction errors of {@code a} on the images {@code indices} of {@code data} */
    public static ReconstructionErrors reconstructionErrors(Autoencoder a, Dataset data, int[] indices) {
        double abs = 0;
        double sq = 0;
        for (int from = 0; from < indices.length; from += BATCH) {
            int to = Math.min(indices.length, from + BATCH);
            INDArray x = ImageBatches.images(data, indices, from, to);
            INDArray r = a.reconstruct(x);
            INDArray d = x.sub(r);
            abs += Transforms.abs(d).sumNumber().doubleValue();
            sq += d.mul(d).sumNumber().doubleValue();
            NativeArrays.release(x, r, d);
        }
        double count = (double) indices.length * data.shape().size();
        return new ReconstructionErrors(abs / count, sq / count, indices.length);
    }

    /** @return the fraction of the images {@code indices} of {@code data} that {@code f} classifies correctly */
    public static double accuracy(Classifier f, Dataset data, int[] indices) {
        int correct = 0;
        for (int from = 0; from < indices.length; from += BATCH) {
            int to = Math.min(indices.length, from + BATCH);
            INDArray predicted = f.logits(ImageBatches.images(data, indices, from, to)).argMax(1);
            for (int k = from; k < to; k++) {
                if (predicted.getInt(k - from) == data.labels()[indices[k]]) {
                    correct++;
                }
            }
        }
        return indices.length == 0 ? Double.NaN : (double) correct / indices.length;
    }
}
