package org.multimagnet.experiment;

import java.util.List;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.defense.Observations;
import org.multimagnet.defense.Observer;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The test set D = D_leg ∪ D_atk (paper §5.1) observed once through F and every member of S: the protocol's chunks
 * and both defenses are then evaluated from these observations without another forward pass.
 *
 * @param observations F's logits on each image of D, each member's reconstruction error, F's logits on each
 *                     member's reconstruction; D_leg first, then D_atk
 * @param labels       the true label of each image of D (an adversarial image keeps its source image's label)
 * @param dLegCount    |D_leg|: the leading images
 * @param excludedPairs pairs (D_leg[i], D_atk[i]) of the attack set left out of D before it was observed
 */
public record ProtocolData(Observations observations, int[] labels, int dLegCount, int excludedPairs) {

    /** D with every pair of the attack set in it. */
    public ProtocolData(Observations observations, int[] labels, int dLegCount) {
        this(observations, labels, dLegCount, 0);
    }

    public ProtocolData {
        if (labels.length != observations.imageCount()) {
            throw new IllegalArgumentException(labels.length + " labels for " + observations.imageCount() + " images");
        }
        if (dLegCount < 0 || dLegCount > labels.length) {
            throw new IllegalArgumentException("|D_leg| = " + dLegCount + " outside [0, " + labels.length + "]");
        }
        if (excludedPairs < 0) {
            throw new IllegalArgumentException("excluded pairs = " + excludedPairs);
        }
    }

    /**
     * Makes the forward passes over D.
     *
     * @param f    the application classifier
     * @param s    the repository S
     * @param dLeg {@code [N, C, H, W]} legitimate images
     * @param dAtk {@code [N', C, H, W]} adversarial images
     * @param dLegLabels labels of D_leg
     * @param dAtkLabels labels of D_atk (of their source images)
     */
    public static ProtocolData observe(Classifier f, List<? extends Autoencoder> s, INDArray dLeg, INDArray dAtk,
                                       int[] dLegLabels, int[] dAtkLabels, ProgressListener progress,
                                       Cancellation cancellation) {
        INDArray d = Nd4j.concat(0, dLeg, dAtk);
        Observations o = Observer.observe(f, s, d, Observer.DEFAULT_BATCH, false, progress, cancellation);
        int[] labels = new int[dLegLabels.length + dAtkLabels.length];
        System.arraycopy(dLegLabels, 0, labels, 0, dLegLabels.length);
        System.arraycopy(dAtkLabels, 0, labels, dLegLabels.length, dAtkLabels.length);
        return new ProtocolData(o, labels, dLegLabels.length);
    }

    /** @return the same observations, recorded as D less {@code pairs} pairs of the attack set */
    public ProtocolData withExcludedPairs(int pairs) {
        return new ProtocolData(observations, labels, dLegCount, pairs);
    }

    /** @return |D| */
    public int size() {
        return labels.length;
    }

    /** @return whether image {@code i} of D is adversarial */
    public boolean adversarial(int i) {
        return i >= dLegCount;
    }
}
