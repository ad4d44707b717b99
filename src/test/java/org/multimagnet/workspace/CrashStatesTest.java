package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.Checksums;
import org.multimagnet.common.Json;
import org.multimagnet.common.UserException;

/**
 * Every state a killed save can leave behind, built on purpose (the kill test reaches them by chance): the
 * readers see a whole old or new artifact, the next writer finishes or clears what was left, and a file that
 * matches no manifest is still refused.
 */
class CrashStatesTest {
    @TempDir
    Path w;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private ModelStore storeWithVersion1() {
        ModelStore store = new ModelStore(w);
        store.save("ae-01", bytes("version 1"), CrashArtifacts.modelDraft(1));
        return store;
    }

    @Test
    void killedBeforeTheManifestIsWrittenLeavesTheOldPair() throws Exception {
        ModelStore store = storeWithVersion1();
        Path pending = store.pendingFile(store.modelFile("ae-01"));
        Files.write(pending, bytes("version 2")); // step 1 done, killed before step 2
        ModelManifest m = store.manifest("ae-01");
        assertEquals(1, m.seed());
        assertEquals(store.modelFile("ae-01"), store.verifiedFile("ae-01", m));
        store.save("ae-01", bytes("version 3"), CrashArtifacts.modelDraft(3)); // the next save clears the leftover
        assertEquals(Checksums.sha256(bytes("version 3")), Checksums.sha256(store.modelFile("ae-01")));
        assertFalse(Files.exists(pending));
    }

    @Test
    void killedBetweenTheManifestAndTheRenameReadsTheNewModelAndTheNextSaveFinishesIt() throws Exception {
        ModelStore store = storeWithVersion1();
        Path file = store.modelFile("ae-01");
        Path pending = store.pendingFile(file);
        byte[] v2 = bytes("version 2");
        Files.write(pending, v2);
        ModelManifest m2 = new ModelManifest(org.multimagnet.nn.ModelRole.AUTOENCODER, 1, "x", null, 0, "models/ae-01.zip", Checksums.sha256(v2), null,
                null, 0, 2, 1, null, 0, null, null, null, 0, 0, null, null, null, null);
        org.multimagnet.common.Json.writeFile(store.manifestFile("ae-01"), m2); // step 2 done, killed before 3
        assertEquals(pending, store.verifiedFile("ae-01", store.manifest("ae-01")));
        Json.writeFile(w.resolve(Workspace.CONFIG), new WorkspaceConfig("sample:mnist", "paper", 1));
        Workspace.openForWriting(w); // a writer finishes the rename as it opens the workspace
        assertArrayEquals(v2, Files.readAllBytes(file));
        assertFalse(Files.exists(pending));
        assertEquals(file, store.verifiedFile("ae-01", store.manifest("ae-01")));
    }

    @Test
    void aChangedModelIsStillRefusedWithOrWithoutAPendingFile() throws Exception {
        ModelStore store = storeWithVersion1();
        Path file = store.modelFile("ae-01");
        Files.write(file, bytes("tampered"));
        UserException e = assertThrows(UserException.class, () -> store.verifiedFile("ae-01", store.manifest("ae-01")));
        assertTrue(e.getMessage().contains("ae-01.zip") && e.getMessage().contains("differs"), e.getMessage());
        Files.write(store.pendingFile(file), bytes("also not it"));
        assertThrows(UserException.class, () -> store.verifiedFile("ae-01", store.manifest("ae-01")));
    }

    @Test
    void theOldCodesOrderModelThenManifestWouldHaveLeftARefusedPair() throws Exception {
        // what a kill between the two writes did before the fix: the new model beside the old manifest
        ModelStore store = storeWithVersion1();
        Files.write(store.modelFile("ae-01"), bytes("version 2"));
        assertThrows(UserException.class, () -> store.verifiedFile("ae-01", store.manifest("ae-01")));
    }

    @Test
    void aFolderKilledBetweenItsTwoRenamesIsReadFromThePreviousVersionAndRepairedByTheNextWrite() throws Exception {
        Path target = w.resolve("calibration").resolve("fgsm");
        Files.createDirectories(target);
        Files.writeString(target.resolve("cbest.json"), "old");
        Path fresh = FolderSwap.begin(target);
        Files.writeString(fresh.resolve("cbest.json"), "new");
        // step 3, first rename only: the target is gone
        Files.move(target, FolderSwap.previous(target));
        assertEquals(FolderSwap.previous(target), FolderSwap.readable(target));
        assertEquals("old", Files.readString(FolderSwap.readable(target).resolve("cbest.json")));
        Path again = FolderSwap.begin(target); // the next writer puts the old version back, clears the rest
        assertTrue(Files.isDirectory(target));
        assertEquals("old", Files.readString(target.resolve("cbest.json")));
        assertFalse(Files.exists(FolderSwap.previous(target)));
        assertEquals(0, Files.list(again).count());
        Files.writeString(again.resolve("cbest.json"), "newer");
        FolderSwap.commit(target);
        assertEquals("newer", Files.readString(target.resolve("cbest.json")));
        assertFalse(Files.exists(FolderSwap.previous(target)) || Files.exists(FolderSwap.staging(target)));
    }

    @Test
    void aCalibrationBetweenRenamesIsStillListedAndCurrent() throws Exception {
        CalibrationStore store = new CalibrationStore(w);
        store.write("bim", CrashArtifacts.grid(5), CrashArtifacts.calibration(5));
        Files.move(store.folder("bim"), FolderSwap.previous(store.folder("bim")));
        assertEquals(java.util.List.of("bim"), store.calibratedAttacks());
        assertEquals(5, store.current("bim").seed());
        assertEquals(CrashArtifacts.grid(5), store.readGrid("bim").orElseThrow());
        store.write("bim", CrashArtifacts.grid(6), CrashArtifacts.calibration(6));
        assertEquals(6, store.current(null).seed());
        assertEquals(CrashArtifacts.grid(6), store.readGrid("bim").orElseThrow());
    }
}
