package org.multimagnet.cli;

import org.multimagnet.nn.ClassifierRecipe;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --classifier-recipe paper|cpu}, shared by the commands that may train F. */
final class ClassifierRecipeOption {
    @Option(names = "--classifier-recipe", paramLabel = "paper|cpu",
            converter = Converter.class,
            description = "Which classifier F to train: the paper's, or (cpu) for CIFAR-10 the authors' smaller model "
                    + "with batch norm, which two CPU cores train past 80%% in about an hour (default: the spec of the F the workspace "
                    + "holds, else paper).")
    ClassifierRecipe recipe;

    /** Parses the value, naming the choices when it is not one of them. */
    static final class Converter implements ITypeConverter<ClassifierRecipe> {
        @Override
        public ClassifierRecipe convert(String value) {
            try {
                return ClassifierRecipe.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
