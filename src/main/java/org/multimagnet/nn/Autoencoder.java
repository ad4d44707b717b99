package org.multimagnet.nn;

import org.multimagnet.data.ImageShape;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One member of the repository S (paper §2.2): an autoencoder a = d ∘ e that reconstructs its input.
 *
 * <p>Not thread-safe: call it from the one compute thread that owns ND4J.
 */
public interface Autoencoder {

    /** @return the member's id in S (1-based, as in the authors' code and {@link ModelSpecs}) */
    int id();

    /** @return the shape of one input image */
    ImageShape inputShape();

    /**
     * Reconstructions a(x) in inference mode.
     *
     * @param x a batch {@code [N, C, H, W]}, values in [0,1]
     * @return {@code [N, C, H, W]} in [0,1] (sigmoid output), a new array
     */
    INDArray reconstruct(INDArray x);

    /**
     * One forward pass whose activations are kept, for attacks that optimise through the member (an adaptive
     * attacker knows S): the reconstruction and vector-Jacobian products through it. Valid until the next call on
     * this member.
     *
     * @param x {@code [N, C, H, W]}
     * @throws UnsupportedOperationException for a member that cannot give input gradients
     */
    default ReconstructionPass reconstructionPass(INDArray x) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " gives no input gradients");
    }

    /** The reconstruction of one forward pass and vector-Jacobian products through it ({@link #reconstructionPass}). */
    interface ReconstructionPass {
        /** @return {@code [N, C, H, W]} a(x) */
        INDArray reconstruction();

        /**
         * @param g {@code [N, C, H, W]} weights of the reconstruction's values
         * @return {@code ∂(Σ g ⊙ a(x))/∂x}, {@code [N, C, H, W]}, a new array
         */
        INDArray inputGradient(INDArray g);
    }
}
