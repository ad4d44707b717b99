package org.multimagnet.ui.common;

import java.io.Serializable;
import javafx.scene.input.DataFormat;
import org.multimagnet.data.ImageShape;

/**
 * One image dragged from a gallery (dataset, attack) onto another pane: plain pixels and what is known about
 * them. Serializable because the dragboard copies custom content.
 *
 * @param pixels   CHW values in [0,1]
 * @param channels C
 * @param height   H
 * @param width    W
 * @param label    the true label, or -1 when unknown
 * @param origin   a short description, e.g. {@code "sample:mnist #42"} or {@code "fgsm-test #7 (adversarial)"}
 */
public record ImagePayload(float[] pixels, int channels, int height, int width, int label, String origin)
        implements Serializable {

    /** The dragboard format of a gallery image. */
    public static final DataFormat FORMAT = new DataFormat("application/x-multimagnet-image");

    public ImagePayload {
        if ((long) channels * height * width != pixels.length) {
            throw new IllegalArgumentException(origin + ": " + pixels.length + " values for " + channels + "x"
                    + height + "x" + width);
        }
    }

    /** @return a payload for the image of shape {@code shape} */
    public static ImagePayload of(float[] pixels, ImageShape shape, int label, String origin) {
        return new ImagePayload(pixels, shape.channels(), shape.height(), shape.width(), label, origin);
    }

    /** @return the image's shape */
    public ImageShape shape() {
        return new ImageShape(channels, height, width);
    }
}
