package org.multimagnet.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.multimagnet.common.UserException;

/**
 * Reads a data file that may be gzip-compressed (detected by its magic bytes, not its name) without ever trusting a
 * size field: buffers grow only as the stream actually delivers bytes, and every size is checked against the file
 * size (raw files) or against the memory this JVM may still use (compressed files, which could be gzip bombs).
 */
final class FileBytes {
    /** Largest Java array we allocate (a few elements below {@code Integer.MAX_VALUE}, as the JDK does). */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    private static final int CHUNK = 1 << 20;

    private FileBytes() {
    }

    /** @return whether the file starts with the gzip magic bytes 1f 8b */
    static boolean isGzip(Path file) {
        byte[] head = head(file, 2);
        return head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    /** @return up to {@code n} first bytes of the raw file (not decompressed) */
    static byte[] head(Path file, int n) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    /** @return the raw file's size in bytes */
    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    /** Opens the file, decompressing it when it is gzip. The caller closes the stream. */
    static InputStream open(Path file) {
        try {
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            if (isGzip(file)) {
                try {
                    return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
                } catch (IOException | RuntimeException e) {
                    raw.close();
                    throw e;
                }
            }
            return raw;
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    /**
     * Reads exactly {@code n} bytes, growing the buffer only as bytes arrive, so a header that lies about the size
     * costs memory only for what the file really holds.
     *
     * @param what what the bytes are, for the message (e.g. "the IDX header")
     * @throws UserException when the stream ends early (a truncated file) or cannot be decompressed
     */
    static byte[] readExactly(InputStream in, long n, Path file, String what) {
        if (n > MAX_ARRAY) {
            throw UserException.badFile(file, what + " would be " + n + " bytes, more than one array can hold");
        }
        byte[] buf = new byte[(int) Math.min(n, CHUNK)];
        int filled = 0;
        try {
            while (filled < n) {
                if (filled == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(n, (long) buf.length * 2));
                }
                int r = in.read(buf, filled, buf.length - filled);
                if (r < 0) {
                    throw UserException.badFile(file, "truncated: " + what + " needs " + n
                            + " bytes but the data ends after " + filled);
                }
                filled += r;
            }
        } catch (EOFException | ZipException e) {
            throw UserException.badFile(file, "truncated or corrupt gzip data while reading " + what + " ("
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
        return buf;
    }

    /**
     * Reads everything left in the stream, up to {@code cap} bytes, growing the buffer as bytes arrive.
     *
     * @throws UserException when there are more than {@code cap} bytes (e.g. a gzip bomb)
     */
    static byte[] readAtMost(InputStream in, long cap, Path file, String capReason) {
        long limit = Math.min(cap, MAX_ARRAY);
        byte[] buf = new byte[(int) Math.min(limit + 1, CHUNK)];
        int filled = 0;
        try {
            while (true) {
                if (filled == buf.length) {
                    if (filled > limit) {
                        throw UserException.badFile(file, "more than " + limit + " bytes of data (" + capReason + ")");
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min(limit + 1, (long) buf.length * 2));
                }
                int r = in.read(buf, filled, buf.length - filled);
                if (r < 0) {
                    break;
                }
                filled += r;
            }
        } catch (EOFException | ZipException e) {
            throw UserException.badFile(file, "truncated or corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
        if (filled > limit) {
            throw UserException.badFile(file, "more than " + limit + " bytes of data (" + capReason + ")");
        }
        return Arrays.copyOf(buf, filled);
    }

    /**
     * Checks that the stream has no bytes left; trailing data means the header does not describe the file.
     */
    static void expectEnd(InputStream in, Path file, String what) {
        try {
            if (in.read() >= 0) {
                throw UserException.badFile(file, "has more data than " + what + " says; the header does not "
                        + "describe this file");
            }
        } catch (EOFException | ZipException e) {
            throw UserException.badFile(file, "corrupt gzip data at the end (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    /**
     * Refuses a load that would need more heap than this JVM can still give, before allocating it.
     *
     * @param bytes the bytes the load will allocate in total
     */
    static void checkMemory(Path file, long bytes, String what) {
        if (bytes >= 0 && bytes <= usableHeap()) {
            return;
        }
        // The heap's "used" part may be mostly garbage from an earlier load; collect once before refusing.
        System.gc();
        long usable = usableHeap();
        if (bytes < 0 || bytes > usable) {
            throw UserException.badFile(file, what + " needs about " + mib(bytes) + " of memory but only "
                    + mib(usable) + " can be spared (raise -Xmx to load it)");
        }
    }

    /** @return four fifths of the heap still free: a load should not starve the rest of the program */
    private static long usableHeap() {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        return free / 5 * 4;
    }

    static String mib(long bytes) {
        return bytes >= 0 && bytes < (1L << 40) ? String.format("%,d MiB", (bytes + (1 << 20) - 1) >> 20)
                : "more than 1 TiB";
    }

    static UserException cannotRead(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return UserException.badFile(file, "no such file", e);
        }
        return UserException.badFile(file, "cannot be read: " + e.getMessage(), e);
    }
}
