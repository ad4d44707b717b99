package org.multimagnet.sweep;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.Json;
import org.multimagnet.common.SafeFiles;
import org.multimagnet.common.UserException;

/**
 * Runs one task of a sweep into {@code runs/<id>/}, all or nothing: the task works in a temporary folder beside it
 * and renames it into place when done, so that a folder named by an id is always a whole run. A task that fails
 * leaves {@code runs/<id>/error.txt} (and whatever it had made, to look at) and is run again by the next
 * {@code sweep run} of its index; a finished one is left as it is.
 */
public final class TaskRunner {
    /** The file a failed task leaves in its folder. */
    public static final String ERROR = "error.txt";

    private TaskRunner() {
    }

    /** How a run ended. */
    public enum Status { FINISHED, ALREADY_FINISHED, FAILED }

    /**
     * @param status  how it ended
     * @param task    the task
     * @param folder  its folder {@code runs/<id>}
     * @param result  its result (null when it failed)
     * @param message why it failed (null otherwise)
     * @param failure the exception that made it fail (null otherwise)
     */
    public record Outcome(Status status, SweepTask task, Path folder, TaskResult result, String message,
                          Throwable failure) {
    }

    /**
     * Picks the task at an index of a sweep folder.
     *
     * @throws UserException when the index is outside the task list
     */
    public static SweepTask task(Path sweep, int index) {
        List<SweepTask> tasks = TaskList.read(sweep);
        if (index < 0 || index >= tasks.size()) {
            throw new UserException("--index " + index + ": " + sweep.resolve(TaskList.TASKS) + " holds "
                    + tasks.size() + " tasks (expected an index from 0 to " + (tasks.size() - 1) + ")");
        }
        return tasks.get(index);
    }

    /**
     * Runs a task unless it has finished already.
     *
     * @param sweep  the sweep folder
     * @param log    told what happens, in lines
     * @param cancel checked between batches; a cancelled task leaves no folder
     * @return how it ended; a failure of the study is returned (and recorded), not thrown
     */
    public static Outcome run(Path sweep, SweepTask task, Consumer<String> log, Cancellation cancel) {
        Path folder = TaskList.runFolder(sweep, task);
        if (SafeFiles.existsNoFollow(folder.resolve(TaskResult.FILE))) {
            return new Outcome(Status.ALREADY_FINISHED, task, folder, readResult(folder), null, null);
        }
        if (SafeFiles.existsNoFollow(folder)) {
            // only a failed run leaves a folder without a result: it is this task's own, and the new run replaces it
            log.accept("earlier run failed: " + firstLine(folder.resolve(ERROR)) + "; running it again");
            deleteTree(folder);
        }
        Path work = temporaryFolder(folder);
        try {
            TaskResult r = TaskStudy.run(task, work, log, cancel);
            moveIntoPlace(work, folder);
            return new Outcome(Status.FINISHED, task, folder, r, null, null);
        } catch (CancellationException e) {
            deleteTree(work);
            throw e;
        } catch (RuntimeException | OutOfMemoryError e) {
            String message = message(e);
            writeError(work, task, message, e);
            moveIntoPlace(work, folder);
            return new Outcome(Status.FAILED, task, folder, null, message, e);
        }
    }

    /** @return the result a finished task recorded */
    public static TaskResult readResult(Path folder) {
        return Json.readFile(folder.resolve(TaskResult.FILE), TaskResult.class);
    }

    /** A new folder {@code runs/.<id>.tmp-N} beside the task's folder; merges and re-runs ignore such folders. */
    private static Path temporaryFolder(Path folder) {
        try {
            Files.createDirectories(folder.getParent());
            return Files.createTempDirectory(folder.getParent(), "." + folder.getFileName() + ".tmp-");
        } catch (IOException e) {
            throw new UncheckedIOException(folder.getParent() + ": cannot create the task's folder: " + e.getMessage(), e);
        }
    }

    private static void moveIntoPlace(Path work, Path folder) {
        try {
            Files.move(work, folder, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new UncheckedIOException(folder + ": the file system cannot rename folders atomically", e);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            // another run of the same index finished first: its folder stands, this one is dropped
            deleteTree(work);
        } catch (IOException e) {
            if (SafeFiles.existsNoFollow(folder.resolve(TaskResult.FILE))) {
                deleteTree(work);
                return;
            }
            throw new UncheckedIOException(folder + ": cannot move the finished run into place: " + e.getMessage(), e);
        }
    }

    private static String message(Throwable e) {
        if (e instanceof UserException) {
            return e.getMessage();
        }
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && !(t instanceof UserException)) {
            t = t.getCause();
        }
        return t instanceof UserException ? t.getMessage() : e.toString();
    }

    private static void writeError(Path work, SweepTask task, String message, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String text = "task " + task.id() + " (index " + task.index() + ") failed: " + message.replace('\n', ' ')
                + "\n\n" + trace;
        try {
            Files.writeString(work.resolve(ERROR), text, StandardCharsets.UTF_8);
        } catch (IOException io) {
            throw new UncheckedIOException(work + ": cannot record the failure (" + message + "): " + io.getMessage(), io);
        }
    }

    /** @return the first line of a failed task's error file, or a note that there is none */
    public static String firstLine(Path errorFile) {
        try {
            String text = Files.readString(errorFile, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            return end < 0 ? text : text.substring(0, end);
        } catch (IOException e) {
            return "(no " + ERROR + ")";
        }
    }

    private static void deleteTree(Path folder) {
        if (!Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": cannot delete: " + e.getMessage(), e);
        }
    }
}
