package org.multimagnet.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.multimagnet.common.UserException;

/**
 * The writer's lock of a workspace: {@code W/.lock}, locked with {@link FileChannel#tryLock()} and held until this
 * process ends, so that two programs (two workbenches, or a workbench and a command that writes) never write the
 * same workspace at once. The file names the holder ({@code pid} and {@code since}) so that the second one can be
 * told who has it. The operating system releases the lock when the holder exits, even when it is killed, so a
 * stale {@code .lock} file never blocks anyone.
 *
 * <p>File locks belong to a process, not to a thread or an object, so the locks this process holds are kept in one
 * process-wide table: locking a workspace this process already holds is a no-op.
 */
public final class WorkspaceLock {
    /** The lock file's name inside a workspace. */
    public static final String FILE = ".lock";

    /** Locks held by this process, by absolute workspace folder; they are released only when the process ends. */
    private static final Map<Path, WorkspaceLock> HELD = new ConcurrentHashMap<>();

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;
    private final String since;

    private WorkspaceLock(Path folder, FileChannel channel, FileLock lock, String since) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
        this.since = since;
    }

    /**
     * Takes the writer's lock of a workspace for the rest of this process's life (or returns the one already held).
     *
     * @param workspace the workspace folder; created when missing
     * @return the lock
     * @throws UserException when another process holds it, naming that process and since when
     */
    public static WorkspaceLock acquire(Path workspace) {
        Path folder = workspace.toAbsolutePath().normalize();
        WorkspaceLock held = HELD.get(folder);
        if (held != null) {
            return held;
        }
        synchronized (HELD) {
            held = HELD.get(folder);
            if (held != null) {
                return held;
            }
            WorkspaceLock fresh = tryLock(folder);
            HELD.put(folder, fresh);
            return fresh;
        }
    }

    /** @return whether this process holds the lock of a workspace */
    public static boolean heldHere(Path workspace) {
        return HELD.containsKey(workspace.toAbsolutePath().normalize());
    }

    private static WorkspaceLock tryLock(Path folder) {
        Path file = folder.resolve(FILE);
        FileChannel ch = null;
        try {
            Files.createDirectories(folder);
            requirePlainLockFile(file);
            // NOFOLLOW_LINKS: a link planted as .lock must never make this process write where it points
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // another channel of this process holds it outside this table; treat as in use
            }
            if (lock == null) {
                String holder = readHolder(ch);
                ch.close();
                ch = null;
                throw new UserException("workspace " + folder + " is in use by " + holder
                        + "; close it or use another workspace");
            }
            String since = Instant.now().toString();
            byte[] text = ("pid=" + ProcessHandle.current().pid() + "\nsince=" + since + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(text), 0);
            ch.force(true);
            WorkspaceLock l = new WorkspaceLock(folder, ch, lock, since);
            ch = null;
            return l;
        } catch (FileSystemException e) {
            // ELOOP from NOFOLLOW_LINKS (a link planted after the check), a read-only folder, a full disk
            throw UserException.badFile(file, "cannot lock the workspace: " + e.getMessage()
                    + " (expected a regular file or nothing)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not lock workspace " + folder + " (" + file + "): "
                    + e.getMessage(), e);
        } finally {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing releases nothing we hold; the first error is the one to report
                }
            }
        }
    }

    /** Refuses a {@code .lock} that is a link, a folder or a special file: only a regular file or nothing is used. */
    private static void requirePlainLockFile(Path file) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!a.isRegularFile()) {
            String kind = a.isSymbolicLink() ? "a symbolic link" : a.isDirectory() ? "a folder"
                    : "a special file (FIFO, device or socket)";
            throw UserException.badFile(file, "is " + kind + ", expected the workspace's lock file (a regular file)"
                    + "; remove it");
        }
    }

    /** Reads "process N since T" from a lock file another process holds (the lock is advisory, reading works). */
    private static String readHolder(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(256);
        ch.read(buf, 0);
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        String pid = "?";
        String since = "?";
        for (String line : text.split("\n")) {
            if (line.startsWith("pid=")) {
                pid = line.substring(4).trim();
            } else if (line.startsWith("since=")) {
                since = line.substring(6).trim();
            }
        }
        return "process " + pid + " since " + since;
    }

    /** @return the locked workspace folder */
    public Path folder() {
        return folder;
    }

    /** @return when this process took the lock (ISO-8601) */
    public String since() {
        return since;
    }

    /** @return whether the lock is still valid (it is until the process ends) */
    public boolean isValid() {
        return lock.isValid() && channel.isOpen();
    }
}
