package org.multimagnet.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The temporary files of atomic writes ({@code .<name>.<unique>.tmp}, see
 * {@link org.multimagnet.common.AtomicFiles}) that a killed writer left behind. Only the holder of the workspace's
 * lock calls {@link #clean}, so no other process can be using them; this process's own are left alone, since
 * another of its threads may be writing one.
 */
final class Leftovers {
    /** How deep under the workspace atomic writes happen: {@code W/calibration/<attack>/.<name>.tmp}. */
    private static final int DEPTH = 3;

    private Leftovers() {
    }

    /**
     * @return whether a file name is one of an atomic write's temporary files written by another process: this
     *         process's own ({@code .<name>.<this pid>-<n>.tmp}) may belong to a write in progress on another thread
     */
    static boolean isTemporary(String name) {
        return name.startsWith(".") && name.endsWith(".tmp") && name.length() > ".x.tmp".length()
                && !name.endsWith("." + ProcessHandle.current().pid() + "-" + counterOf(name) + ".tmp");
    }

    private static String counterOf(String name) {
        String stem = name.substring(0, name.length() - ".tmp".length());
        int dash = stem.lastIndexOf('-');
        return dash < 0 ? "" : stem.substring(dash + 1);
    }

    /**
     * Deletes every temporary file of an atomic write under the workspace (links are neither followed nor
     * deleted: only regular files this program could have written).
     *
     * @return the files deleted
     */
    static List<Path> clean(Path root) {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<Path> found;
        try (Stream<Path> s = Files.walk(root, DEPTH)) {
            found = s.filter(p -> isTemporary(p.getFileName().toString()))
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of(); // an unreadable folder keeps its leftovers; they are hidden and harmless
        }
        for (Path p : found) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a file that cannot be deleted stays; the next writer tries again
            }
        }
        return found;
    }
}
