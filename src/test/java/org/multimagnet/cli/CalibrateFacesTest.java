package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.Json;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.CalibrationGrid;
import org.multimagnet.cli.FakeDefenseWorkspace.Run;
import org.multimagnet.stage.CalibrateStage;
import org.multimagnet.stage.WorkspaceModels;
import org.multimagnet.ui.calibration.CalibrationService.GridForm;
import org.multimagnet.ui.calibration.EngineCalibrationService;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.Consent;

/**
 * The command line's {@code calibrate} and the workbench's calibration service run one stage: for the same request
 * they write the same grid and C_best, and refuse the same grid with the same words. S is five fake members, so the
 * example grid's n ∈ {3,5,7,9} has to be trimmed to {3,5} by both.
 */
class CalibrateFacesTest {
    @TempDir
    Path tmp;

    private final FakeDefenseWorkspace fake = new FakeDefenseWorkspace();
    private final WorkspaceModels fakes = fake.models;

    /** A workspace holding V_atk of the attack "fake": the first 60 images, pushed away from the fakes' manifold. */
    private Path workspace(String name) {
        Path w = tmp.resolve(name);
        fake.saveValidationSet(w);
        return w;
    }


    private Run cli(String... args) {
        return Run.of(new CalibrateCommand(fakes), args);
    }

    private static GridForm withSeed(GridForm f, long seed) {
        return new GridForm(f.falsePositiveRates(), f.temperatures(), f.re(), f.jsd(), f.mta(), f.minTa(),
                f.ensembleSizes(), seed, f.ensemblesPerCombination());
    }

    @Test
    void bothFacesTrimTheExampleGridAndWriteTheSameCalibration() {
        Path byCli = workspace("cli");
        Path byUi = workspace("ui");
        Run r = cli("--workspace", byCli.toString(), "--attack", "fake", "--seed", "5");
        assertEquals(0, r.code(), r.err() + r.error());

        EngineCalibrationService ui = new EngineCalibrationService(new CalibrateStage(fakes));
        GridForm shown = ui.grid(byUi, "fake");
        assertEquals("3, 5", shown.ensembleSizes(), "the form starts from the grid the command line runs");
        ui.calibrate(byUi, "fake", withSeed(shown, 5), Consent.ASK_FIRST, ProgressListener.NONE, Cancellation.NEVER);

        CalibrationGrid cliGrid = new CalibrationStore(byCli).readGrid("fake").orElseThrow();
        assertEquals(List.of(3, 5), cliGrid.ensembleSizes());
        assertEquals(cliGrid, new CalibrationStore(byUi).readGrid("fake").orElseThrow());
        for (String file : List.of(CalibrationStore.CBEST, "cbest-magnet.json")) {
            CBest a = Json.readFile(byCli.resolve("calibration/fake").resolve(file), CBest.class);
            CBest b = Json.readFile(byUi.resolve("calibration/fake").resolve(file), CBest.class);
            assertEquals(a.combination(), b.combination(), file);
            assertEquals(a.thresholds(), b.thresholds(), file);
            assertEquals(a.acc(), b.acc(), file);
        }
    }

    @Test
    void bothFacesRefuseAnEnsembleLargerThanSInTheSameWords() throws Exception {
        String expected = "ensembleSizes: 7 is larger than the repository S (m = 5 autoencoders)";
        Path byCli = workspace("cli");
        CalibrationGrid big = new CalibrationGrid(List.of(0.01), List.of(), List.of(org.multimagnet.defense.MetricName.RE),
                List.of(org.multimagnet.defense.ThresholdApproach.MTA), List.of(3, 7), 1L, 2);
        Path gridFile = tmp.resolve("big-grid.json");
        Json.writeFile(gridFile, big);
        Run r = cli("--workspace", byCli.toString(), "--attack", "fake", "--grid", gridFile.toString());
        assertEquals(2, r.code());
        assertEquals(gridFile + ": " + expected, r.error().getMessage());

        Path byUi = workspace("ui");
        EngineCalibrationService ui = new EngineCalibrationService(new CalibrateStage(fakes));
        GridForm form = new GridForm("0.01", "", true, false, true, false, "3, 7", 1, 2);
        UserException e = assertThrows(UserException.class, () -> ui.calibrate(byUi, "fake", form, Consent.ASK_FIRST,
                ProgressListener.NONE, Cancellation.NEVER));
        assertEquals(expected, e.getMessage());
        assertTrue(Files.notExists(byUi.resolve("calibration/fake/cbest.json")));
    }
}
