package org.multimagnet.ui.common;

import javafx.scene.image.Image;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import org.multimagnet.data.ImageShape;

/**
 * Converts the engine's plain pixels (float CHW in [0,1]) into JavaFX images, enlarged by an integer factor with
 * nearest-neighbour sampling so a 28×28 digit stays crisp at 6× instead of blurring.
 */
public final class Images {
    private Images() {
    }

    /**
     * @param pixels  CHW values in [0,1] (values outside are clipped)
     * @param offset  index of the image's first value in {@code pixels}
     * @param shape   C (1 or 3) × H × W
     * @param scale   integer enlargement, at least 1
     * @return an image of {@code W·scale × H·scale} pixels
     */
    public static WritableImage toImage(float[] pixels, int offset, ImageShape shape, int scale) {
        checkScale(scale);
        int h = shape.height();
        int w = shape.width();
        int plane = h * w;
        int[] argb = new int[plane];
        for (int i = 0; i < plane; i++) {
            int r;
            int g;
            int b;
            if (shape.channels() >= 3) {
                r = toByte(pixels[offset + i]);
                g = toByte(pixels[offset + plane + i]);
                b = toByte(pixels[offset + 2 * plane + i]);
            } else {
                r = toByte(pixels[offset + i]);
                g = r;
                b = r;
            }
            argb[i] = 0xFF000000 | (r << 16) | (g << 8) | b;
        }
        return enlarge(argb, w, h, scale);
    }

    /** Same as {@link #toImage(float[], int, ImageShape, int)} for a single image at offset 0. */
    public static WritableImage toImage(float[] chw, ImageShape shape, int scale) {
        return toImage(chw, 0, shape, scale);
    }

    /**
     * The perturbation {@code adversarial - original} drawn on a diverging scale: grey 0.5 = no change, white =
     * brighter, black = darker (per channel for colour images), amplified so that the largest change fills the
     * range.
     *
     * @return the image and the amplification used (the factor the user should be told)
     */
    public static Perturbation perturbation(float[] original, float[] adversarial, ImageShape shape, int scale) {
        int n = shape.size();
        if (original.length < n || adversarial.length < n) {
            throw new IllegalArgumentException("perturbation needs two images of " + shape);
        }
        float maxAbs = 0;
        for (int i = 0; i < n; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(adversarial[i] - original[i]));
        }
        // Amplify so that the largest change reaches ±0.5 around the mid-grey.
        float amp = maxAbs == 0 ? 1f : 0.5f / maxAbs;
        float[] shown = new float[n];
        for (int i = 0; i < n; i++) {
            shown[i] = 0.5f + amp * (adversarial[i] - original[i]);
        }
        return new Perturbation(toImage(shown, 0, shape, scale), amp, maxAbs);
    }

    /**
     * A drawn perturbation.
     *
     * @param image         the picture
     * @param amplification the factor applied to the difference
     * @param maxAbs        the largest absolute change of a pixel value (L∞ distortion)
     */
    public record Perturbation(Image image, double amplification, double maxAbs) {
    }

    private static WritableImage enlarge(int[] argb, int w, int h, int scale) {
        WritableImage img = new WritableImage(w * scale, h * scale);
        PixelWriter pw = img.getPixelWriter();
        int[] row = new int[w * scale];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = argb[y * w + x];
                for (int k = 0; k < scale; k++) {
                    row[x * scale + k] = c;
                }
            }
            for (int k = 0; k < scale; k++) {
                pw.setPixels(0, y * scale + k, w * scale, 1,
                        javafx.scene.image.PixelFormat.getIntArgbInstance(), row, 0, w * scale);
            }
        }
        return img;
    }

    private static int toByte(float v) {
        float c = v < 0 ? 0 : (v > 1 ? 1 : v);
        return Math.round(c * 255f);
    }

    private static void checkScale(int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1, got " + scale);
        }
    }
}
