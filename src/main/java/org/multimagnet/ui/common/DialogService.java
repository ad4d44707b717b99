package org.multimagnet.ui.common;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything a ViewModel may ask of the user or tell them, so ViewModels never open windows themselves
 * (only Views do) and tests can answer in their place.
 */
public interface DialogService {

    /** Shows a problem in one clear message, without a stack trace; does not block. */
    void showError(String title, String message);

    /** Shows {@link Errors#describe(Throwable)} of {@code error}; does not block. */
    default void showError(String title, Throwable error) {
        showError(title, Errors.describe(error));
    }

    /** Shows a short information message; does not block. */
    void showInfo(String title, String message);

    /**
     * Asks a question with a few answers (a modal dialog); empty when the user closes it without answering.
     *
     * @param choices the answers, as button labels; the last one is the cautious one (e.g. "Cancel")
     */
    Optional<String> choose(String title, String message, List<String> choices);

    /** Lets the user pick a folder; empty when they cancel. */
    Optional<Path> chooseDirectory(String title, Path initial);

    /**
     * Lets the user pick a file to open.
     *
     * @param extensions patterns such as {@code "*.png"}; empty for any file
     */
    Optional<Path> chooseFile(String title, Path initial, List<String> extensions);

    /**
     * Lets the user pick a file to write; empty when they cancel.
     *
     * @param initialName the proposed file name, e.g. {@code votes.csv}
     * @param extensions  patterns such as {@code "*.csv"}
     */
    default Optional<Path> chooseSaveFile(String title, String initialName, List<String> extensions) {
        return Optional.empty();
    }

    /** Asks a yes/no question (blocks until answered); false when the user declines or closes it. */
    default boolean askYesNo(String title, String question) {
        return false;
    }
}
