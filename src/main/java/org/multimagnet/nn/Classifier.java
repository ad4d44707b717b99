package org.multimagnet.nn;

import org.multimagnet.data.ImageShape;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The application classifier F (paper §2.1, §5.2): images in, logits out, and the input gradients attacks need.
 *
 * <p>Not thread-safe: call it from the one compute thread that owns ND4J.
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
     * One forward pass at {@code x} whose activations are kept, so that several input gradients cost one forward
     * pass between them: DeepFool's K rows of the Jacobian, Carlini-Wagner's weights chosen after seeing the logits.
     * The pass is valid until the next call on this classifier.
     *
     * <p>The default runs {@link #logits} and then {@link #gradient} per request (for simple classifiers in tests).
     *
     * @param x {@code [N, C, H, W]}
     * @return the logits and a way to ask for {@code ∂(Σ_i Σ_k w_ik · z_k(x_i))/∂x}
     */
    default ForwardPass forward(INDArray x) {
        return ForwardPass.of(logits(x), w -> gradient(x, null, w).gradient());
    }

    /** The logits of one forward pass and vector-Jacobian products through it ({@link #forward}). */
    interface ForwardPass {
        /** @return {@code [N, K]} logits z(x) */
        INDArray logits();

        /**
         * @param logitWeights {@code [N, K]} weights w
         * @return {@code ∂(Σ_i Σ_k w_ik · z_k(x_i))/∂x}, {@code [N, C, H, W]}, a new array
         */
        INDArray inputGradient(INDArray logitWeights);

        /** @return the pass with these logits whose gradients {@code inputGradient} computes */
        static ForwardPass of(INDArray logits, java.util.function.UnaryOperator<INDArray> inputGradient) {
            return new ForwardPass() {
                @Override
                public INDArray logits() {
                    return logits;
                }

                @Override
                public INDArray inputGradient(INDArray logitWeights) {
                    return inputGradient.apply(logitWeights);
                }
            };
        }
    }

    /**
     * Logits {@code [N, K]} and an input gradient {@code [N, C, H, W]}.
     *
     * @param logits   z(x)
     * @param gradient ∂L/∂x
     */
    record LogitsAndGradient(INDArray logits, INDArray gradient) {
    }
}
