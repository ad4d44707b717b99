package org.multimagnet.stage;

/**
 * How a face names a request's fields in the errors a stage words once: the command line by its options
 * ({@code --eps}), the workbench by its form's labels ({@code ε}). A stage asks for a field by its option's name
 * without the dashes ({@code eps}, {@code lambda-steps}), so that each error is written once and reads right in
 * both faces.
 */
@FunctionalInterface
public interface FieldNames {
    /** The command line's: each field is its option. */
    FieldNames OPTIONS = option -> "--" + option;

    /** The workbench's: each field as its form labels it, in the paper's notation where it has one. */
    FieldNames FORM = option -> switch (option) {
        case "eps" -> "ε";
        case "lambda" -> "λ";
        case "lambda-steps" -> "λ rounds";
        case "batch-size" -> "batch size";
        case "attacker-workspace" -> "attacker's workspace";
        case "ensemble-size" -> "ensemble size";
        case "ensemble-sizes" -> "ensemble sizes";
        case "chunk-size" -> "chunk size";
        case "export-marks" -> "marks file";
        case "export-roc" -> "ROC file";
        case "exact" -> "the exact evaluation";
        default -> option;
    };

    /**
     * @param option the option's name without the dashes, e.g. {@code eps}
     * @return how this face names it
     */
    String of(String option);
}
