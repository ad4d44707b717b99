package org.multimagnet.defense;

import java.util.List;
import org.multimagnet.data.ImageShape;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The defense tests' fake models, for tests in other packages. */
public final class DefenseFakes {
    /** 1×4×4 images. */
    public static final ImageShape SHAPE = Fakes.SHAPE;

    private DefenseFakes() {
    }

    /** @return the linear classifier that sees only the top half */
    public static Classifier classifier() {
        return new Fakes.LinearClassifier(11);
    }

    /** @return five shrink-to-0.5 autoencoders, ids 1..5 */
    public static List<Autoencoder> repository() {
        return Fakes.repository();
    }

    /** @return legitimate fake images */
    public static INDArray legitimate(int n, long seed) {
        return Fakes.legitimate(n, seed);
    }

    /** @return their adversarial versions (bottom half pushed to 0 or 1) */
    public static INDArray adversarial(INDArray legit, long seed) {
        return Fakes.adversarial(legit, seed);
    }
}
