package org.multimagnet.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Replaces an artifact folder (an attack set, a calibration) as a whole, so that a process killed at any point
 * leaves either the old folder or the new one readable, never a mixture.
 *
 * <p>Protocol, for target {@code X} in folder {@code P}:
 * <ol>
 *   <li>leftovers {@code P/.X.new} and (while {@code X} exists) {@code P/.X.old} are deleted; when {@code X} is
 *       missing but {@code .X.old} exists, an earlier replace was killed between its two renames and
 *       {@code .X.old} is renamed back to {@code X} first;</li>
 *   <li>the caller writes the complete new folder {@code .X.new};</li>
 *   <li>{@code X} is renamed to {@code .X.old}, {@code .X.new} to {@code X} (both atomic renames);</li>
 *   <li>{@code .X.old} is deleted.</li>
 * </ol>
 * Between the two renames of step 3, {@code X} does not exist; {@link #readable} then answers {@code .X.old},
 * which is the complete old folder. Readers ignore hidden names otherwise. All writers hold the
 * {@link WorkspaceLock}, so no two replaces of one folder run at once.
 */
final class FolderSwap {
    private FolderSwap() {
    }

    /** @return {@code P/.X.new}, where the next version of {@code X} is written */
    static Path staging(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".new");
    }

    /** @return {@code P/.X.old}, where the previous version waits between the two renames */
    static Path previous(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".old");
    }

    /**
     * The folder a reader should read: {@code target} when it exists, else the previous version when a replace was
     * interrupted between its renames, else {@code target} (which then does not exist).
     */
    static Path readable(Path target) {
        if (Files.isDirectory(target)) {
            return target;
        }
        Path old = previous(target);
        return Files.isDirectory(old) ? old : target;
    }

    /**
     * Step 1: repairs an interrupted replace and clears leftovers, then creates an empty staging folder.
     *
     * @return the empty staging folder to write the new version into
     */
    static Path begin(Path target) throws IOException {
        Path old = previous(target);
        Path fresh = staging(target);
        Files.createDirectories(target.getParent());
        if (!Files.exists(target) && Files.isDirectory(old)) {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE); // undo a half-done step 3
        }
        deleteTree(old);
        deleteTree(fresh);
        Files.createDirectories(fresh);
        return fresh;
    }

    /** Steps 3 and 4: puts the complete staging folder in place of {@code target}. */
    static void commit(Path target) throws IOException {
        Path old = previous(target);
        Path fresh = staging(target);
        boolean hadOld = Files.exists(target);
        if (hadOld) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        if (hadOld) {
            try {
                deleteTree(old);
            } catch (IOException | UncheckedIOException ignored) {
                // the new version is in place; a leftover hidden .old is ignored by readers and cleared next time
            }
        }
    }

    /** Deletes a staging folder after a failed write (best effort). */
    static void abandon(Path target) {
        try {
            deleteTree(staging(target));
        } catch (IOException | UncheckedIOException ignored) {
            // hidden and ignored by readers; the next replace clears it
        }
    }

    /** Deletes a folder and everything in it; nothing when it does not exist; fails when something stays. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
