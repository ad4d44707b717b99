package org.multimagnet.nn;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;
import org.multimagnet.data.ImageShape;

/**
 * A declarative, JSON-serialisable description of one model: its architecture and how to train it.
 *
 * <p>For an autoencoder, {@code structure} is the encoder as MagNet writes it, e.g. {@code ["3", "avg", "3"]}:
 * an integer is a 3×3 same-padded convolution with that many filters, {@code max}/{@code avg} a 2×2 pool. The
 * decoder replays the encoder reversed with a 2×2 upsampling at each pool, then an output convolution with one
 * filter per image channel and a sigmoid ({@link Architecture#layers(ModelSpec)}).
 *
 * <p>For a classifier, {@code structure} is a layer list, one token per layer:
 * {@code conv:FILTERS:KERNEL:same|valid:ACTIVATION[:STRIDE]}, {@code pool:max|avg}, {@code dropout:RATE},
 * {@code dense:UNITS:ACTIVATION}, {@code gap} (global average pooling). The last layer's outputs are the logits.
 *
 * @param role          classifier or autoencoder
 * @param id            the member's number in S (1-based); 0 for a classifier
 * @param name          a short human-readable name
 * @param inputShape    the shape of one input image
 * @param structure     the architecture tokens (see above)
 * @param activation    hidden activation of an autoencoder ({@code sigmoid|relu|linear}); ignored by classifiers,
 *                      whose tokens name theirs
 * @param noise         v of the denoising training x + v·N(0,1), clipped to [0,1] (0 = plain autoencoder)
 * @param activityL2    weight of the L2 activity penalty on every hidden convolution's output (MagNet's
 *                      {@code reg_strength}), 0 = none
 * @param batchNorm     whether each autoencoder convolution is followed by batch normalisation
 * @param epochs        training epochs, at least 1
 * @param batchSize     images per training batch, at least 1
 * @param optimiser     {@code adam} or {@code sgd-nesterov} (momentum 0.9)
 * @param learningRate  the optimiser's learning rate, > 0
 * @param shiftPixels   training augmentation: random shifts of up to this many pixels in each direction (0 = none)
 * @param flips         training augmentation: random horizontal flips
 * @param outputBatchNorm an autoencoder whose output is conv(sigmoid) → batch norm → sigmoid, as the authors'
 *                      CIFAR-10 members are, instead of conv → sigmoid (not written to JSON when false)
 */
public record ModelSpec(ModelRole role, int id, String name, ImageShape inputShape, List<String> structure,
                        String activation, double noise, double activityL2, boolean batchNorm, int epochs,
                        int batchSize, String optimiser, double learningRate, int shiftPixels, boolean flips,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean outputBatchNorm) {

    /** A spec whose autoencoder output is conv → sigmoid (every MNIST member, and every classifier). */
    public ModelSpec(ModelRole role, int id, String name, ImageShape inputShape, List<String> structure,
                     String activation, double noise, double activityL2, boolean batchNorm, int epochs,
                     int batchSize, String optimiser, double learningRate, int shiftPixels, boolean flips) {
        this(role, id, name, inputShape, structure, activation, noise, activityL2, batchNorm, epochs, batchSize,
                optimiser, learningRate, shiftPixels, flips, false);
    }

    public ModelSpec {
        Objects.requireNonNull(role, "role");
        outputBatchNorm = Boolean.TRUE.equals(outputBatchNorm); // left out of the JSON when false (MNIST specs)
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inputShape, "inputShape");
        structure = List.copyOf(Objects.requireNonNull(structure, "structure"));
        activation = activation == null ? "sigmoid" : activation;
        optimiser = optimiser == null ? "adam" : optimiser;
        require(id >= 0, "id", "must be >= 0, got " + id);
        require(!structure.isEmpty(), "structure", "must not be empty");
        require(noise >= 0 && noise <= 1, "noise", "must be in [0,1], got " + noise);
        require(activityL2 >= 0, "activityL2", "must be >= 0, got " + activityL2);
        require(epochs >= 1, "epochs", "must be >= 1, got " + epochs);
        require(batchSize >= 1, "batchSize", "must be >= 1, got " + batchSize);
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate", "must be > 0, got " + learningRate);
        require(shiftPixels >= 0, "shiftPixels", "must be >= 0, got " + shiftPixels);
        require(optimiser.equals("adam") || optimiser.equals("sgd-nesterov"), "optimiser",
                "expected adam or sgd-nesterov, got '" + optimiser + "'");
        Layer.Activation.parse(activation);
    }

    private static void require(boolean ok, String field, String what) {
        if (!ok) {
            throw new IllegalArgumentException("model spec field '" + field + "' " + what);
        }
    }

    /** @return a copy with another number of epochs */
    public ModelSpec withEpochs(int newEpochs) {
        return new ModelSpec(role, id, name, inputShape, structure, activation, noise, activityL2, batchNorm,
                newEpochs, batchSize, optimiser, learningRate, shiftPixels, flips, outputBatchNorm);
    }

    /** @return a copy with another batch size */
    public ModelSpec withBatchSize(int newBatchSize) {
        return new ModelSpec(role, id, name, inputShape, structure, activation, noise, activityL2, batchNorm,
                epochs, newBatchSize, optimiser, learningRate, shiftPixels, flips, outputBatchNorm);
    }

    /** @return the file stem of this model in a workspace: {@code classifier} or {@code ae-NN} */
    public String fileStem() {
        return role == ModelRole.CLASSIFIER ? "classifier" : String.format("ae-%02d", id);
    }
}
