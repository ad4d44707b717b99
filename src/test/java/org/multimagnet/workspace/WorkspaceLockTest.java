package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.Json;
import org.multimagnet.common.UserException;

/**
 * Two programs on one workspace. File locks are per process, so the second locker is always another
 * JVM: a command-line writer while this JVM holds the lock, and a holder that this JVM waits for and then kills.
 */
class WorkspaceLockTest {
    @TempDir
    Path tmp;

    private Path workspace(String name) {
        Path w = tmp.resolve(name);
        Json.writeFile(w.resolve(Workspace.CONFIG), new WorkspaceConfig("sample:mnist", "paper", 1));
        return w;
    }

    @Test
    void aCommandThatWritesIsToldTheWorkspaceIsInUseAndAReaderStillWorks() throws Exception {
        Path w = workspace("held-here");
        WorkspaceLock lock = WorkspaceLock.acquire(w);
        assertSame(lock, WorkspaceLock.acquire(w), "this process may lock its own workspace again");
        Workspace.openForWriting(w); // no error: the lock is this process's
        long pid = ProcessHandle.current().pid();
        try (ChildJvm writer = ChildJvm.start(org.multimagnet.Launcher.class, "attack", "--workspace", w.toString(),
                "--attack", "fgsm", "--split", "test", "--count", "5")) {
            assertTrue(writer.process.waitFor(60, TimeUnit.SECONDS), writer.output());
            writer.kill();
            String out = writer.output();
            assertEquals(2, writer.process.exitValue(), out);
            assertTrue(out.contains("workspace " + w.toAbsolutePath().normalize() + " is in use by process " + pid
                    + " since " + lock.since()), out);
            assertTrue(out.contains("close it or use another workspace"), out);
            assertFalse(out.contains("\tat "), "no stack trace: " + out);
        }
        try (ChildJvm reader = ChildJvm.start(org.multimagnet.Launcher.class, "models", "list", "--workspace",
                w.toString())) {
            assertTrue(reader.process.waitFor(60, TimeUnit.SECONDS), reader.output());
            reader.kill();
            assertEquals(0, reader.process.exitValue(), "reading a locked workspace works: " + reader.output());
        }
    }

    @Test
    void aLockHeldByAnotherProcessRefusesThisOneUntilThatProcessIsKilled() throws Exception {
        Path w = workspace("held-there");
        try (ChildJvm holder = ChildJvm.start(LockHolderMain.class, w.toString())) {
            assertTrue(holder.awaitLine("locked", 30_000), holder.output());
            UserException e = assertThrows(UserException.class, () -> Workspace.openForWriting(w));
            assertTrue(e.getMessage().contains("is in use by process " + holder.process.pid() + " since "),
                    e.getMessage());
            assertThrows(UserException.class, () -> new ModelStore(w).save("ae-01", new byte[] {1},
                    CrashArtifacts.modelDraft(1)), "a save is refused too");
            assertFalse(Files.exists(w.resolve("models/ae-01.zip")));
            assertTrue(Workspace.open(w).root().endsWith("held-there"), "opening to read works");
            holder.kill(); // SIGKILL: the operating system drops the lock; the stale .lock file blocks no one
        }
        WorkspaceLock mine = WorkspaceLock.acquire(w);
        assertTrue(mine.isValid());
        assertTrue(Files.readString(w.resolve(WorkspaceLock.FILE)).contains("pid=" + ProcessHandle.current().pid()));
    }
}
