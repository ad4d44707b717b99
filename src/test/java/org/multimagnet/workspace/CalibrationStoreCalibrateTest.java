package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.attack.AttackLabels;
import org.multimagnet.attack.AttackOutcome;
import org.multimagnet.attack.AttackSummary;
import org.multimagnet.attack.ImageResult;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.CalibrationGrid;
import org.multimagnet.defense.CalibrationResult;
import org.multimagnet.defense.DefenseFakes;
import org.multimagnet.defense.MetricName;
import org.multimagnet.defense.ThresholdApproach;
import org.nd4j.linalg.api.ndarray.INDArray;

class CalibrationStoreCalibrateTest {
    @TempDir
    Path w;

    private record NoParams() {
    }

    /** A dataset of 80 fake images; V_atk made from images 10..49. */
    private Dataset saveAttackSet(boolean wrongLabels) {
        INDArray all = DefenseFakes.legitimate(80, 1);
        int[] labels = new int[80];
        for (int j = 0; j < 80; j++) {
            labels[j] = j % 3;
        }
        Dataset d = new Dataset("fake", "test", DefenseFakes.SHAPE, all.data().asFloat(), labels,
                List.of("a", "b", "c"), -1);
        int[] idx = new int[40];
        int[] l = new int[40];
        List<ImageResult> results = new ArrayList<>();
        for (int j = 0; j < 40; j++) {
            idx[j] = 10 + j;
            l[j] = wrongLabels ? (labels[idx[j]] + 1) % 3 : labels[idx[j]];
            results.add(new ImageResult(j, l[j], 0, 1, false, true, 1.0, 0.5, 1, false));
        }
        INDArray vLeg = all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(10, 50)).dup();
        float[] adv = DefenseFakes.adversarial(vLeg, 2).data().asFloat();
        AttackSummary summary = new AttackSummary(40, 0, 0, 40, 1, 0, 1, 1, 1, 0.5, 1, 0.1, 400);
        AttackOutcome o = new AttackOutcome("fake", "test", new NoParams(), AttackLabels.PREDICTED, DefenseFakes.SHAPE, adv, l, results,
                summary);
        AttackSetStore.save(AttackSetStore.folder(w, "fake", "validation"), o,
                new AttackSetStore.Provenance("validation", 3, idx, d.classNames(), "fake", "0"));
        return d;
    }

    @Test
    void calibratesFromTheWorkspaceFilesAndWritesEveryArtifact() {
        Dataset d = saveAttackSet(false);
        CalibrationStore store = new CalibrationStore(w);
        CalibrationGrid grid = new CalibrationGrid(List.of(0.05, 0.2), List.of(1.0), List.of(MetricName.RE,
                MetricName.JSD), List.of(ThresholdApproach.MTA), List.of(1, 3), 4L, 2);
        CalibrationResult r = store.calibrate("fake", DefenseFakes.classifier(), DefenseFakes.repository(), d, grid,
                Map.of("models/classifier.zip", "f00"), null, Consent.ASK_FIRST, ProgressListener.NONE,
                Cancellation.NEVER);
        CBest read = store.current(null);
        assertEquals(r.cBest(), read);
        assertEquals(MetricName.RE, read.combination().metric(), "RE sees the fake perturbation, JSD cannot");
        // V_leg is all of the split's validation images (8 of 80), not V_atk's 40 sources; t_fp = 0.05 of 8 rounds
        // to index 0, so no legitimate image is rejected and every adversarial one is caught.
        assertEquals(0.05, read.combination().falsePositiveRate());
        assertEquals(1.0, read.acc(), 1e-12);
        assertEquals(org.multimagnet.data.Splits.paper(d).validation().length, read.vLegCount());
        assertEquals(8, read.vLegCount());
        assertEquals(40, read.vAtkCount());
        assertEquals("f00", read.inputs().get("models/classifier.zip"));
        assertTrue(read.inputs().containsKey("attacks/fake-validation/images.idx"), read.inputs().toString());
        assertEquals(grid, store.readGrid("fake").orElseThrow());
        assertEquals(r.rows().size(), store.readGridResults("fake").orElseThrow().rows().size());
    }

    @Test
    void missingVAtkNamesTheAttackCommand() {
        Dataset d = saveAttackSet(false);
        UserException e = assertThrows(UserException.class,
                () -> new CalibrationStore(w).validationSet("bim", d));
        assertTrue(e.getMessage().contains("attack --workspace") && e.getMessage().contains("--split validation"),
                e.getMessage());
    }

    @Test
    void anAttackSetMadeFromOtherDataIsRefused() {
        Dataset d = saveAttackSet(true);
        UserException e = assertThrows(UserException.class, () -> new CalibrationStore(w).validationSet("fake", d));
        assertTrue(e.getMessage().contains("other data"), e.getMessage());
    }
}
