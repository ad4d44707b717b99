package org.multimagnet.attack;

import org.multimagnet.data.ImageShape;

/**
 * Which column of the paper's Table 1 supplies an attack's default parameters.
 */
public enum PaperSetting {
    /** MNIST (and other single-channel 28×28 sets such as Fashion-MNIST). */
    MNIST,
    /** CIFAR-10 (and other three-channel sets). */
    CIFAR10;

    /**
     * Picks the column from the image shape: three channels use CIFAR-10's settings, anything else MNIST's.
     *
     * @param shape the shape of one image
     * @return the setting whose defaults fit images of that shape
     */
    public static PaperSetting forShape(ImageShape shape) {
        return shape.channels() == 3 ? CIFAR10 : MNIST;
    }
}
