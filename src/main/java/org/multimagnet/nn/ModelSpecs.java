package org.multimagnet.nn;

import java.util.ArrayList;
import java.util.List;
import org.multimagnet.data.ImageShape;

/**
 * The built-in models, taken from the authors' published code: the 10 MNIST members of S, the 10
 * CIFAR-10 members and the two application classifiers.
 */
public final class ModelSpecs {
    /** MNIST members: activity L2 of MagNet's autoencoders. */
    public static final double MNIST_ACTIVITY_L2 = 1e-9;

    private ModelSpecs() {
    }

    /** The 10 MNIST members: {structure, activation, noise v, epochs} per row, member 1 first. */
    private static final Object[][] MNIST_ROWS = {
            {List.of("3", "avg", "3"), "sigmoid", 0.1, 50},
            {List.of("3"), "sigmoid", 0.1, 50},
            {List.of("3"), "relu", 0.2, 50},
            {List.of("5", "max", "5"), "sigmoid", 0.3, 40},
            {List.of("3", "avg", "3"), "sigmoid", 0.1, 55},
            {List.of("5"), "sigmoid", 0.2, 50},
            {List.of("4", "max", "4"), "sigmoid", 0.1, 50},
            {List.of("3", "max", "3"), "sigmoid", 0.3, 35},
            {List.of("2", "max", "2"), "sigmoid", 0.1, 30},
            {List.of("5", "avg", "5"), "sigmoid", 0.2, 35},
    };

    /** The 10 CIFAR-10 members: {structure, batch norm, activity L2}. */
    private static final Object[][] CIFAR_ROWS = {
            {List.of("16", "max", "32", "max", "32"), false, 1e-9},
            {List.of("32", "max", "32"), true, 0.0},
            {List.of("16", "max", "32", "max", "32"), false, 0.0},
            {List.of("32", "max", "32"), true, 0.0},
            {List.of("32", "avg", "32"), true, 0.0},
            {List.of("8", "max", "16"), false, 1e-9},
            {List.of("16", "avg", "16"), true, 0.0},
            {List.of("16", "max", "24"), false, 0.0},
            {List.of("32", "avg", "32"), true, 0.0},
            {List.of("16", "max", "32"), true, 0.0},
    };

    /**
     * The MNIST members of S (the authors' code): denoising autoencoders, MSE, Adam 1e-3, batch 256, activity L2 1e-9.
     *
     * @return members 1..10, in order
     */
    @SuppressWarnings("unchecked")
    public static List<ModelSpec> mnistMembers() {
        List<ModelSpec> out = new ArrayList<>();
        for (int i = 0; i < MNIST_ROWS.length; i++) {
            Object[] r = MNIST_ROWS[i];
            List<String> structure = (List<String>) r[0];
            out.add(new ModelSpec(ModelRole.AUTOENCODER, i + 1, "MNIST member " + (i + 1) + " " + structure
                    + " " + r[1] + " v=" + r[2], ImageShape.MNIST, structure, (String) r[1], (double) r[2],
                    MNIST_ACTIVITY_L2, false, (int) r[3], 256, "adam", 1e-3, 0, false));
        }
        return List.copyOf(out);
    }

    /**
     * The CIFAR-10 members of S (the authors' code): conv → (batch norm) → ReLU blocks, then conv(3, sigmoid) →
     * batch norm → sigmoid in every member; no noise, MSE, Adam 1e-3, batch 32, 30 epochs. Counting the batch
     * norms' running statistics, the parameter counts equal those of the authors' {@code .h5} files (37,903 for
     * member 1, 5,103 for member 6).
     *
     * @return members 1..10, in order
     */
    @SuppressWarnings("unchecked")
    public static List<ModelSpec> cifar10Members() {
        List<ModelSpec> out = new ArrayList<>();
        for (int i = 0; i < CIFAR_ROWS.length; i++) {
            Object[] r = CIFAR_ROWS[i];
            List<String> structure = (List<String>) r[0];
            boolean bn = (boolean) r[1];
            out.add(new ModelSpec(ModelRole.AUTOENCODER, i + 1, "CIFAR-10 member " + (i + 1) + " " + structure
                    + (bn ? " BN" : ""), ImageShape.CIFAR10, structure, "relu", 0.0, (double) r[2], bn, 30, 32,
                    "adam", 1e-3, 0, false, true));
        }
        return List.copyOf(out);
    }

    /**
     * The MNIST application classifier (paper: 99.40% on Te): conv64 5×5 → max pool → conv128 3×3 → max pool →
     * dropout 0.2 → conv128 3×3 → max pool → dense128 → dense10 (logits); Adam 1e-3, batch 128, no augmentation
     * (none is named for MNIST; on sample:mnist's 7,000-image Tr, ±2-pixel shifts gave 97.60% on Te after 8
     * epochs against 97.75% without after 6, so a spec file may ask for them but the default does not). Every
     * convolution is valid-padded (Keras' default, which the authors' model keeps): 28 → 24 → 12 → 10 → 5 → 3 → 1,
     * 240,906 parameters, as in the authors' {@code mnist.h5}.
     */
    public static ModelSpec mnistClassifier() {
        return new ModelSpec(ModelRole.CLASSIFIER, 0, "MNIST classifier (conv64-conv128-conv128-dense128)",
                ImageShape.MNIST, List.of("conv:64:5:valid:relu", "pool:max", "conv:128:3:valid:relu", "pool:max",
                "dropout:0.2", "conv:128:3:valid:relu", "pool:max", "dense:128:relu", "dense:10:linear"),
                "relu", 0, 0, false, 10, 128, "adam", 1e-3, 0, false);
    }

