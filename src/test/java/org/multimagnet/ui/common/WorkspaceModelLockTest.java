package org.multimagnet.ui.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.workspace.ChildJvm;
import org.multimagnet.workspace.LockHolderMain;
import org.multimagnet.workspace.WorkspaceLock;

/**
 * Two instances on one workspace: a workbench that opens a workspace another process holds is told at once
 * (read-only, naming the process), and one that opens a free workspace takes its lock, so that others are told.
 */
class WorkspaceModelLockTest {
    @TempDir
    Path tmp;

    private Path workspace(String name) throws Exception {
        Path w = tmp.resolve(name);
        Files.createDirectories(w);
        Files.writeString(w.resolve(WorkspaceModel.MARKER), "{\"dataset\":\"sample:mnist\",\"seed\":1}");
        return w;
    }

    @Test
    void aWorkspaceHeldByAnotherProcessOpensReadOnlyAndNamesThatProcess() throws Exception {
        Path w = workspace("held");
        try (ChildJvm holder = ChildJvm.start(LockHolderMain.class, w.toString())) {
            assertTrue(holder.awaitLine("locked", 30_000), holder.output());
            WorkspaceModel model = new WorkspaceModel(w);
            String why = model.inUseByProperty().get();
            assertTrue(why.contains("in use by process " + holder.process.pid()), why);
            holder.kill();
            model.touch(); // the next refresh finds the lock free and takes it
            assertEquals("", model.inUseByProperty().get());
            assertTrue(WorkspaceLock.heldHere(w));
        }
    }

    @Test
    void openingAFreeWorkspaceTakesItsLock() throws Exception {
        Path w = workspace("free");
        WorkspaceModel model = new WorkspaceModel(w);
        assertEquals("", model.inUseByProperty().get());
        assertTrue(WorkspaceLock.heldHere(w));
        Path none = tmp.resolve("not-a-workspace");
        model.open(none);
        assertEquals("", model.inUseByProperty().get());
        assertTrue(Files.notExists(none), "nothing is created for a folder that is not a workspace");
    }
}
