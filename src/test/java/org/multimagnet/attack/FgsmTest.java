package org.multimagnet.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.Dataset;
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

    /** ∂J(x, t)/∂x for the linear model, in double: Σ_c (softmax_c(z) − [c = t]) · w_c. */
    private static double[] crossEntropyGradient(LinearSoftmaxClassifier f, double[] x, int t) {
        double[] z = f.logits(x);
        double max = java.util.Arrays.stream(z).max().orElseThrow();
        double sum = 0;
        double[] p = new double[z.length];
        for (int c = 0; c < z.length; c++) {
            p[c] = Math.exp(z[c] - max);
            sum += p[c];
        }
        double[] g = new double[x.length];
        for (int c = 0; c < z.length; c++) {
            double coef = p[c] / sum - (c == t ? 1 : 0);
            for (int j = 0; j < x.length; j++) {
                g[j] += coef * f.w[c][j];
            }
        }
        return g;
    }

    @ParameterizedTest(name = "away from {0}")
    @EnumSource(AttackLabels.class)
    void everyImageMovesByEpsilonTimesTheSignOfTheLossGradientAtTheChosenLabel(AttackLabels awayFrom) {
        LinearSoftmaxClassifier f = LinearSoftmaxClassifier.random(SHAPE, 3, 1.0, 14);
        int n = 6;
        int d = SHAPE.size();
        float[] x = TestMath.uniformImages(n, d, 0.2, 0.8, 8);
        int[] predicted = new int[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            predicted[i] = TestMath.argmax(f.logits(TestMath.image(x, i, d)));
            labels[i] = i % 2 == 0 ? predicted[i] : (predicted[i] + 1) % 3; // odd images: F misclassifies them
        }
        double eps = 0.1;
        BatchResult r = new Fgsm(new FgsmParams(eps)).attack(f, Nd4j.create(x.clone(), SHAPE.batch(n), 'c'), labels,
                awayFrom, Cancellation.NEVER);

        int differing = 0;
        for (int i = 0; i < n; i++) {
            int t = awayFrom == AttackLabels.PREDICTED ? predicted[i] : labels[i];
            double[] xi = TestMath.image(x, i, d);
            double[] g = crossEntropyGradient(f, xi, t);
            double[] other = crossEntropyGradient(f, xi, awayFrom == AttackLabels.PREDICTED ? labels[i] : predicted[i]);
            for (int j = 0; j < d; j++) {
                assertTrue(Math.abs(g[j]) > 1e-4, "test set-up: a gradient whose sign float32 gets right");
                assertEquals(xi[j] + eps * Math.signum(g[j]), r.adversarial()[i * d + j], 1e-6,
                        "image " + i + " pixel " + j);
                differing += Math.signum(g[j]) != Math.signum(other[j]) ? 1 : 0;
            }
            ImageResult ir = r.results().get(i);
            assertEquals(i % 2 == 1, ir.alreadyMisclassified());
            assertEquals(1, ir.iterations(), "image " + i + " is attacked");
            assertFalse(ir.unchanged());
            assertEquals(eps, ir.linf(), 1e-6);
            int after = TestMath.argmax(f.logits(TestMath.image(r.adversarial(), i, d)));
            assertEquals(after != t, ir.success(), "image " + i + ": success is decided against " + awayFrom);
        }
        assertTrue(differing > 0, "test set-up: the two labels must give different directions somewhere");
    }

    @Test
    void anImageWithAZeroGradientIsLeftUnchangedAndCounted() {
        // pixel 0 alone feeds class 0, with a weight so large that a bright pixel 0 saturates the softmax
        // exactly in float32: the loss gradient is then exactly 0 and FGSM cannot move the image
        int d = SHAPE.size();
        double[][] w = new double[3][d];
        w[0][0] = 300;
        LinearSoftmaxClassifier f = new LinearSoftmaxClassifier(SHAPE, w, new double[] {0, 0.1, 0});
        float[] x = TestMath.uniformImages(3, d, 0.2, 0.8, 9);
        x[0] = 0.9f;      // image 0: z = (270, 0.1, 0), saturated
        x[d] = 0f;        // image 1: z = (0, 0.1, 0), F predicts class 1 with a gradient on pixel 0
        x[2 * d] = 0.95f; // image 2: saturated
        int[] labels = {0, 1, 0};
        Dataset data = new Dataset("zero", "memory", SHAPE, x, labels, List.of("a", "b", "c"), -1);

        AttackOutcome out = new Fgsm(new FgsmParams(0.1)).run(f, data, 2, (a, b, c) -> { }, Cancellation.NEVER);

        for (int i : new int[] {0, 2}) {
            ImageResult r = out.results().get(i);
            assertTrue(r.unchanged(), "image " + i);
            assertFalse(r.success());
            assertEquals(0.0, r.l2());
            assertArrayEquals(Arrays.copyOfRange(x, i * d, (i + 1) * d),
                    Arrays.copyOfRange(out.adversarial(), i * d, (i + 1) * d));
        }
        ImageResult moved = out.results().get(1);
        assertFalse(moved.unchanged());
        assertEquals(0.1f, out.adversarial()[d], 1e-7f);
        assertEquals(2, out.summary().unchanged());
    }
}
