package org.multimagnet.nn;

import java.util.Locale;
import org.multimagnet.data.ImageShape;

/**
 * Which application classifier F a workspace trains. For MNIST both recipes give the paper's classifier, which two
 * CPU cores train in minutes; for CIFAR-10 the paper's All-CNN needs a GPU (350 epochs at ~100 images/s on two
 * cores), so {@link #CPU} trains the authors' smaller CIFAR model with batch norm instead.
 */
public enum ClassifierRecipe {
    /** The paper's classifier: {@link ModelSpecs#mnistClassifier()} or {@link ModelSpecs#cifar10Classifier()}. */
    PAPER,
    /** The paper's MNIST classifier; {@link ModelSpecs#cifar10CpuClassifier()} for colour images. */
    CPU;

    /** @return the classifier spec of this recipe for images of that shape */
    public ModelSpec spec(ImageShape shape) {
        return this == CPU && shape.channels() == 3
                ? ModelSpecs.withShape(ModelSpecs.cifar10CpuClassifier(), shape) : ModelSpecs.classifierFor(shape);
    }

    /**
     * @param s {@code paper} or {@code cpu}, any case
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static ClassifierRecipe parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "paper" -> PAPER;
            case "cpu" -> CPU;
            default -> throw new IllegalArgumentException("classifier recipe '" + s + "': expected paper or cpu");
        };
    }
}
