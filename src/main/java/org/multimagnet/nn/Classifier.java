package org.multimagnet.nn;

import org.multimagnet.data.ImageShape;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The application classifier F (paper §2.1, §5.2): images in, logits out, and the input gradients attacks need.
 *
 * <p>Not thread-safe: call it from the one compute thread that owns ND4J (DESIGN.md §6).
 */
public interface Classifier {

    /** @return the shape of one input image */
    ImageShape inputShape();

    /** @return the number of classes K */
    int classCount();

    /**
     * Logits z(x), the pre-softmax output (paper Eq. 5's Z), in inference mode (no dropout).
     *
     * @param x a batch {@code [N, C, H, W]}, values in [0,1]
     * @return {@code [N, K]} logits, a new array
     */
    INDArray logits(INDArray x);

    /**
     * The logits at {@code x} and the gradient with respect to {@code x} of
     * {@code L(x) = Σ_i CE(softmax(z(x_i)), y_i) + Σ_i Σ_k w_ik · z_k(x_i)}, in inference mode.
     *
     * <p>The first term gives FGSM and BIM their ∇_x J (paper Eq. 2, 3); the second, a vector-Jacobian product,
     * gives DeepFool and Carlini-Wagner the gradient of any linear combination of logits. Either term may be
     * left out by passing {@code null}.
     *
     * @param x              {@code [N, C, H, W]}
     * @param oneHotLabels   {@code [N, K]} one-hot labels y, or null
     * @param logitWeights   {@code [N, K]} weights w, or null
     * @return the logits and ∂L/∂x
     */
    LogitsAndGradient gradient(INDArray x, INDArray oneHotLabels, INDArray logitWeights);

    /**
     * Logits {@code [N, K]} and an input gradient {@code [N, C, H, W]}.
     *
     * @param logits   z(x)
     * @param gradient ∂L/∂x
     */
    record LogitsAndGradient(INDArray logits, INDArray gradient) {
    }
}
