package org.multimagnet.ui.common;

import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.multimagnet.common.UserException;

/** Turns an exception into the one line a user should read: no stack traces in the window. */
public final class Errors {
    private static final System.Logger LOG = System.getLogger(Errors.class.getName());

    private Errors() {
    }

    /**
     * @return the user-facing message: a {@link UserException}'s own message, an I/O problem's message, or for an
     *     unexpected error its kind and message (the stack trace goes to the log)
     */
    public static String describe(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof UserException) {
            return t.getMessage();
        }
        if (t instanceof UncheckedIOException || t instanceof java.io.IOException) {
            return t.getMessage() == null ? "input/output error" : t.getMessage();
        }
        if (t instanceof IllegalArgumentException && t.getMessage() != null) {
            return t.getMessage();
        }
        LOG.log(System.Logger.Level.WARNING, "unexpected error", t);
        String what = t.getClass().getSimpleName();
        return t.getMessage() == null ? "Unexpected error (" + what + "); see the log."
                : "Unexpected error (" + what + "): " + t.getMessage();
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException
                || t instanceof InvocationTargetException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
