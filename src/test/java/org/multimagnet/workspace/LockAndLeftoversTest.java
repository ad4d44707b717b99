package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.Json;
import org.multimagnet.common.UserException;

/** The lock file is never followed or used when it is not a regular file; writers tidy killed writers' leftovers. */
class LockAndLeftoversTest {
    @TempDir
    Path dir;

    private Path workspace(String name) throws Exception {
        Path w = Files.createDirectories(dir.resolve(name));
        Json.writeFile(w.resolve(Workspace.CONFIG), new WorkspaceConfig("sample:mnist", "paper", 1));
        return w;
    }

    @Test
    void aLinkPlantedAsTheLockIsRefusedAndItsTargetIsNotWritten() throws Exception {
        Path w = workspace("link");
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Files.createSymbolicLink(w.resolve(WorkspaceLock.FILE), victim);
        UserException e = assertThrows(UserException.class, () -> Workspace.openForWriting(w));
        assertTrue(e.getMessage().contains(".lock: is a symbolic link"), e.getMessage());
        assertEquals("precious", Files.readString(victim));
        Path dangling = workspace("dangling");
        Files.createSymbolicLink(dangling.resolve(WorkspaceLock.FILE), dir.resolve("would-be-created"));
        assertThrows(UserException.class, () -> Workspace.openForWriting(dangling));
        assertFalse(Files.exists(dir.resolve("would-be-created")));
    }

    @Test
    void aFolderOrFifoAsTheLockIsOneLineNotAStackTrace() throws Exception {
        Path w = workspace("folder");
        Files.createDirectories(w.resolve(WorkspaceLock.FILE));
        UserException e = assertThrows(UserException.class, () -> Workspace.openForWriting(w));
        assertTrue(e.getMessage().contains(".lock: is a folder"), e.getMessage());
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mkfifo")) || Files.isExecutable(Path.of("/bin/mkfifo")));
        Path f = workspace("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", f.resolve(WorkspaceLock.FILE).toString()).start().waitFor());
        e = assertThrows(UserException.class, () -> Workspace.openForWriting(f));
        assertTrue(e.getMessage().contains(".lock: is a special file"), e.getMessage());
    }

    @Test
    void openingForWritingDeletesTheTemporaryFilesOfKilledWritesAndNothingElse() throws Exception {
        Path w = workspace("tidy");
        Path cal = Files.createDirectories(w.resolve("calibration/bim"));
        Path left1 = Files.writeString(cal.resolve(".cbest.json.12345-7.tmp"), "half");
        Path left2 = Files.writeString(w.resolve("models").getParent().resolve(".workspace.json.3917839.tmp"), "half");
        Path keep = Files.writeString(cal.resolve("notes.tmp"), "mine");
        Path ours = Files.writeString(cal.resolve(".grid.json." + ProcessHandle.current().pid() + "-3.tmp"),
                "another thread of this process may be writing it");
        Path outside = Files.writeString(dir.resolve("outside.tmp"), "not the workspace's");
        Path link = Files.createSymbolicLink(cal.resolve(".link.json.1.tmp"), outside);
        Workspace.openForWriting(w);
        assertFalse(Files.exists(left1));
        assertFalse(Files.exists(left2));
        assertTrue(Files.exists(keep));
        assertTrue(Files.exists(ours), "this process's own temporary files are left to it");
        assertTrue(Files.exists(link, LinkOption.NOFOLLOW_LINKS), "links are not deleted");
        assertTrue(Files.exists(outside));
    }
}
