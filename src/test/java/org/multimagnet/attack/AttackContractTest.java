package org.multimagnet.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.multimagnet.common.Cancellation;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.ImageShape;

/** The contract every attack keeps, checked over all four. */
class AttackContractTest {
    private static final ImageShape SHAPE = new ImageShape(1, 6, 6);
    private static final int N = 13;
    private static final int D = SHAPE.size();
    private static final int K = 4;
    private static final int[] MISLABELLED = {2, 9};

    static Stream<Arguments> attacks() {
        return Stream.of(
                Arguments.of(new Fgsm(new FgsmParams(0.2))),
                Arguments.of(new Bim(new BimParams(0.15, 0.05, 10))),
                Arguments.of(new DeepFool(DeepFoolParams.paperMnist())),
                Arguments.of(new CarliniWagnerL2(new CarliniWagnerL2Params(0, 0.1, 10, 2, 40))));
    }

    private final TanhMlpClassifier f = new TanhMlpClassifier(SHAPE, 10, K, 51, 0.5, 1.5);

    private Dataset dataset() {
        float[] x = TestMath.uniformImages(N, D, 0, 1, 52);
        for (int j = 0; j < x.length; j += 7) {
            x[j] = (j / 7) % 2 == 0 ? 0f : 1f;
        }
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) {
            labels[i] = TestMath.argmax(f.logits(TestMath.image(x, i, D)));
        }
        for (int i : MISLABELLED) {
            labels[i] = (labels[i] + 1) % K;
        }
        return new Dataset("contract", "memory", SHAPE, x, labels, List.of("a", "b", "c", "d"), -1);
    }

    static Stream<Arguments> attacksAndLabels() {
        return attacks().flatMap(a -> Stream.of(AttackLabels.values()).map(l -> Arguments.of(a.get()[0], l)));
    }

    @ParameterizedTest(name = "{0} away from {1}")
    @MethodSource("attacksAndLabels")
    void everyAttackKeepsTheContract(AttackTemplate attack, AttackLabels awayFrom) {
        Dataset data = dataset();
        float[] pixelsBefore = data.pixels().clone();
        int[] labelsBefore = data.labels().clone();
        List<long[]> progress = new ArrayList<>();

        AttackOutcome out = attack.run(f, data, awayFrom, 5,
                (done, total, msg) -> progress.add(new long[] {done, total}), Cancellation.NEVER);

        assertArrayEquals(pixelsBefore, data.pixels(), "the input must not be modified");
        assertArrayEquals(labelsBefore, data.labels());
        assertEquals(N, out.count());
        assertEquals(N * D, out.adversarial().length);
        assertArrayEquals(labelsBefore, out.labels());
        assertEquals(attack.name(), out.attack());
        assertEquals(attack.params(), out.params());
        assertEquals(awayFrom, out.awayFrom());

        double eps = attack instanceof FixedEpsilonAttack fixed ? fixed.epsilon() : Double.POSITIVE_INFINITY;
        for (int j = 0; j < out.adversarial().length; j++) {
            float v = out.adversarial()[j];
            assertTrue(v >= 0f && v <= 1f, "pixel " + j + " = " + v);
            assertTrue(Math.abs((double) v - pixelsBefore[j]) <= eps, "pixel " + j + " leaves the ε-ball");
        }

        int successes = 0;
        int correctAfter = 0;
        int identical = 0;
        for (int i = 0; i < N; i++) {
            ImageResult r = out.results().get(i);
            assertEquals(i, r.index());
            int clean = TestMath.argmax(f.logits(TestMath.image(pixelsBefore, i, D)));
            int fresh = TestMath.argmax(f.logits(TestMath.image(out.adversarial(), i, D)));
            assertEquals(clean, r.originalPrediction(), "image " + i);
            assertEquals(fresh, r.adversarialPrediction(), "image " + i + ": prediction from a fresh pass");
            boolean mislabelled = i == MISLABELLED[0] || i == MISLABELLED[1];
            assertEquals(mislabelled, r.alreadyMisclassified(), "image " + i);
            int movedFrom = awayFrom == AttackLabels.PREDICTED ? clean : labelsBefore[i];
            assertEquals(fresh != movedFrom, r.success(), "image " + i + ": success = fresh prediction ≠ " + awayFrom);
            boolean same = java.util.Arrays.equals(pixelsBefore, i * D, (i + 1) * D, out.adversarial(), i * D,
                    (i + 1) * D);
            assertEquals(same, r.unchanged(), "image " + i + ": unchanged = bit-identical to its source");
            identical += same ? 1 : 0;
            if (mislabelled && awayFrom == AttackLabels.PREDICTED) {
                assertTrue(r.iterations() > 0, "image " + i + ": F misclassifies it, and it is attacked all the same");
            }
            if (mislabelled && awayFrom == AttackLabels.TRUE && attack instanceof DeepFool) {
                assertTrue(same && r.success() && r.iterations() == 0,
                        "DeepFool stops at once where F already leaves the true label");
            }
            double sq = 0;
            double linf = 0;
            for (int j = 0; j < D; j++) {
                double delta = (double) out.adversarial()[i * D + j] - pixelsBefore[i * D + j];
                sq += delta * delta;
                linf = Math.max(linf, Math.abs(delta));
            }
            assertEquals(Math.sqrt(sq), r.l2(), 1e-9);
            assertEquals(linf, r.linf(), 1e-12);
            successes += r.success() ? 1 : 0;
            correctAfter += fresh == r.label() ? 1 : 0;
        }

        AttackSummary s = out.summary();
        assertEquals(MISLABELLED.length, s.alreadyMisclassified());
        assertEquals(identical, s.unchanged());
        assertEquals(successes, s.successes());
        assertEquals((double) (N - MISLABELLED.length) / N, s.accuracyBefore(), 1e-12);
        assertEquals((double) correctAfter / N, s.accuracyAfter(), 1e-12);
        assertEquals((double) successes / N, s.successRate(), 1e-12, "every image is attacked");
        assertTrue(s.accuracyAfter() < s.accuracyBefore(), "the attack should lower F's accuracy");

        long[] last = progress.get(progress.size() - 1);
        assertEquals(N, last[0]);
        assertEquals(N, last[1]);
        assertEquals(4, progress.size(), "a start report and one per batch of 5 (5, 5, 3)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void everyAttackStopsWhenCancelled(AttackTemplate attack) {
        Cancellation cancel = new Cancellation();
        assertThrows(CancellationException.class, () -> attack.run(f, dataset(), 5, (done, total, msg) -> {
            if (done > 0) {
                cancel.cancel();
            }
        }, cancel));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void everyAttackRejectsPixelsOutsideTheUnitBox(AttackTemplate attack) {
        Dataset good = dataset();
        float[] p = good.pixels().clone();
        p[5] = 1.5f;
        Dataset bad = new Dataset("bad", "memory", SHAPE, p, good.labels(), good.classNames(), -1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> attack.run(f, bad, 5, (a, b, c) -> { }, Cancellation.NEVER));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void attacksBuiltByNameCarryThePaperDefaults(AttackTemplate attack) {
        Attack byName = Attacks.create(attack.name(), PaperSetting.MNIST, Map.of());
        assertEquals(attack.name(), byName.name());
        assertEquals(byName.getClass(), attack.getClass());
    }
}
