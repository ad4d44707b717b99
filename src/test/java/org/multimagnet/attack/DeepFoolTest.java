package org.multimagnet.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.ImageShape;
import org.nd4j.linalg.factory.Nd4j;

class DeepFoolTest {
    private static final ImageShape SHAPE = new ImageShape(1, 4, 4);
    private static final int K = 5;
    private static final double OVERSHOOT = 0.02;

    /**
     * The closed form for a linear classifier: the nearest boundary is {@code l = argmin_k (z_y − z_k)/||w_k − w_y||}
     * and the minimal perturbation reaches it along {@code w_l − w_y}; DeepFool adds its 1e-4 push and lengthens by
     * (1 + overshoot).
     */
    private static double[] closedForm(LinearSoftmaxClassifier f, double[] x0, int y) {
        double[] z = f.logits(x0);
        int d = x0.length;
        double bestDist = Double.POSITIVE_INFINITY;
        double[] bestDir = null;
        for (int k = 0; k < f.k; k++) {
            if (k == y) {
                continue;
            }
            double[] dir = new double[d];
            double norm = 0;
            for (int j = 0; j < d; j++) {
                dir[j] = f.w[k][j] - f.w[y][j];
                norm += dir[j] * dir[j];
            }
            norm = Math.sqrt(norm);
            double dist = (z[y] - z[k]) / norm;
            if (dist < bestDist) {
                bestDist = dist;
                bestDir = dir;
                for (int j = 0; j < d; j++) {
                    bestDir[j] /= norm;
                }
            }
        }
        double[] expected = new double[d];
        for (int j = 0; j < d; j++) {
            expected[j] = x0[j] + (1 + OVERSHOOT) * (bestDist + 1e-4) * bestDir[j];
            assertTrue(expected[j] > 0 && expected[j] < 1, "test set-up: the closed form must not need clipping");
        }
        return expected;
    }

    @Test
    void deepFoolOnALinearClassifierFindsTheClosedFormMinimalPerturbation() {
        LinearSoftmaxClassifier f = LinearSoftmaxClassifier.random(SHAPE, K, 1.0, 21);
        int n = 10;
        int d = SHAPE.size();
        float[] x = TestMath.uniformImages(n, d, 0.3, 0.7, 22);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = TestMath.argmax(f.logits(TestMath.image(x, i, d)));
        }
        BatchResult r = new DeepFool(new DeepFoolParams(OVERSHOOT, 50)).attack(f,
                Nd4j.create(x.clone(), SHAPE.batch(n), 'c'), labels, Cancellation.NEVER);
        for (int i = 0; i < n; i++) {
            double[] expected = closedForm(f, TestMath.image(x, i, d), labels[i]);
            for (int j = 0; j < d; j++) {
                assertEquals(expected[j], r.adversarial()[i * d + j], 2e-5, "image " + i + " pixel " + j);
            }
            ImageResult ir = r.results().get(i);
            assertEquals(1, ir.iterations(), "a linear model is crossed in one linearisation step");
            assertTrue(ir.success());
        }
    }

    @ParameterizedTest(name = "label {0}")
    @ValueSource(ints = {0, 2, K - 1})
    void deepFoolMovesImagesWhatEverPositionTheLabelHasIncludingTheLastClass(int label) {
        LinearSoftmaxClassifier random = LinearSoftmaxClassifier.random(SHAPE, K, 1.0, 23);
        int d = SHAPE.size();
        float[] x = TestMath.uniformImages(1, d, 0.3, 0.7, 24);
        double[] z = random.logits(TestMath.image(x, 0, d));
        double[] b = new double[K];
        double maxOther = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < K; k++) {
            if (k != label) {
                maxOther = Math.max(maxOther, z[k]);
            }
        }
        b[label] = maxOther - z[label] + 0.5; // F predicts `label`, by a margin of 0.5
        LinearSoftmaxClassifier f = new LinearSoftmaxClassifier(SHAPE, random.w, b);

        BatchResult r = new DeepFool(new DeepFoolParams(OVERSHOOT, 50)).attack(f,
                Nd4j.create(x.clone(), SHAPE.batch(1), 'c'), new int[] {label}, Cancellation.NEVER);
        double[] expected = closedForm(f, TestMath.image(x, 0, d), label);
        for (int j = 0; j < d; j++) {
            assertEquals(expected[j], r.adversarial()[j], 2e-5, "pixel " + j);
        }
        ImageResult ir = r.results().get(0);
        assertTrue(ir.success());
        assertNotEquals(label, ir.adversarialPrediction());
        assertTrue(ir.l2() > 0 && ir.l2() < 1, "a perturbed image, not a gradient: L2 = " + ir.l2());
    }

    @Test
    void deepFoolOnANonLinearModelSucceedsWithSmallPerturbations() {
        TanhMlpClassifier f = new TanhMlpClassifier(new ImageShape(1, 6, 6), 10, 4, 25, 0.5, 1.5);
        int n = 20;
        int d = 36;
        float[] x = TestMath.uniformImages(n, d, 0.0, 1.0, 26);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = TestMath.argmax(f.logits(TestMath.image(x, i, d)));
        }
        BatchResult r = new DeepFool(DeepFoolParams.paperMnist()).attack(f,
                Nd4j.create(x.clone(), new long[] {n, 1, 6, 6}, 'c'), labels, Cancellation.NEVER);
        for (ImageResult ir : r.results()) {
            assertTrue(ir.success(), "image " + ir.index() + " after " + ir.iterations() + " iterations");
            assertTrue(ir.iterations() >= 1 && ir.iterations() <= 50);
        }
    }
    @Test
    void anImageFMisclassifiesIsMovedAcrossTheBoundaryOfItsPredictionOrLeftAloneWithTrueLabels() {
        LinearSoftmaxClassifier f = LinearSoftmaxClassifier.random(SHAPE, K, 1.0, 27);
        int d = SHAPE.size();
        float[] x = TestMath.uniformImages(1, d, 0.3, 0.7, 28);
        int predicted = TestMath.argmax(f.logits(TestMath.image(x, 0, d)));
        int[] wrong = {(predicted + 1) % K};
        DeepFool attack = new DeepFool(new DeepFoolParams(OVERSHOOT, 50));

        BatchResult byPrediction = attack.attack(f, Nd4j.create(x.clone(), SHAPE.batch(1), 'c'), wrong,
                Cancellation.NEVER);
        double[] expected = closedForm(f, TestMath.image(x, 0, d), predicted);
        for (int j = 0; j < d; j++) {
            assertEquals(expected[j], byPrediction.adversarial()[j], 2e-5, "pixel " + j);
        }
        ImageResult moved = byPrediction.results().get(0);
        assertTrue(moved.alreadyMisclassified());
        assertTrue(moved.success());
        assertNotEquals(predicted, moved.adversarialPrediction());
        assertEquals(Boolean.FALSE, moved.unchanged());

        BatchResult byTruth = attack.attack(f, Nd4j.create(x.clone(), SHAPE.batch(1), 'c'), wrong,
                AttackLabels.TRUE, Cancellation.NEVER);
        ImageResult left = byTruth.results().get(0);
        assertEquals(Boolean.TRUE, left.unchanged(), "F already leaves the true label: no step is taken");
        assertEquals(0, left.iterations());
        assertTrue(left.success(), "F's prediction differs from the label the attack moved away from");
        assertEquals(x[0], byTruth.adversarial()[0]);
    }
}
