package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Checksums;
import org.multimagnet.common.UserException;

/** Keeping replaced artifacts and bringing them back byte for byte, on a copy of the demo workspace. */
class ArtifactHistoryTest {
    @TempDir
    Path tmp;


    @Test
    void aModelReplacedBySaveComesBackByteForByte() throws IOException {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        ModelStore store = new ModelStore(ws);
        byte[] zip = Files.readAllBytes(ws.resolve("models/ae-03.zip"));
        byte[] json = Files.readAllBytes(ws.resolve("models/ae-03.json"));
        ArtifactHistory history = new ArtifactHistory(ws);
        Artifact ae03 = Artifact.model("ae-03");
        assertTrue(history.current(ae03).orElseThrow().contains("30 epochs"), history.current(ae03).toString());

        // another member's weights saved as member 3: the save keeps the old pair first
        byte[] other = Files.readAllBytes(ws.resolve("models/ae-04.zip"));
        store.save("ae-03", other, store.manifest("ae-03"));
        assertArrayEquals(other, Files.readAllBytes(ws.resolve("models/ae-03.zip")));
        List<ArtifactHistory.Version> kept = history.versions(ae03);
        assertEquals(1, kept.size());
        assertEquals(Checksums.sha256(zip), kept.get(0).files().get("ae-03.zip"));

        Optional<ArtifactHistory.Version> replaced = history.restore(ae03, 1);
        assertArrayEquals(zip, Files.readAllBytes(ws.resolve("models/ae-03.zip")));
        assertArrayEquals(json, Files.readAllBytes(ws.resolve("models/ae-03.json")));
        assertEquals(2, replaced.orElseThrow().version(), "the restore kept the version it replaced");
        assertEquals(Checksums.sha256(other), history.versions(ae03).get(1).files().get("ae-03.zip"));
        store.loadAutoencoder(3); // checksum and role verified against the restored manifest
    }

    @Test
    void consentIsRequiredOnlyWhenTheArtifactExists() throws IOException {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        ArtifactHistory history = new ArtifactHistory(ws);
        ReplacementRefused r = assertThrows(ReplacementRefused.class,
                () -> history.requireConsent(Artifact.attackSet("fgsm", "test"), Consent.ASK_FIRST));
        assertTrue(r.getMessage().startsWith("attacks/fgsm-test holds D_atk of fgsm (2,000 images, made "),
                r.getMessage());
        assertTrue(r.getMessage().contains("--replace"), r.getMessage());
        history.requireConsent(Artifact.attackSet("fgsm", "test"), Consent.REPLACE);
        history.requireConsent(Artifact.attackSet("fgsm", "other"), Consent.ASK_FIRST);
        history.requireConsent(Artifact.model("ae-11"), Consent.ASK_FIRST);
        assertThrows(ReplacementRefused.class, () -> history.requireConsent(Artifact.report(), Consent.ASK_FIRST));
        assertThrows(ReplacementRefused.class,
                () -> history.requireConsent(Artifact.calibration("cw"), Consent.ASK_FIRST));
        assertThrows(ReplacementRefused.class,
                () -> history.requireConsent(Artifact.evaluation("cw-magnet"), Consent.ASK_FIRST));
    }

    @Test
    void folderArtifactsAndEvaluationsRoundTrip() throws IOException {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        ArtifactHistory history = new ArtifactHistory(ws);
        Map<String, String> calibration = TestWorkspaces.snapshot(ws.resolve("calibration/cw"));
        history.keep(Artifact.calibration("cw"), "test");
        Files.writeString(ws.resolve("calibration/cw/cbest.json"), "{}");
        Files.delete(ws.resolve("calibration/cw/grid-results.json"));
        history.restore(Artifact.calibration("cw"), 1);
        assertEquals(calibration, TestWorkspaces.snapshot(ws.resolve("calibration/cw")));

        // an evaluation kept without its marks file: restoring removes the marks written since
        Artifact e = Artifact.evaluation("cw-magnet");
        byte[] marks = Files.readAllBytes(ws.resolve("evaluations/cw-magnet-marks.csv"));
        Files.delete(ws.resolve("evaluations/cw-magnet-marks.csv"));
        byte[] json = Files.readAllBytes(ws.resolve("evaluations/cw-magnet.json"));
        history.keep(e, "test");
        Files.write(ws.resolve("evaluations/cw-magnet-marks.csv"), marks);
        Files.writeString(ws.resolve("evaluations/cw-magnet.json"), "{\"changed\": true}");
        history.restore(e, 1);
        assertArrayEquals(json, Files.readAllBytes(ws.resolve("evaluations/cw-magnet.json")));
        assertFalse(Files.exists(ws.resolve("evaluations/cw-magnet-marks.csv")));
        assertEquals(Checksums.sha256(marks), history.versions(e).get(1).files().get("cw-magnet-marks.csv"));

        List<String> listed = history.list().stream().map(ArtifactHistory.Entry::artifact).toList();
        assertTrue(listed.containsAll(List.of("attacks/fgsm-test", "calibration/cw", "evaluations/cw-magnet",
                "models/classifier", "models/ae-10", "report")), listed.toString());
        assertFalse(listed.stream().anyMatch(a -> a.contains("history")), listed.toString());
    }

    @Test
    void aChangedVersionIsNotRestoredAndNothingIsTouched() throws IOException {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        ArtifactHistory history = new ArtifactHistory(ws);
        Artifact report = Artifact.report();
        history.keep(report, "test");
        Map<String, String> before = TestWorkspaces.snapshot(ws.resolve("report"));
        Path kept = ws.resolve("history/report/1/report.md");
        Files.writeString(kept, "tampered");
        UserException e = assertThrows(UserException.class, () -> history.restore(report, 1));
        assertTrue(e.getMessage().startsWith(kept.toString()) && e.getMessage().contains("SHA-256"), e.getMessage());
        assertEquals(before, TestWorkspaces.snapshot(ws.resolve("report")));
        assertEquals(1, history.versions(report).size(), "a refused restore keeps nothing");
        assertThrows(UserException.class, () -> history.restore(report, 7));
    }

    @Test
    void aKeepKilledHalfWayIsNeitherListedNorInTheWay() throws IOException {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        ArtifactHistory history = new ArtifactHistory(ws);
        Artifact a = Artifact.calibration("fgsm");
        Path dir = ws.resolve("history/calibration/fgsm");
        Files.createDirectories(dir.resolve(".1.tmp"));      // killed while copying
        Files.createDirectories(dir.resolve("1"));           // killed before its record was written
        assertEquals(List.of(), history.versions(a));
        ArtifactHistory.Version v = history.keep(a, "test").orElseThrow();
        assertEquals(2, v.version());
        assertFalse(Files.exists(dir.resolve(".1.tmp")));
        assertEquals(List.of(2), history.versions(a).stream().map(ArtifactHistory.Version::version).toList());
    }

    @Test
    void artifactIdsParseBackAndNamesStayInside() {
        for (Artifact a : List.of(Artifact.model("ae-01"), Artifact.attackSet("fgsm", "test"),
                Artifact.calibration("cw"), Artifact.report(), Artifact.evaluation("bim-magnet"))) {
            assertEquals(a, Artifact.parse(a.id()));
        }
        for (String bad : List.of("models/../../etc", "attacks/a/b", "models/", "history/x", "", "calibration/.x")) {
            UserException e = assertThrows(UserException.class, () -> Artifact.parse(bad), bad);
            assertTrue(e.getMessage().contains("'"), e.getMessage());
        }
    }
}
