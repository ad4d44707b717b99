package org.multimagnet.common;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reading files that may have been planted by someone else (a downloaded or shared workspace): only regular files
 * are opened (a FIFO would block forever, a device would never end), a file inside a workspace must really be
 * inside it (no symbolic link out of it), and no read trusts a size the file system reports: it stops, and fails,
 * one byte past its bound.
 */
public final class SafeFiles {
    private SafeFiles() {
    }

    /**
     * The largest number of bytes a reader may hold at once: a fraction of the heap, so that the bytes and what is
     * decoded from them fit together.
     *
     * @param divisor the share of the heap, e.g. 4 for a quarter
     */
    public static long heapShare(int divisor) {
        return Runtime.getRuntime().maxMemory() / divisor;
    }

    /**
     * Checks that a path names a regular file (after following links), so that opening it cannot block or stream
     * without end.
     *
     * @throws UserException naming the file when it is missing, a folder, a FIFO, a device or a socket
     */
    public static void requireRegularFile(Path file) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw UserException.badFile(file, "file not found");
        } catch (IOException | InvalidPathException e) {
            throw UserException.badFile(file, "cannot read: " + e.getMessage(), e);
        }
        if (!a.isRegularFile()) {
            throw UserException.badFile(file, "is " + kind(a) + ", expected a regular file");
        }
    }

    /**
     * Checks that a file of a workspace is a regular file whose real location (every link followed) is inside
     * the workspace's real folder.
     *
     * @param root the workspace folder
     * @param file a path inside it
     * @throws UserException naming the file when it leads elsewhere or is not a regular file
     */
    public static void requireInside(Path root, Path file) {
        requireRegularFile(file);
        Path real;
        Path realRoot;
        try {
            real = file.toRealPath();
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw UserException.badFile(file, "cannot resolve: " + e.getMessage(), e);
        }
        if (!real.startsWith(realRoot)) {
            throw UserException.badFile(file, "leads to " + real + ", outside " + realRoot
                    + " (a link out of a workspace is not followed)");
        }
    }

    /**
     * Reads a whole regular file of at most {@code maxBytes} bytes. The bound is enforced on the bytes actually read,
     * not on the size the file system reports.
     *
     * @throws UserException naming the file when it is missing, not a regular file, or longer than the bound
     */
    public static byte[] read(Path file, long maxBytes) {
        requireRegularFile(file);
        try (InputStream in = Files.newInputStream(file)) {
            return readBounded(in, file, maxBytes);
        } catch (NoSuchFileException e) {
            throw UserException.badFile(file, "file not found");
        } catch (IOException e) {
            throw UserException.badFile(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /** {@link #read(Path, long)} of a file that must be inside a workspace ({@link #requireInside}). */
    public static byte[] readInside(Path root, Path file, long maxBytes) {
        requireInside(root, file);
        return read(file, maxBytes);
    }

    /**
     * Reads a stream to its end, failing one byte past {@code maxBytes}; the buffer grows only as bytes arrive.
     *
     * @param file names the source in the message
     */
    public static byte[] readBounded(InputStream in, Path file, long maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > maxBytes) {
                throw UserException.badFile(file, "more than the " + maxBytes + " bytes this file may have");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** @return whether the path itself (not what it links to) is a symbolic link */
    public static boolean isLink(Path p) {
        return Files.isSymbolicLink(p);
    }

    /** @return whether something, even a dangling link, is at the path */
    public static boolean existsNoFollow(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static String kind(BasicFileAttributes a) {
        if (a.isDirectory()) {
            return "a folder";
        }
        if (a.isOther()) {
            return "a special file (FIFO, device or socket)";
        }
        return "not a regular file";
    }
}
