package org.multimagnet.defense;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.multimagnet.data.ImageShape;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Test-only models made of ND4J ops: a linear classifier that looks only at the top half of a 1×4×4 image, and
 * autoencoders that shrink every pixel towards 0.5 by a member-specific factor. With these, a perturbation of the
 * bottom half raises the reconstruction error but leaves F's outputs (hence JSD) unchanged, so the right answer
 * of a calibration is known in advance.
 */
final class Fakes {
    static final ImageShape SHAPE = new ImageShape(1, 4, 4);
    static final int K = 3;

    private Fakes() {
    }

    /** logits = flatten(x)·W + b, with W zero on the bottom half (pixels 8..15). */
    static final class LinearClassifier implements Classifier {
        final INDArray w;
        final INDArray b;

        LinearClassifier(long seed) {
            Random r = new Random(seed);
            float[][] wv = new float[SHAPE.size()][K];
            for (int p = 0; p < SHAPE.size() / 2; p++) {
                for (int c = 0; c < K; c++) {
                    wv[p][c] = (float) (r.nextGaussian() * 3.0);
                }
            }
            w = Nd4j.create(wv);
            b = Nd4j.create(new float[] {0.1f, -0.2f, 0.05f}, 1, K);
        }

        @Override
        public ImageShape inputShape() {
            return SHAPE;
        }

        @Override
        public int classCount() {
            return K;
        }

        @Override
        public INDArray logits(INDArray x) {
            return x.castTo(DataType.FLOAT).reshape('c', x.size(0), SHAPE.size()).mmul(w).addiRowVector(b);
        }

        @Override
        public LogitsAndGradient gradient(INDArray x, INDArray oneHot, INDArray logitWeights) {
            INDArray z = logits(x);
            INDArray dz = Nd4j.zeros(DataType.FLOAT, z.shape());
            if (oneHot != null) {
                dz.addi(Transforms.softmax(z, true).subi(oneHot));
            }
            if (logitWeights != null) {
                dz.addi(logitWeights);
            }
            return new LogitsAndGradient(z, dz.mmul(w.transpose()).reshape('c', x.shape()));
        }
    }

    /** a(x) = (1 − s)·x + s·0.5, pixel by pixel, so RE = s·mean|x − 0.5|. */
    record ShrinkAutoencoder(int id, double s) implements Autoencoder {
        @Override
        public ImageShape inputShape() {
            return SHAPE;
        }

        @Override
        public INDArray reconstruct(INDArray x) {
            return x.castTo(DataType.FLOAT).mul(1.0 - s).addi(0.5 * s);
        }
    }

    /** Five members with ids 1..5 and shrink factors 0.2..0.6. */
    static List<Autoencoder> repository() {
        List<Autoencoder> out = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            out.add(new ShrinkAutoencoder(i, 0.1 + 0.1 * i));
        }
        return out;
    }

    /** Legitimate images: random top half, bottom half within 0.05 of 0.5. */
    static INDArray legitimate(int n, long seed) {
        Random r = new Random(seed);
        float[] px = new float[n * SHAPE.size()];
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < SHAPE.size(); p++) {
                px[j * SHAPE.size() + p] = p < 8 ? r.nextFloat() : 0.5f + (r.nextFloat() - 0.5f) * 0.1f;
            }
        }
        return Nd4j.create(px, SHAPE.batch(n));
    }

    /** Adversarial versions: the same top half, the bottom half pushed to 0 or 1. */
    static INDArray adversarial(INDArray legit, long seed) {
        Random r = new Random(seed);
        INDArray adv = legit.dup();
        int n = (int) legit.size(0);
        for (int j = 0; j < n; j++) {
            for (int row = 2; row < 4; row++) {
                for (int col = 0; col < 4; col++) {
                    adv.putScalar(new long[] {j, 0, row, col}, r.nextBoolean() ? 0.0 : 1.0);
                }
            }
        }
        return adv;
    }
}
