package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceChangesTest {
    @TempDir
    Path w;

    @Test
    void seesCommittedArtifactsAndIgnoresWritersScratch() throws Exception {
        WorkspaceChanges.Fingerprint none = WorkspaceChanges.look(w);
        assertFalse(none.isWorkspace());
        Files.writeString(w.resolve("workspace.json"), "{}");
        Files.createDirectories(w.resolve("models"));
        Files.writeString(w.resolve("models/ae-03.json"), "{\"a\":1}");
        Files.createDirectories(w.resolve("calibration/fgsm"));
        Files.writeString(w.resolve("calibration/fgsm/cbest.json"), "{}");
        WorkspaceChanges.Fingerprint made = WorkspaceChanges.look(w);
        assertTrue(made.isWorkspace());
        assertEquals(Set.of("workspace.json", "models/ae-03.json", "calibration/fgsm/cbest.json"),
                made.changedSince(none));

        // a writer's hidden scratch files and the lock are not changes
        Files.writeString(w.resolve("models/.ae-03.zip.pending"), "x");
        Files.writeString(w.resolve(".lock"), "pid 1");
        Files.createDirectories(w.resolve("calibration/.fgsm.new"));
        Files.writeString(w.resolve("calibration/.fgsm.new/cbest.json"), "{}");
        assertEquals(made, WorkspaceChanges.look(w));

        // a manifest rewritten with the same size is still seen (its modification time moved)
        Files.writeString(w.resolve("models/ae-03.json"), "{\"a\":2}");
        Files.setLastModifiedTime(w.resolve("models/ae-03.json"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertEquals(Set.of("models/ae-03.json"), WorkspaceChanges.look(w).changedSince(made));
        // a removed calibration too
        Files.delete(w.resolve("calibration/fgsm/cbest.json"));
        assertTrue(WorkspaceChanges.look(w).changedSince(made).contains("calibration/fgsm/cbest.json"));
    }
}
