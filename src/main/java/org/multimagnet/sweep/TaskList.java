package org.multimagnet.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.multimagnet.common.AtomicFiles;
import org.multimagnet.common.Json;
import org.multimagnet.common.SafeFiles;
import org.multimagnet.common.UserException;
import org.multimagnet.workspace.Consent;

/**
 * A sweep's folder: {@code tasks.jsonl} (one task a line, in index order), {@code runs/<id>/} of each task run,
 * and what a merge and the scheduler files write beside them.
 */
public final class TaskList {
    /** The task list's file name. */
    public static final String TASKS = "tasks.jsonl";
    /** The folder holding each task's own folder. */
    public static final String RUNS = "runs";

    private static final ObjectWriter ONE_LINE = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);

    private TaskList() {
    }

    /** What {@link #write} did. */
    public enum Written { NEW, UNCHANGED, REPLACED }

    /**
     * Writes the task list atomically. An existing list that differs is replaced only with consent: its tasks'
     * runs would no longer match their ids.
     *
     * @throws UserException when a different list exists and {@code consent} is {@link Consent#ASK_FIRST}
     */
    public static Written write(Path folder, List<SweepTask> tasks, Consent consent) {
        Path file = folder.resolve(TASKS);
        byte[] content = text(tasks).getBytes(StandardCharsets.UTF_8);
        Written how = Written.NEW;
        if (SafeFiles.existsNoFollow(file)) {
            if (java.util.Arrays.equals(SafeFiles.read(file, Json.maxBytes()), content)) {
                return Written.UNCHANGED;
            }
            if (consent != Consent.REPLACE) {
                throw UserException.badFile(file, "holds a different task list (" + read(folder).size() + " tasks); "
                        + "give --replace to replace it, or expand into another folder");
            }
            how = Written.REPLACED;
        }
        AtomicFiles.write(file, content);
        return how;
    }

    /** @return the lines of a task list */
    static String text(List<SweepTask> tasks) {
        StringBuilder sb = new StringBuilder();
        for (SweepTask t : tasks) {
            try {
                sb.append(ONE_LINE.writeValueAsString(t)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return sb.toString();
    }

    /**
     * Reads the task list of a sweep folder.
     *
     * @throws UserException naming the file and line when it is missing or a line is not a task
     */
    public static List<SweepTask> read(Path folder) {
        Path file = folder.resolve(TASKS);
        if (!SafeFiles.existsNoFollow(file)) {
            throw UserException.badFile(folder, "no " + TASKS + " (make it with 'sweep expand --grid <sweep.json> "
                    + "--out " + folder + "')");
        }
        String[] lines = new String(SafeFiles.read(file, Json.maxBytes()), StandardCharsets.UTF_8).split("\n");
        List<SweepTask> tasks = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            SweepTask t;
            try {
                t = Json.mapper().readValue(lines[i], SweepTask.class);
            } catch (JsonProcessingException e) {
                throw UserException.badFile(file, "line " + (i + 1) + " is not a task ("
                        + e.getOriginalMessage() + ")", e);
            }
            if (t.index() != tasks.size() || t.id() == null || !t.id().matches("[0-9]{4,}-[0-9a-f]{8}")) {
                throw UserException.badFile(file, "line " + (i + 1) + ": index " + t.index() + ", id " + t.id()
                        + " (expected index " + tasks.size() + " and an id <index>-<8 hex digits>)");
            }
            tasks.add(t);
        }
        return tasks;
    }

    /** @return the folder of a task's run: {@code <folder>/runs/<id>} */
    public static Path runFolder(Path folder, SweepTask task) {
        return folder.resolve(RUNS).resolve(task.id());
    }

    /** @return whether a folder holds a task list */
    public static boolean exists(Path folder) {
        return Files.isRegularFile(folder.resolve(TASKS));
    }
}
