package org.multimagnet.stage;

import java.util.function.Function;
import org.multimagnet.common.UserException;

/**
 * A request field a stage refuses before any expensive work, worded once by the stage. Its message names each field
 * as the workbench's form does ({@link FieldNames#FORM}); a face that names fields otherwise (the command line, by its
 * options) asks for the same sentence in its own names through {@link #message(FieldNames)}.
 */
public final class BadRequest extends UserException {

    private final transient Function<FieldNames, String> wording;

    /** @param wording the message, given how the fields are named */
    BadRequest(Function<FieldNames, String> wording) {
        super(wording.apply(FieldNames.FORM));
        this.wording = wording;
    }

    /** @return the same message with every field named by {@code names} */
    public String message(FieldNames names) {
        return wording.apply(names);
    }
}
