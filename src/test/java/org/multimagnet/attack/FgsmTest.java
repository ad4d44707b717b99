package org.multimagnet.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.ImageShape;
import org.nd4j.linalg.factory.Nd4j;

class FgsmTest {
    private static final ImageShape SHAPE = new ImageShape(1, 4, 4);

    @Test
    void fgsmStepEqualsEpsilonTimesSignOfFiniteDifferenceGradient() {
        TanhMlpClassifier f = new TanhMlpClassifier(SHAPE, 6, 3, 11, 0.8, 1.0);
        int n = 6;
        int d = SHAPE.size();
        // pixels away from 0 and 1 so that the [0,1] clip never bites at ε = 0.1
        float[] x = TestMath.uniformImages(n, d, 0.2, 0.8, 5);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = TestMath.argmax(f.logits(TestMath.image(x, i, d)));
        }
        double eps = 0.1;
        BatchResult r = new Fgsm(new FgsmParams(eps)).attack(f, Nd4j.create(x.clone(), SHAPE.batch(n), 'c'), labels,
                Cancellation.NEVER);

        int compared = 0;
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            double[] xi = TestMath.image(x, i, d);
            double[] fd = TestMath.centralDifference(v -> TestMath.crossEntropy(f.logits(v), y), xi, 1e-5);
            for (int j = 0; j < d; j++) {
                if (Math.abs(fd[j]) < 1e-5) {
                    continue; // float32 gradients cannot be trusted to get the sign of a vanishing slope right
                }
                double expected = xi[j] + eps * Math.signum(fd[j]);
                assertEquals(expected, r.adversarial()[i * d + j], 1e-6, "image " + i + " pixel " + j);
                compared++;
            }
        }
        assertTrue(compared > n * d * 9 / 10, "only " + compared + " pixels had a usable finite difference");
    }

    @Test
    void fgsmAscendsTheLossOfTheTrueClass() {
        TanhMlpClassifier f = new TanhMlpClassifier(SHAPE, 6, 3, 12, 0.8, 1.0);
        int n = 8;
        int d = SHAPE.size();
        float[] x = TestMath.uniformImages(n, d, 0.1, 0.9, 6);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = TestMath.argmax(f.logits(TestMath.image(x, i, d)));
        }
        BatchResult r = new Fgsm(new FgsmParams(0.05)).attack(f, Nd4j.create(x.clone(), SHAPE.batch(n), 'c'),
                labels, Cancellation.NEVER);
        for (int i = 0; i < n; i++) {
            double before = TestMath.crossEntropy(f.logits(TestMath.image(x, i, d)), labels[i]);
            double after = TestMath.crossEntropy(f.logits(TestMath.image(r.adversarial(), i, d)), labels[i]);
            assertTrue(after > before, "image " + i + ": loss " + before + " -> " + after);
        }
    }

    @Test
    void imageAlreadyMisclassifiedIsLeftUnchangedAndFlagged() {
        TanhMlpClassifier f = new TanhMlpClassifier(SHAPE, 6, 3, 13, 0.8, 1.0);
        int d = SHAPE.size();
        float[] x = TestMath.uniformImages(2, d, 0.1, 0.9, 7);
        int p0 = TestMath.argmax(f.logits(TestMath.image(x, 0, d)));
        int p1 = TestMath.argmax(f.logits(TestMath.image(x, 1, d)));
        int[] labels = {p0, (p1 + 1) % 3}; // the second image is misclassified from the start
        BatchResult r = new Fgsm(new FgsmParams(0.3)).attack(f, Nd4j.create(x.clone(), SHAPE.batch(2), 'c'),
                labels, Cancellation.NEVER);
        ImageResult second = r.results().get(1);
        assertTrue(second.alreadyMisclassified());
        assertFalse(second.success());
        assertEquals(0, second.iterations());
        assertEquals(0.0, second.l2());
        assertArrayEquals(java.util.Arrays.copyOfRange(x, d, 2 * d),
                java.util.Arrays.copyOfRange(r.adversarial(), d, 2 * d));
        assertFalse(r.results().get(0).alreadyMisclassified());
        assertEquals(0.3, r.results().get(0).linf(), 1e-6);
    }
}
