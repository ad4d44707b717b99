package org.multimagnet.ui.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import org.junit.jupiter.api.Test;
import org.multimagnet.data.ImageShape;

/** Pixel conversion: nearest-neighbour enlargement, grey and RGB, perturbation amplification. */
class ImagesTest {
    @Test
    void greyImageIsEnlargedByBlocks() {
        ImageShape s = new ImageShape(1, 2, 2);
        float[] px = {0f, 1f, 0.5f, 2f};
        WritableImage img = Images.toImage(px, s, 3);
        assertEquals(6, (int) img.getWidth());
        PixelReader r = img.getPixelReader();
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                int src = (y / 3) * 2 + (x / 3);
                int v = Math.round(Math.min(1f, px[src]) * 255);
                assertEquals(0xFF000000 | v << 16 | v << 8 | v, r.getArgb(x, y), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void rgbPlanesMapToChannels() {
        ImageShape s = new ImageShape(3, 1, 1);
        WritableImage img = Images.toImage(new float[] {1f, 0f, 0.2f}, s, 1);
        assertEquals(0xFFFF0033, img.getPixelReader().getArgb(0, 0));
    }

    @Test
    void perturbationIsAmplifiedToHalfRange() {
        ImageShape s = new ImageShape(1, 1, 2);
        Images.Perturbation p = Images.perturbation(new float[] {0.5f, 0.5f}, new float[] {0.6f, 0.45f}, s, 1);
        assertEquals(0.1, p.maxAbs(), 1e-6);
        assertEquals(5.0, p.amplification(), 1e-4);
        // +0.1 → 0.5 + 0.5 = white; −0.05 → 0.25 grey
        assertEquals(0xFFFFFFFF, p.image().getPixelReader().getArgb(0, 0));
        int g = Math.round(0.25f * 255);
        assertEquals(0xFF000000 | g << 16 | g << 8 | g, p.image().getPixelReader().getArgb(1, 0));
    }
}
