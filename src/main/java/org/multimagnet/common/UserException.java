package org.multimagnet.common;

import java.nio.file.Path;

/**
 * A problem the user can fix (a bad file, a missing artifact, a wrong option), carrying one clear message.
 *
 * <p>The command line prints {@link #getMessage()} on one line and exits with {@link #EXIT_CODE}; the workbench
 * shows it in a dialog. The message names the file, the field and what was expected.
 */
public class UserException extends RuntimeException {
    /** Exit code of the command line for bad input. */
    public static final int EXIT_CODE = 2;

    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A message that starts with the file's name: {@code "<file>: <what is wrong>"}. */
    public static UserException badFile(Path file, String whatIsWrong) {
        return new UserException(file + ": " + whatIsWrong);
    }

    /** Same as {@link #badFile(Path, String)} with a cause kept for the log. */
    public static UserException badFile(Path file, String whatIsWrong, Throwable cause) {
        return new UserException(file + ": " + whatIsWrong, cause);
    }
}
