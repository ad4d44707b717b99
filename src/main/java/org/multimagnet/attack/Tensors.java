package org.multimagnet.attack;

import org.multimagnet.data.ImageShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves values between plain float arrays (where the attacks do their element-wise arithmetic, in exactly
 * controlled float32/double precision) and ND4J arrays (which the classifier takes and returns).
 */
final class Tensors {
    private Tensors() {
    }

    /** @return a new {@code [n, C, H, W]} float array holding a copy of {@code pixels} */
    static INDArray images(float[] pixels, int n, ImageShape shape) {
        assert pixels.length == (long) n * shape.size() : pixels.length + " values for " + n + " images of " + shape;
        return Nd4j.create(pixels.clone(), shape.batch(n), 'c');
    }

    /** @return a new {@code [rows, cols]} float array holding a copy of {@code values} */
    static INDArray matrix(float[] values, int rows, int cols) {
        assert values.length == (long) rows * cols;
        return Nd4j.create(values.clone(), new long[] {rows, cols}, 'c');
    }

    /** @return the values of {@code a} in C order as a new float array */
    static float[] floats(INDArray a) {
        float[] v = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        assert v.length == a.length() : v.length + " != " + a.length();
        return v;
    }

    /** @return the index of the largest value of each row of a row-major {@code [n, k]} matrix (first on ties) */
    static int[] argmax(float[] m, int n, int k) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (m[i * k + j] > m[i * k + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** @return a {@code [n, k]} one-hot matrix of {@code labels} */
    static INDArray oneHot(int[] labels, int k) {
        float[] v = new float[labels.length * k];
        for (int i = 0; i < labels.length; i++) {
            v[i * k + labels[i]] = 1f;
        }
        return matrix(v, labels.length, k);
    }

    /** @return rows {@code rows} of a row-major matrix with {@code width} values per row, copied */
    static float[] gather(float[] m, int width, int[] rows) {
        float[] out = new float[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(m, rows[r] * width, out, r * width, width);
        }
        return out;
    }
}
