package org.multimagnet.data;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.multimagnet.common.UserException;

/** Class-name lists: numbered names, optional name files (one name per line), and label range checks. */
final class ClassNames {
    /** A name file larger than this is not a list of class names. */
    private static final long MAX_FILE = 1 << 16;

    private ClassNames() {
    }

    /** @return "0", "1", ... "count-1" */
    static List<String> numbered(int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    /**
     * Reads a name file (one class name per line, blank lines ignored), or returns null when there is none.
     *
     * @throws UserException when the file exists but is not a short UTF-8 text with at least 2 names
     */
    static List<String> readOptional(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        long size = FileBytes.size(file);
        if (size > MAX_FILE) {
            throw UserException.badFile(file, size + " bytes; a class-name list (one name per line) should be "
                    + "under " + MAX_FILE);
        }
        List<String> names = new ArrayList<>();
        try {
            for (String line : StandardCharsets.UTF_8.newDecoder().decode(
                    java.nio.ByteBuffer.wrap(org.multimagnet.common.SafeFiles.read(file, MAX_FILE))).toString().split("\\R")) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
        } catch (CharacterCodingException e) {
            throw UserException.badFile(file, "is not UTF-8 text; expected one class name per line", e);
        } catch (IOException e) {
            throw FileBytes.cannotRead(file, e);
        }
        if (names.size() < 2) {
            throw UserException.badFile(file, "names " + names.size() + " classes; expected one name per line, "
                    + "at least 2");
        }
        return names;
    }

    /** Refuses labels outside [0, classes), naming the first offending record. */
    static void checkRange(Path file, int[] labels, int classes) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw UserException.badFile(file, "label " + labels[i] + " of record " + i + " is outside the "
                        + classes + " classes (expected 0.." + (classes - 1) + ")");
            }
        }
    }
}
