package org.multimagnet.workspace;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.multimagnet.attack.AttackLabels;
import org.multimagnet.attack.AttackOutcome;
import org.multimagnet.attack.AttackSummary;
import org.multimagnet.attack.BimParams;
import org.multimagnet.attack.ImageResult;
import org.multimagnet.data.ImageShape;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.CalibrationGrid;
import org.multimagnet.defense.CalibrationResult;
import org.multimagnet.defense.CalibrationTiming;
import org.multimagnet.defense.Combination;
import org.multimagnet.defense.ConfusionMatrix;
import org.multimagnet.defense.GridRow;
import org.multimagnet.defense.MemberThreshold;
import org.multimagnet.defense.MetricName;
import org.multimagnet.defense.ThresholdApproach;
import org.multimagnet.nn.ModelRole;

/**
 * Version {@code v} of each artifact the crash test writes, generated the same way in the writing child and the
 * checking test, so that the test can tell which version it reads and whether it is whole. Nothing here touches
 * ND4J, so that the child starts fast.
 */
final class CrashArtifacts {
    /** Images per attack set: 600 MNIST images, 1.9 MB of floats, so that a save takes long enough to be hit. */
    static final int IMAGES = 600;
    static final String ATTACK = "bim";
    static final String MODEL_STEM = "ae-01";
    static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private CrashArtifacts() {
    }

    static AttackOutcome outcome(long v) {
        SplittableRandom rnd = new SplittableRandom(v);
        ImageShape shape = ImageShape.MNIST;
        float[] pixels = new float[IMAGES * shape.size()];
        for (int j = 0; j < pixels.length; j++) {
            pixels[j] = (float) rnd.nextDouble();
        }
        int[] labels = new int[IMAGES];
        List<ImageResult> results = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = rnd.nextInt(10);
            results.add(new ImageResult(i, labels[i], labels[i], (labels[i] + 1) % 10, false, true, 0.5, 0.15, 50, false));
        }
        return new AttackOutcome(ATTACK, "org.multimagnet.attack.Bim", BimParams.paperMnist(), AttackLabels.PREDICTED, shape, pixels, labels,
                results, AttackSummary.of(results, 2.0));
    }

    static AttackSetStore.Provenance provenance(long v) {
        int[] idx = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            idx[i] = i;
        }
        return new AttackSetStore.Provenance("test", v, idx, DIGITS, "sample:mnist", "ab".repeat(32));
    }

    /** The grid of version v: its seed is v. */
    static CalibrationGrid grid(long v) {
        return CalibrationGrid.example().withSeed(v);
    }

    /** C_best of version v: its seed is v, its createdAt v seconds after the epoch. */
    static CalibrationResult calibration(long v) {
        Combination c = new Combination(0.01, 40.0, MetricName.JSD, ThresholdApproach.MIN_TA, 3);
        ConfusionMatrix cm = new ConfusionMatrix(90, 10, 5, 95);
        CalibrationTiming t = new CalibrationTiming(2.5, 0.1, 800, 600, 12, 120);
        CBest best = new CBest(ATTACK, c, cm.accuracy(), cm.ppv(), cm.npv(), cm,
                List.of(new MemberThreshold(1, 0.01), new MemberThreshold(2, 0.02), new MemberThreshold(3, 0.03)),
                100, 100, v, 10, Instant.ofEpochSecond(v).toString(), t, Map.of("models/ae-01.zip", "abc"));
        List<GridRow> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) { // a few hundred rows, like a real grid-results.json
            rows.add(new GridRow(c, cm.accuracy(), cm.ppv(), cm.npv(), 0.01 * i, 10, cm));
        }
        return new CalibrationResult(List.of(best), rows, t);
    }

    /** The manifest draft of model version v: its seed is v. */
    static ModelManifest modelDraft(long v) {
        return new ModelManifest(ModelRole.AUTOENCODER, 1, "crash test model", null, 0, null, null, "sample:mnist",
                "paper", 8, v, 1, List.of(0.5), 0.5, null, null, null, 0.1, 80, "SameDiff", "test", "test", null);
    }
}
