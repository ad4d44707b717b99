package org.multimagnet.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.ImageShape;
import org.nd4j.linalg.factory.Nd4j;

class CarliniWagnerL2Test {
    private static final ImageShape SHAPE = new ImageShape(1, 6, 6);
    private static final int N = 12;
    private static final int D = SHAPE.size();

    private final TanhMlpClassifier f = new TanhMlpClassifier(SHAPE, 10, 4, 41, 0.5, 1.5);
    private final float[] x = TestMath.uniformImages(N, D, 0, 1, 42);
    private final int[] labels = predictions();

    private int[] predictions() {
        int[] l = new int[N];
        for (int i = 0; i < N; i++) {
            l[i] = TestMath.argmax(f.logits(TestMath.image(x, i, D)));
        }
        return l;
    }

    private BatchResult run(CarliniWagnerL2Params p) {
        return new CarliniWagnerL2(p).attack(f, Nd4j.create(x.clone(), SHAPE.batch(N), 'c'), labels,
                Cancellation.NEVER);
    }

    /** Eq. 5's objective ||x' − x||² + c·max(Z_y − max_{i≠y} Z_i, −κ), in double, independently of the attack. */
    private double objective(float[] images, int i, double c, double kappa) {
        double[] xi = TestMath.image(images, i, D);
        double[] x0 = TestMath.image(x, i, D);
        double sq = 0;
        for (int j = 0; j < D; j++) {
            sq += (xi[j] - x0[j]) * (xi[j] - x0[j]);
        }
        double[] z = f.logits(xi);
        double other = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < z.length; k++) {
            if (k != labels[i]) {
                other = Math.max(other, z[k]);
            }
        }
        return sq + c * Math.max(z[labels[i]] - other, -kappa);
    }

    @Test
    void carliniWagnerLowersItsObjectiveSucceedsAndStaysInTheBox() {
        CarliniWagnerL2Params p = new CarliniWagnerL2Params(0, 0.1, 10, 1, 100);
        BatchResult r = run(p);
        for (int i = 0; i < N; i++) {
            ImageResult ir = r.results().get(i);
            assertTrue(ir.success(), "image " + i);
            double before = objective(x, i, p.c0(), p.kappa());
            double after = objective(r.adversarial(), i, p.c0(), p.kappa());
            assertTrue(after < before, "image " + i + ": objective " + before + " -> " + after);
            assertEquals(100, ir.iterations());
        }
        for (float v : r.adversarial()) {
            assertTrue(v >= 0f && v <= 1f, "pixel " + v);
        }
    }

    @Test
    void carliniWagnerAdversarialsLieCloseToTheBoundary() {
        BatchResult cw = run(new CarliniWagnerL2Params(0, 0.1, 10, 1, 200));
        // each CW adversarial must be close to the decision boundary: the same image pulled half-way back is
        // still classified y for most images (an attack that overshoots wildly would fail this)
        int halfwayStillY = 0;
        for (int i = 0; i < N; i++) {
            double[] mid = TestMath.image(x, i, D);
            for (int j = 0; j < D; j++) {
                mid[j] = 0.5 * (mid[j] + cw.adversarial()[i * D + j]);
            }
            if (TestMath.argmax(f.logits(mid)) == labels[i]) {
                halfwayStillY++;
            }
        }
        assertTrue(halfwayStillY >= N * 3 / 4, "only " + halfwayStillY + " of " + N + " are minimal");
    }

    @Test
    void tooSmallAConstantFailsWithOneStepAndTheBinarySearchRecovers() {
        BatchResult tiny = run(new CarliniWagnerL2Params(0, 0.1, 1e-3, 1, 60));
        long tinySuccesses = tiny.results().stream().filter(ImageResult::success).count();
        assertTrue(tinySuccesses < N / 2, tinySuccesses + " successes with c = 1e-3");
        for (ImageResult ir : tiny.results()) {
            if (!ir.success()) {
                assertEquals(0.0, ir.l2(), "a failed image is returned unchanged");
            }
        }
        BatchResult searched = run(new CarliniWagnerL2Params(0, 0.1, 1e-3, 5, 60));
        assertTrue(searched.results().stream().allMatch(ImageResult::success),
                "the binary search raises c until every image is fooled");
        assertEquals(300, searched.results().get(0).iterations());
    }

    @Test
    void moreBinarySearchStepsNeverGiveALargerBestPerturbation() {
        BatchResult one = run(new CarliniWagnerL2Params(0, 0.1, 10, 1, 50));
        BatchResult four = run(new CarliniWagnerL2Params(0, 0.1, 10, 4, 50));
        boolean someSmaller = false;
        for (int i = 0; i < N; i++) {
            double a = one.results().get(i).l2();
            double b = four.results().get(i).l2();
            assertTrue(four.results().get(i).success());
            // the first run of the four-step search is the one-step run; the best of all runs is kept
            assertTrue(b <= a + 1e-6, "image " + i + ": " + b + " > " + a);
            someSmaller |= b < a - 1e-4;
        }
        assertTrue(someSmaller, "halving c should find a closer adversarial for some image");
    }

    @Test
    void confidenceKappaPushesPastTheBoundaryByAtLeastKappa() {
        double kappa = 2;
        BatchResult r = run(new CarliniWagnerL2Params(kappa, 0.1, 10, 1, 200));
        for (int i = 0; i < N; i++) {
            double[] z = f.logits(TestMath.image(r.adversarial(), i, D));
            double other = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < z.length; k++) {
                if (k != labels[i]) {
                    other = Math.max(other, z[k]);
                }
            }
            if (r.results().get(i).success()) {
                assertTrue(other - z[labels[i]] >= kappa - 1e-3, "image " + i + " margin " + (other - z[labels[i]]));
            } else {
                assertFalse(r.results().get(i).l2() > 0);
            }
        }
    }
}
