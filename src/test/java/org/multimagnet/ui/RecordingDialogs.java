package org.multimagnet.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.multimagnet.ui.common.DialogService;

/** A {@link DialogService} that records messages instead of showing them, and answers choosers with nothing. */
public final class RecordingDialogs implements DialogService {
    /** Every error shown, as "title: message". */
    public final List<String> errors = new ArrayList<>();
    /** Every info shown. */
    public final List<String> infos = new ArrayList<>();
    /** Every question asked (a choice or a yes/no), as "title: message". */
    public final List<String> questions = new ArrayList<>();
    /** The answers to give to choices, in order; a choice with none left is closed unanswered. */
    public final java.util.Deque<String> answers = new java.util.ArrayDeque<>();
    /** The answer to every yes/no question. */
    public boolean answer;
    /** What the save chooser answers (null: the user cancels). */
    public Path saveTo;

    @Override
    public void showError(String title, String message) {
        errors.add(title + ": " + message);
    }

    @Override
    public void showInfo(String title, String message) {
        infos.add(title + ": " + message);
    }

    @Override
    public Optional<String> choose(String title, String message, List<String> choices) {
        questions.add(title + ": " + message);
        String a = answers.poll();
        if (a != null && !choices.contains(a)) {
            throw new AssertionError("scripted answer '" + a + "' is not one of " + choices);
        }
        return Optional.ofNullable(a);
    }

    @Override
    public Optional<Path> chooseDirectory(String title, Path initial) {
        return Optional.empty();
    }

    @Override
    public Optional<Path> chooseFile(String title, Path initial, List<String> extensions) {
        return Optional.empty();
    }

    @Override
    public Optional<Path> chooseSaveFile(String title, String initialName, List<String> extensions) {
        return Optional.ofNullable(saveTo);
    }

    @Override
    public boolean askYesNo(String title, String question) {
        questions.add(title + ": " + question);
        return answer;
    }
}
