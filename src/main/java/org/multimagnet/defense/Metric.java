package org.multimagnet.defense;

/**
 * A mark of an image against one autoencoder: small for legitimate images, large for adversarial ones
 * (paper §4.1.1, §4.2.3). A member votes legitimate when its mark is ≤ its threshold.
 */
public interface Metric {

    /** @return which metric of the file C this is */
    MetricName name();

    /**
     * The marks of every observed image against every observed member.
     *
     * @param observations the forward passes of the members and of F over a batch
     * @return {@code marks[i][j]}: member i (in the observations' order), image j; each ≥ 0
     */
    double[][] marks(Observations observations);
}
