package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Checksums;
import org.multimagnet.common.Json;
import org.multimagnet.common.UserException;
import org.multimagnet.defense.CBest;

/** {@link CalibrationFreshness} on copies of the demo workspace, whose four calibrations record every model's SHA-256. */
class CalibrationFreshnessTest {
    private static final List<String> ATTACKS = List.of("bim", "cw", "deepfool", "fgsm");

    @TempDir
    Path tmp;

    @Test
    void theDemoCalibrationsAreFreshAgainstTheDemoModels() {
        // read-only: check() hashes files and reads JSON, nothing is written into the committed demo
        CalibrationStore store = new CalibrationStore(TestWorkspaces.DEMO);
        assertEquals(ATTACKS, store.calibratedAttacks());
        for (String attack : ATTACKS) {
            CalibrationFreshness.Report r = CalibrationFreshness.check(TestWorkspaces.DEMO,
                    store.readCBest(attack).orElseThrow());
            assertFalse(r.stale(), attack + ": " + r.changes());
            assertTrue(r.recordsChecksums(), attack);
        }
    }

    @Test
    void untouchedCopyIsFreshAndAReplacedMemberMakesEveryCalibrationStale() throws Exception {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        CalibrationStore store = new CalibrationStore(ws);
        for (String attack : ATTACKS) {
            assertFalse(CalibrationFreshness.check(ws, store.readCBest(attack).orElseThrow()).stale(), attack);
        }
        Path ae03 = ws.resolve("models/ae-03.zip");
        String recorded = Checksums.sha256(ae03);
        Files.copy(ws.resolve("models/ae-04.zip"), ae03, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        for (String attack : ATTACKS) {
            CalibrationFreshness.Report r = CalibrationFreshness.check(ws, store.readCBest(attack).orElseThrow());
            assertTrue(r.stale(), attack);
            assertEquals(List.of(new CalibrationFreshness.Change("ae-03 (member 3)", "changed", recorded,
                    Checksums.sha256(ws.resolve("models/ae-04.zip")))), r.changes(), attack);
            assertEquals(ws.toAbsolutePath().normalize().resolve("calibration/" + attack + "/cbest.json"),
                    r.cBestFile());
        }
        UserException e = assertThrows(UserException.class, () -> CalibrationFreshness.admit(ws,
                store.readCBest("fgsm").orElseThrow(), false, m -> { }));
        String msg = e.getMessage();
        assertTrue(msg.startsWith(ws.toAbsolutePath().normalize().resolve("calibration/fgsm/cbest.json") + ": "), msg);
        assertTrue(msg.contains("ae-03 (member 3) changed (sha256 now " + Checksums.sha256(ae03).substring(0, 12)
                + ", calibrated with " + recorded.substring(0, 12) + ")"), msg);
        assertTrue(msg.contains("'calibrate --workspace " + ws.toAbsolutePath().normalize() + " --attack fgsm'"), msg);
        assertTrue(msg.contains("--allow-stale"), msg);
        assertFalse(msg.contains("ae-04") || msg.contains("\n"), msg);

        List<String> said = new ArrayList<>();
        CBest fgsm = store.readCBest("fgsm").orElseThrow();
        assertSame(fgsm, CalibrationFreshness.admit(ws, fgsm, true, said::add));
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).startsWith("warning: ") && said.get(0).contains("ae-03 (member 3) changed"), said.get(0));
    }

    @Test
    void aMissingModelFileAndAChangedClassifierAreNamed() throws Exception {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        Files.delete(ws.resolve("models/ae-05.zip"));
        Files.write(ws.resolve("models/classifier.zip"), new byte[] {1, 2, 3});
        CalibrationFreshness.Report r = CalibrationFreshness.check(ws,
                new CalibrationStore(ws).readCBest("bim").orElseThrow());
        assertEquals(List.of("classifier (F) changed", "ae-05 (member 5) missing"),
                r.changes().stream().map(c -> c.model() + " " + c.what()).toList());
        assertNull(r.changes().get(1).current());
    }

    @Test
    void aMemberAddedToSAfterTheCalibrationIsNotCalibrated() throws Exception {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        Files.copy(ws.resolve("models/ae-10.zip"), ws.resolve("models/ae-11.zip"));
        ObjectNode manifest = (ObjectNode) Json.mapper().readTree(ws.resolve("models/ae-10.json").toFile());
        manifest.put("id", 11).put("file", "models/ae-11.zip");
        ((ObjectNode) manifest.get("spec")).put("id", 11);
        Files.writeString(ws.resolve("models/ae-11.json"), Json.mapper().writeValueAsString(manifest));
        CalibrationFreshness.Report r = CalibrationFreshness.check(ws,
                new CalibrationStore(ws).readCBest("cw").orElseThrow());
        assertEquals(List.of("ae-11 (member 11) not calibrated"), r.changes().stream().map(Object::toString).toList());
    }

    @Test
    void aCalibrationWithoutRecordedModelChecksumsIsAllowedAndSaidToBeUnknown() throws Exception {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        Files.copy(ws.resolve("models/ae-04.zip"), ws.resolve("models/ae-03.zip"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CBest full = new CalibrationStore(ws).readCBest("fgsm").orElseThrow();
        Map<String, String> attackFilesOnly = new HashMap<>(full.inputs());
        attackFilesOnly.keySet().removeIf(k -> k.startsWith("models/"));
        CBest old = full.withInputs(attackFilesOnly);
        CalibrationFreshness.Report r = CalibrationFreshness.check(ws, old);
        assertFalse(r.stale(), r.changes().toString());
        assertFalse(r.recordsChecksums());
        List<String> said = new ArrayList<>();
        CalibrationFreshness.admit(ws, old, false, said::add);
        assertEquals(1, said.size());
        assertTrue(said.get(0).startsWith("note: ") && said.get(0).contains("records no checksums"), said.get(0));
    }

    @Test
    void aSaveKilledAfterItsCommitIsJudgedByThePendingFileLoadingReads() throws Exception {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        ModelStore models = new ModelStore(ws);
        // the state ModelStore.save leaves when killed between its manifest and its rename: the manifest names the
        // pending file, which loading then reads
        byte[] retrained = Files.readAllBytes(ws.resolve("models/ae-04.zip"));
        Files.write(models.pendingFile(models.modelFile("ae-03")), retrained);
        ObjectNode manifest = (ObjectNode) Json.mapper().readTree(models.manifestFile("ae-03").toFile());
        manifest.put("sha256", Checksums.sha256(retrained));
        Files.writeString(models.manifestFile("ae-03"), Json.mapper().writeValueAsString(manifest));

        CBest before = new CalibrationStore(ws).readCBest("fgsm").orElseThrow();
        assertEquals(List.of("ae-03 (member 3) changed"), CalibrationFreshness.check(ws, before).changes().stream()
                .map(c -> c.model() + " " + c.what()).toList());
        Map<String, String> inputs = new HashMap<>(before.inputs());
        inputs.put("models/ae-03.zip", Checksums.sha256(retrained));
        assertFalse(CalibrationFreshness.check(ws, before.withInputs(inputs)).stale());
    }
}
