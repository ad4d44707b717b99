package org.multimagnet.stage;

import java.util.function.Function;
import org.multimagnet.common.UserException;

/**
 * A request field a stage refuses before any expensive work, worded once by the stage. Its message names fields by
 * their {@link Field#label}; a face that calls them something else (the command line's options) asks for the same
 * sentence with its own names through {@link #message(Function)}, so the wording stays the stage's.
 */
public final class BadRequest extends UserException {

    /** The fields a stage refuses by name. */
    public enum Field {
        ENSEMBLE_SIZE("ensemble size"),
        ENSEMBLE_SIZES("ensemble sizes"),
        CHUNKS("chunks"),
        CHUNK_SIZE("chunk size"),
        EXPORT_MARKS("marks file"),
        EXPORT_ROC("ROC file"),
        EXACT("the exact evaluation");

        private final String label;

        Field(String label) {
            this.label = label;
        }

        /** @return the field's name in the stage's own message */
        public String label() {
            return label;
        }
    }

    private final transient Function<Function<Field, String>, String> wording;

    /** @param wording the message, given how each field is named */
    BadRequest(Function<Function<Field, String>, String> wording) {
        super(wording.apply(Field::label));
        this.wording = wording;
    }

    /** @return the same message with every field named by {@code name} */
    public String message(Function<Field, String> name) {
        return wording.apply(name);
    }
}
