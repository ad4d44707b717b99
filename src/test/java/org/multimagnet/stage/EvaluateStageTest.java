package org.multimagnet.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.Json;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.experiment.Evaluation;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.Consent;
import org.multimagnet.workspace.ReplacementRefused;

/**
 * {@link EvaluateStage} on copies of the demo, called directly: settings refused in the stage's words before the
 * workspace is touched, consent and staleness before the forward passes, and a small run whose stored evaluation,
 * exact scores and exports agree.
 */
class EvaluateStageTest {
    @TempDir
    Path tmp;

    private static EvaluateStage.Request request(Path ws, String attack, int chunks, int chunkSize,
                                                 List<Integer> sizes, boolean exact, Path roc, Path marks,
                                                 boolean allowStale, Consent consent) {
        return new EvaluateStage.Request(ws, attack, DefenseKind.MULTIMAGNET, chunks, chunkSize, 3, sizes, null,
                false, marks, exact, roc, allowStale, consent);
    }

    private static String refusal(EvaluateStage.Request r) {
        return assertThrows(BadRequest.class, () -> new EvaluateStage().run(r, m -> { }, ProgressListener.NONE,
                Cancellation.NEVER)).getMessage();
    }

    @Test
    void badSettingsAreRefusedInTheStagesWordsBeforeTheWorkspaceIsTouched() throws Exception {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        Map<String, String> before = TestWorkspaces.snapshot(ws);
        assertEquals("chunks 0: expected a number of chunks >= 1",
                refusal(request(ws, "fgsm", 0, 100, null, false, null, null, false, Consent.REPLACE)));
        assertEquals("chunk size -1: expected a number of images >= 1",
                refusal(request(ws, "fgsm", 40, -1, null, false, null, null, false, Consent.REPLACE)));
        assertEquals("ensemble sizes: expected at least one odd size",
                refusal(request(ws, "fgsm", 40, 100, List.of(), false, null, null, false, Consent.REPLACE)));
        assertEquals("ensemble sizes [3, 4]: 4 is not an odd number >= 1 (an odd n means the majority vote cannot "
                + "tie)", refusal(request(ws, "fgsm", 40, 100, List.of(3, 4), false, null, null, false,
                Consent.REPLACE)));
        assertEquals("ensemble sizes [3, 11]: 11 is larger than the repository S (m = 10 autoencoders)",
                refusal(request(ws, "fgsm", 40, 100, List.of(3, 11), false, null, null, false, Consent.REPLACE)));
        Path roc = tmp.resolve("roc.csv");
        BadRequest needsExact = assertThrows(BadRequest.class, () -> new EvaluateStage().run(request(ws, "fgsm", 40,
                100, null, false, roc, null, false, Consent.REPLACE), m -> { }, ProgressListener.NONE,
                Cancellation.NEVER));
        assertEquals("ROC file " + roc + ": needs the exact evaluation (the curves come from it)",
                needsExact.getMessage());
        assertEquals("--export-roc " + roc + ": needs --exact (the curves come from it)", needsExact.message(
                f -> f.equals("exact") ? "--exact" : "--export-roc"));
        assertEquals("marks file " + tmp + ": is a folder, expected a CSV file name",
                refusal(request(ws, "fgsm", 40, 100, null, false, null, tmp, false, Consent.REPLACE)));
        assertEquals(before, TestWorkspaces.snapshot(ws));
    }

    @Test
    void aStoredEvaluationAndAStaleCalibrationAreRefusedBeforeTheForwardPasses() throws Exception {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        AtomicLong steps = new AtomicLong();
        ProgressListener counting = (done, total, message) -> steps.incrementAndGet();
        assertThrows(ReplacementRefused.class, () -> new EvaluateStage().run(request(ws, "bim", 2, 50, null, false,
                null, null, false, Consent.ASK_FIRST), m -> { }, counting, Cancellation.NEVER));
        Files.copy(ws.resolve("models/ae-04.zip"), ws.resolve("models/ae-03.zip"), StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> before = TestWorkspaces.snapshot(ws);
        UserException stale = assertThrows(UserException.class, () -> new EvaluateStage().run(request(ws, "bim", 2,
                50, null, false, null, null, false, Consent.REPLACE), m -> { }, counting, Cancellation.NEVER));
        assertTrue(stale.getMessage().contains("calibrated with models that changed since: ae-03 (member 3) changed")
                && stale.getMessage().endsWith("or allow a stale calibration (--allow-stale) to use it anyway"),
                stale.getMessage());
        assertEquals(0, steps.get(), "no forward pass");
        assertEquals(before, TestWorkspaces.snapshot(ws));
    }

    /**
     * Two chunks of 50 with the exact scores and both exports: the evaluation is stored as returned, n is drawn from
     * the defense's own C_best, the exact scores cover every draw of those sizes, and the exports hold what they
     * say.
     */
    @Test
    void aSmallRunStoresWhatItReturnsAndExportsItsCurvesAndMarks() throws Exception {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        Path roc = tmp.resolve("roc.csv");
        Path marks = tmp.resolve("marks.csv");
        List<String> notices = new ArrayList<>();
        EvaluateStage.Result r = new EvaluateStage().run(request(ws, "fgsm", 2, 50, null, true, roc, marks, false,
                Consent.REPLACE), notices::add, ProgressListener.NONE, Cancellation.NEVER);
        assertEquals(List.of(), notices, "a fresh calibration says nothing");
        assertEquals(ws.toAbsolutePath().normalize().resolve("evaluations/fgsm-multimagnet.json"),
                r.file().toAbsolutePath().normalize());
        Evaluation stored = Json.mapper().readValue(r.file().toFile(), Evaluation.class);
        assertEquals(Json.write(r.evaluation()), Json.write(stored));
        List<Integer> sizes = new CalibrationStore(ws).current("fgsm", DefenseKind.MULTIMAGNET).combination()
                .ensembleSizes();
        assertEquals(sizes, r.evaluation().settings().ensembleSizes(), "n drawn as the defense was calibrated");
        assertEquals(2, r.evaluation().chunks().size());
        assertEquals(3L, r.evaluation().settings().seed());
        assertNotNull(r.exact());
        long all = 0;
        for (int n : sizes) {
            all += (long) org.multimagnet.defense.ExactAcceptance.choose(10, n);
        }
        assertEquals(all, r.exact().ensembles(), "every draw of every size");
        List<String> curve = Files.readAllLines(roc);
        assertEquals("detector,threshold,fpr,tpr", curve.get(0));
        assertTrue(curve.stream().anyMatch(l -> l.startsWith("ae-10,")) && curve.stream()
                .anyMatch(l -> l.startsWith("ensemble,")), "every member's curve and the ensemble's");
        // one row per (image, member of its chunk's ensemble): at least 3 members for each of the 100 images
        assertTrue(Files.readAllLines(marks).size() - 1 >= 3 * 100, "marks rows");
    }
}
