package org.multimagnet.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.ImageShape;
import org.nd4j.linalg.factory.Nd4j;

class BimTest {
    private static final ImageShape SHAPE = new ImageShape(1, 6, 6);

    private static float[] imagesWithSaturatedPixels(int n, int d) {
        float[] x = TestMath.uniformImages(n, d, 0, 1, 31);
        for (int j = 0; j < x.length; j += 5) {
            x[j] = j % 2 == 0 ? 0f : 1f; // edges of the box, where a careless clip leaks
        }
        x[3] = 0.3f; // 0.3 + 0.15 is not exact in float32
        return x;
    }

    @Test
    void bimStaysInTheEpsilonBallAndTheUnitBoxExactly() {
        TanhMlpClassifier f = new TanhMlpClassifier(SHAPE, 8, 4, 32, 0.6, 1.5);
        int n = 16;
        int d = SHAPE.size();
        float[] x = imagesWithSaturatedPixels(n, d);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = TestMath.argmax(f.logits(TestMath.image(x, i, d)));
        }
        double eps = 0.15;
        BatchResult r = new Bim(new BimParams(eps, 0.07, 20)).attack(f,
                Nd4j.create(x.clone(), SHAPE.batch(n), 'c'), labels, Cancellation.NEVER);
        double maxDelta = 0;
        for (int j = 0; j < x.length; j++) {
            float v = r.adversarial()[j];
            assertTrue(v >= 0f && v <= 1f, "pixel " + j + " = " + v);
            double delta = Math.abs((double) v - x[j]);
            assertTrue(delta <= eps, "pixel " + j + ": |x' − x| = " + delta + " > ε");
            maxDelta = Math.max(maxDelta, delta);
        }
        assertTrue(maxDelta > eps - 1e-6, "BIM should use its budget, max |x' − x| = " + maxDelta);
        for (ImageResult ir : r.results()) {
            assertTrue(ir.linf() <= eps);
            assertEquals(20, ir.iterations());
        }
    }

    @Test
    void oneBimStepOfSizeEpsilonEqualsFgsm() {
        TanhMlpClassifier f = new TanhMlpClassifier(SHAPE, 8, 4, 33, 0.6, 1.5);
        int n = 5;
        int d = SHAPE.size();
        float[] x = imagesWithSaturatedPixels(n, d);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = TestMath.argmax(f.logits(TestMath.image(x, i, d)));
        }
        BatchResult bim = new Bim(new BimParams(0.1, 0.1, 1)).attack(f,
                Nd4j.create(x.clone(), SHAPE.batch(n), 'c'), labels, Cancellation.NEVER);
        BatchResult fgsm = new Fgsm(new FgsmParams(0.1)).attack(f,
                Nd4j.create(x.clone(), SHAPE.batch(n), 'c'), labels, Cancellation.NEVER);
        assertArrayEquals(fgsm.adversarial(), bim.adversarial());
    }

    @Test
    void moreBimIterationsLowerAccuracyAtLeastAsMuchAsFgsm() {
        TanhMlpClassifier f = new TanhMlpClassifier(SHAPE, 8, 4, 34, 0.6, 1.5);
        int n = 40;
        int d = SHAPE.size();
        float[] x = TestMath.uniformImages(n, d, 0, 1, 35);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = TestMath.argmax(f.logits(TestMath.image(x, i, d)));
        }
        long fgsmWins = new Fgsm(new FgsmParams(0.05)).attack(f, Nd4j.create(x.clone(), SHAPE.batch(n), 'c'),
                labels, Cancellation.NEVER).results().stream().filter(ImageResult::success).count();
        long bimWins = new Bim(new BimParams(0.05, 0.01, 20)).attack(f, Nd4j.create(x.clone(), SHAPE.batch(n), 'c'),
                labels, Cancellation.NEVER).results().stream().filter(ImageResult::success).count();
        assertTrue(bimWins >= fgsmWins, "BIM " + bimWins + " < FGSM " + fgsmWins);
        assertTrue(bimWins > 0);
    }
}