    /**
     * The Carlini-Wagner MNIST classifier (Carlini and Wagner 2017, the model their attacks were tuned on), used as
     * the benchmark's classifier workload: conv32 3×3 → conv32 3×3 → max pool → conv64 3×3 → conv64 3×3 →
     * max pool → dense200 → dense200 → dense10 (logits), ReLU, valid convolutions, Adam 1e-3, batch 128, no
     * dropout and no augmentation (as in the PyTorch reference, {@code src/bench/python/pytorch_reference.py}).
     */
    public static ModelSpec cwMnistClassifier() {
        return new ModelSpec(ModelRole.CLASSIFIER, 0, "Carlini-Wagner MNIST classifier (conv32-conv32-conv64-conv64-"
                + "dense200-dense200)", ImageShape.MNIST, List.of("conv:32:3:valid:relu", "conv:32:3:valid:relu",
                "pool:max", "conv:64:3:valid:relu", "conv:64:3:valid:relu", "pool:max", "dense:200:relu",
                "dense:200:relu", "dense:10:linear"), "relu", 0, 0, false, 50, 128, "adam", 1e-3, 0, false);
    }

    /**
     * The CIFAR-10 application classifier (paper: 89.76%), All-Convolutional-Net style, every convolution
     * same-padded: conv96 ×2 (ReLU) → conv96 stride 2 → dropout 0.5 → conv192 ×2 (ReLU) → conv192 stride 2 →
     * dropout 0.5 → conv192 3×3 (ReLU) → conv192 1×1 (ReLU) → conv10 1×1 → global average pool (logits); SGD 0.01
     * with Nesterov momentum 0.9, shifts and flips. The stride-2 convolutions have no activation, as in the authors'
     * model (they stand in for pooling layers).
     */
    public static ModelSpec cifar10Classifier() {
        return new ModelSpec(ModelRole.CLASSIFIER, 0, "CIFAR-10 classifier (All-CNN)", ImageShape.CIFAR10,
                List.of("conv:96:3:same:relu", "conv:96:3:same:relu", "conv:96:3:same:linear:2", "dropout:0.5",
                        "conv:192:3:same:relu", "conv:192:3:same:relu", "conv:192:3:same:linear:2", "dropout:0.5",
                        "conv:192:3:same:relu", "conv:192:1:same:relu", "conv:10:1:same:linear", "gap"),
                "relu", 0, 0, false, 50, 128, "sgd-nesterov", 0.01, 2, true);
    }

    /**
     * The CIFAR-10 classifier for two CPU cores: the smaller model of the authors' repository (their
     * {@code cifar10_1.h5}: conv32 ×2 → max pool → conv64 ×2 → max pool → conv128 ×2 → max pool → dense10, 3×3 same
     * convolutions, ReLU, 307,498 parameters) with a batch norm after each convolution and dropout before the dense
     * layer, trained for 12 epochs with Adam 1e-3, batch 64, ±2-pixel shifts and flips. About 8× less arithmetic per
     * image than All-CNN; batch norm is what lets a dozen epochs on two cores bring it past 80% on Te.
     */
    public static ModelSpec cifar10CpuClassifier() {
        return new ModelSpec(ModelRole.CLASSIFIER, 0, "CIFAR-10 classifier, CPU recipe (conv32x2-conv64x2-conv128x2-"
                + "dense10, batch norm)", ImageShape.CIFAR10, List.of("conv:32:3:same:relu:bn", "conv:32:3:same:relu:bn",
                "pool:max", "conv:64:3:same:relu:bn", "conv:64:3:same:relu:bn", "pool:max", "conv:128:3:same:relu:bn",
                "conv:128:3:same:relu:bn", "pool:max", "dropout:0.3", "dense:10:linear"), "relu", 0, 0, false, 12, 64,
                "adam", 1e-3, 2, true);
    }

    /**
     * @param shape the dataset's image shape: 3 channels get the CIFAR-10 members, others the MNIST members
     *              (re-shaped to {@code shape}, e.g. for Fashion-MNIST)
     * @return the built-in members of S for such images
     */
    public static List<ModelSpec> membersFor(ImageShape shape) {
        return shape.channels() == 3 ? cifar10Members() : withShape(mnistMembers(), shape);
    }

    /** @return the built-in classifier for images of that shape */
    public static ModelSpec classifierFor(ImageShape shape) {
        ModelSpec base = shape.channels() == 3 ? cifar10Classifier() : mnistClassifier();
        return withShape(base, shape);
    }

    static ModelSpec withShape(ModelSpec spec, ImageShape shape) {
        return withShape(List.of(spec), shape).get(0);
    }

    private static List<ModelSpec> withShape(List<ModelSpec> specs, ImageShape shape) {
        List<ModelSpec> out = new ArrayList<>();
        for (ModelSpec s : specs) {
            out.add(s.inputShape().equals(shape) ? s : new ModelSpec(s.role(), s.id(), s.name(), shape,
                    s.structure(), s.activation(), s.noise(), s.activityL2(), s.batchNorm(), s.epochs(),
                    s.batchSize(), s.optimiser(), s.learningRate(), s.shiftPixels(), s.flips(), s.outputBatchNorm()));
        }
        return List.copyOf(out);
    }
}
