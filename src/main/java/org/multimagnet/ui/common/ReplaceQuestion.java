package org.multimagnet.ui.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.multimagnet.workspace.ReplacementRefused;

/**
 * The question a pane asks when the engine refused to replace an artifact without consent: "Replace D_atk of fgsm
 * (2,000 images, made …) with 20 images?", answered Replace, Save in scratch (where a pane offers it) or Cancel.
 */
public final class ReplaceQuestion {
    /** Replace it; the current version is kept in the history. */
    public static final String REPLACE = "Replace";
    /** Keep it and save the new result under the workspace's scratch folder, which the protocol never reads. */
    public static final String SCRATCH = "Save in scratch";
    /** Change nothing. */
    public static final String CANCEL = "Cancel";

    /** The user's answer. */
    public enum Answer {
        /** Replace, keeping the current version in the history. */
        REPLACE,
        /** Save the new result in scratch. */
        SCRATCH,
        /** Do nothing. */
        CANCEL
    }

    private ReplaceQuestion() {
    }

    /**
     * @return the refusal in {@code error}'s causes, if the failure was one
     */
    public static Optional<ReplacementRefused> refusal(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ReplacementRefused r) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * Asks whether to replace what the engine refused to replace.
     *
     * @param replacement  what would replace it, e.g. "20 images" or "a 1-epoch model"
     * @param offerScratch whether "Save in scratch" is an answer
     * @return the answer; {@link Answer#CANCEL} when the dialog is closed
     */
    public static Answer ask(DialogService dialogs, ReplacementRefused refused, String replacement,
                             boolean offerScratch) {
        List<String> choices = new ArrayList<>(List.of(REPLACE));
        if (offerScratch) {
            choices.add(SCRATCH);
        }
        choices.add(CANCEL);
        String message = refused.artifact().id() + " holds " + refused.description() + ".\n\nReplace it with "
                + replacement + "? The current version is kept in the workspace's history (File → Workspace "
                + "history… restores it)." + (offerScratch ? "\n\n" + SCRATCH + " keeps it and saves the new result "
                + "under scratch/, which the protocol never reads." : "");
        String answer = dialogs.choose("Replace " + refused.artifact().id() + "?", message, choices).orElse(CANCEL);
        return switch (answer) {
            case REPLACE -> Answer.REPLACE;
            case SCRATCH -> Answer.SCRATCH;
            default -> Answer.CANCEL;
        };
    }
}
