package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.UserException;
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

class CalibrationStoreTest {
    @TempDir
    Path w;

    private static CalibrationResult result(String attack, String createdAt, double tFp) {
        Combination c = new Combination(tFp, 40.0, MetricName.JSD, ThresholdApproach.MIN_TA, 3);
        ConfusionMatrix cm = new ConfusionMatrix(90, 10, 5, 95);
        CalibrationTiming t = new CalibrationTiming(2.5, 0.1, 800, 600, 12, 120);
        CBest best = new CBest(attack, c, cm.accuracy(), cm.ppv(), cm.npv(), cm,
                List.of(new MemberThreshold(1, 0.01), new MemberThreshold(2, 0.02), new MemberThreshold(3, 0.03)),
                100, 100, 7, 10, createdAt, t, Map.of("models/ae-01.zip", "abc"));
        GridRow row = new GridRow(c, cm.accuracy(), cm.ppv(), cm.npv(), 0.01, 10, cm);
        GridRow re = new GridRow(new Combination(0.01, null, MetricName.RE, ThresholdApproach.MTA, 1), 0.5, 0.4, 0.6,
                0, 10, new ConfusionMatrix(40, 60, 40, 60));
        return new CalibrationResult(List.of(best), List.of(row, re), t);
    }

    @Test
    void pairedLegitimateLocatesVAtksSourcesInVLeg() {
        int[] validation = {100, 101, 102, 103, 104};
        assertEquals(null, CalibrationStore.pairedLegitimate(validation, new int[] {104, 100, 102, 101, 103}),
                "made from all of V_leg: the paper's case, all of V_leg counts");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {3, 0},
                CalibrationStore.pairedLegitimate(validation, new int[] {103, 100}));
        assertEquals(null, CalibrationStore.pairedLegitimate(validation, new int[] {100, 7}),
                "a source outside V_leg: no pairing to follow");
    }

    @Test
    void writesAndReadsBackEveryFile() {
        CalibrationStore store = new CalibrationStore(w);
        CalibrationResult r = result("fgsm", "2026-01-01T00:00:00Z", 0.01);
        store.write("fgsm", CalibrationGrid.example(), r);
        assertEquals(r.cBest(), store.readCBest("fgsm").orElseThrow());
        assertEquals(CalibrationGrid.example(), store.readGrid("fgsm").orElseThrow());
        GridResults g = store.readGridResults("fgsm").orElseThrow();
        assertEquals(r.rows(), g.rows());
        assertEquals(r.timing(), g.timing());
        assertTrue(Files.isRegularFile(w.resolve("calibration/fgsm/cbest.json")));
        assertEquals(List.of("fgsm"), store.calibratedAttacks());
    }

    @Test
    void currentIsTheNamedOrTheMostRecentCalibration() {
        CalibrationStore store = new CalibrationStore(w);
        store.write("bim", CalibrationGrid.example(), result("bim", "2026-03-01T00:00:00Z", 0.02));
        store.write("fgsm", CalibrationGrid.example(), result("fgsm", "2026-01-01T00:00:00Z", 0.01));
        assertEquals("bim", store.current(null).attack());
        assertEquals("fgsm", store.current("fgsm").attack());
        UserException missing = assertThrows(UserException.class, () -> store.current("cw"));
        assertTrue(missing.getMessage().contains("calibrate") && missing.getMessage().contains("--attack cw"),
                missing.getMessage());
    }

    @Test
    void noCalibrationNamesTheCommandToRun() {
        UserException e = assertThrows(UserException.class, () -> new CalibrationStore(w).current(null));
        assertTrue(e.getMessage().contains("calibrate"), e.getMessage());
    }

    @Test
    void attackNamesCannotLeaveTheWorkspace() {
        CalibrationStore store = new CalibrationStore(w);
        for (String bad : new String[] {"..", "../x", "a/b", "/etc", "x/../../y", "", ".hidden"}) {
            assertThrows(UserException.class, () -> store.folder(bad), bad);
        }
        assertEquals(w.toAbsolutePath().resolve("calibration/deepfool"), store.folder("deepfool"));
    }

    @Test
    void aBadGridFileIsRejectedNamingFileAndField() throws Exception {
        Path grid = w.resolve("grid.json");
        Files.writeString(grid, "{\"falsePositiveRates\":[0.01],\"temperatures\":[1],\"metrics\":[\"RE\"],"
                + "\"approaches\":[\"MTA\"],\"ensembleSizes\":[4],\"seed\":1}");
        UserException e = assertThrows(UserException.class, () -> CalibrationStore.readGrid(grid));
        assertTrue(e.getMessage().contains("grid.json") && e.getMessage().contains("ensembleSizes"), e.getMessage());
    }
}
