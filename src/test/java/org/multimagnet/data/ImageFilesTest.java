package org.multimagnet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.UserException;

class ImageFilesTest {
    private static final ImageShape GREY_2X2 = new ImageShape(1, 2, 2);
    private static final ImageShape RGB_2X2 = new ImageShape(3, 2, 2);

    @TempDir
    Path dir;

    private Path png(String name, BufferedImage img) {
        return DataFiles.write(dir.resolve(name), DataFiles.encode(img, "png"));
    }

    private static BufferedImage grey(int w, int h, int... values) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setPixels(0, 0, w, h, values);
        return img;
    }

    private UserException refused(Path file, ImageShape target, String fragment) {
        UserException e = assertThrows(UserException.class, () -> ImageFiles.read(file, target));
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        return e;
    }

    @Test
    void greyPngReadsExactSampleValuesWithNoConversion() {
        // read from the raster: java.awt's getRGB would bend grey values through a gamma curve
        ImageFiles.LoadedImage im = ImageFiles.read(png("g.png", grey(2, 2, 0, 100, 200, 255)), GREY_2X2);
        assertArrayEquals(new float[] {0f, 100 / 255f, 200 / 255f, 1f}, im.pixels(), 0f);
        assertEquals(List.of(), im.conversions());
    }

    @Test
    void greyToRgbReplicatesTheGreyValue() {
        ImageFiles.LoadedImage im = ImageFiles.read(png("g.png", grey(2, 2, 0, 51, 102, 255)), RGB_2X2);
        float[] g = {0f, 0.2f, 0.4f, 1f};
        float[] want = new float[12];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(g, 0, want, 4 * c, 4);
        }
        assertArrayEquals(want, im.pixels(), 1e-7f);
        assertEquals(List.of("grey → RGB by replicating the grey value"), im.conversions());
    }

    @Test
    void rgbToGreyUsesLuminance() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xff0000);
        img.setRGB(1, 0, (10 << 16) | (200 << 8) | 30);
        ImageFiles.LoadedImage im = ImageFiles.read(png("c.png", img), new ImageShape(1, 1, 2));
        assertEquals(0.299f, im.pixels()[0], 1e-6f);
        assertEquals((0.299f * 10 + 0.587f * 200 + 0.114f * 30) / 255f, im.pixels()[1], 1e-6f);
        assertTrue(im.conversions().get(0).contains("luminance"), im.conversions().toString());
    }

    @Test
    void rgbPngKeepsPlanesInChwOrder() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, (255 << 16) | (51 << 8) | 102);
        img.setRGB(1, 0, (0 << 16) | (204 << 8) | 153);
        ImageFiles.LoadedImage im = ImageFiles.read(png("c.png", img), new ImageShape(3, 1, 2));
        assertArrayEquals(new float[] {1f, 0f, 0.2f, 0.8f, 0.4f, 0.6f}, im.pixels(), 1e-7f);
    }

    @Test
    void areaAveragingMatchesAHandComputedThreeToTwoExample() {
        // source 3×3, target 2×2: each target pixel covers 1.5×1.5 source pixels, weights 2/3 and 1/3 per axis
        float[] src = {0f, 0.3f, 0.6f, 0.9f, 0.3f, 0f, 0.6f, 0.6f, 0.9f};
        float[] out = AreaResize.resize(src, 1, 3, 3, 2, 2);
        assertArrayEquals(new float[] {0.3f, 0.3666667f, 0.6333333f, 0.5666667f}, out, 1e-6f);
    }

    @Test
    void areaAveragingIsTheBlockMeanForIntegerFactorsAndReplicatesWhenEnlarging() {
        float[] src = {0f, 0.2f, 1f, 1f, 0.4f, 0.2f, 0f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0.8f};
        assertArrayEquals(new float[] {0.2f, 0.75f, 0f, 0.2f}, AreaResize.resize(src, 1, 4, 4, 2, 2), 1e-6f);
        assertArrayEquals(new float[] {0.1f, 0.1f, 0.9f, 0.9f},
                AreaResize.resize(new float[] {0.1f, 0.9f}, 1, 1, 2, 1, 4), 1e-6f);
    }

    @Test
    void largerImageIsResizedAndTheConversionReported() {
        // 4×4 grey with 2×2 blocks of 0, 51, 102, 255 -> 2×2 of their values
        int[] v = {0, 0, 51, 51, 0, 0, 51, 51, 102, 102, 255, 255, 102, 102, 255, 255};
        ImageFiles.LoadedImage im = ImageFiles.read(png("big.png", grey(4, 4, v)), GREY_2X2);
        assertArrayEquals(new float[] {0f, 0.2f, 0.4f, 1f}, im.pixels(), 1e-6f);
        assertEquals(List.of("resized 4×4 → 2×2 (width×height) by area averaging"), im.conversions());
    }

    @Test
    void transparencyIsCompositedOnBlackForGreyAndWhiteForRgb() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00ffffff);                 // fully transparent white
        img.setRGB(1, 0, (51 << 24) | 0xffffff);      // 20% opaque white
        Path f = png("a.png", img);
        ImageFiles.LoadedImage g = ImageFiles.read(f, new ImageShape(1, 1, 2));
        assertArrayEquals(new float[] {0f, 0.2f}, g.pixels(), 1e-6f);
        assertTrue(g.conversions().contains("transparency composited on black"), g.conversions().toString());
        ImageFiles.LoadedImage c = ImageFiles.read(f, new ImageShape(3, 1, 2));
        assertArrayEquals(new float[] {1f, 1f, 1f, 1f, 1f, 1f}, c.pixels(), 1e-6f);
        assertTrue(c.conversions().contains("transparency composited on white"), c.conversions().toString());
    }

    @Test
    void allBlackAndAllWhiteImagesLoadAsZerosAndOnes() {
        float[] black = ImageFiles.read(png("black.png", grey(2, 2, 0, 0, 0, 0)), RGB_2X2).pixels();
        float[] white = ImageFiles.read(png("white.png", grey(2, 2, 255, 255, 255, 255)), RGB_2X2).pixels();
        for (int i = 0; i < 12; i++) {
            assertEquals(0f, black[i]);
            assertEquals(1f, white[i]);
        }
    }

    @Test
    void readsJpegBmpAndGreyPaletteGif() {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                img.setRGB(x, y, 0x808080);
            }
        }
        ImageShape s = new ImageShape(3, 8, 8);
        Path jpg = DataFiles.write(dir.resolve("p.jpg"), DataFiles.encode(img, "jpeg"));
        assertEquals(128 / 255f, ImageFiles.read(jpg, s).pixels()[0], 3 / 255f);
        Path bmp = DataFiles.write(dir.resolve("p.bmp"), DataFiles.encode(img, "bmp"));
        assertEquals(128 / 255f, ImageFiles.read(bmp, s).pixels()[63], 0f);
        byte[] ramp = new byte[256];
        for (int i = 0; i < 256; i++) {
            ramp[i] = (byte) i;
        }
        // 8×8: the JDK's GIF writer garbles images as tiny as 2×2
        BufferedImage gif = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 256, ramp, ramp, ramp));
        int[] v = new int[64];
        for (int i = 0; i < 64; i++) {
            v[i] = new int[] {0, 51, 102, 255}[i % 4];
        }
        gif.getRaster().setPixels(0, 0, 8, 8, v);
        Path g = DataFiles.write(dir.resolve("p.gif"), DataFiles.encode(gif, "gif"));
        assertEquals(1, ImageFiles.decode(g).shape().channels());
        float[] p = ImageFiles.read(g, new ImageShape(1, 8, 8)).pixels();
        assertArrayEquals(new float[] {0f, 0.2f, 0.4f, 1f}, java.util.Arrays.copyOf(p, 4), 1e-7f);
    }

    @Test
    void readsIdxAndRawFloatArrays() {
        Path idx = dir.resolve("images.idx");
        IdxWriter.writeFloatImages(idx, new float[] {0f, 0.5f, 0.25f, 1f, 1f, 1f, 0f, 0f}, 2, GREY_2X2);
        List<ImageFiles.LoadedImage> all = ImageFiles.readAll(idx, GREY_2X2);
        assertEquals(2, all.size());
        assertArrayEquals(new float[] {1f, 1f, 0f, 0f}, all.get(1).pixels(), 0f);
        refused(idx, GREY_2X2, "holds 2 images");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(0.1f).putFloat(0.2f).putFloat(0.3f).putFloat(0.4f);
        Path raw = DataFiles.write(dir.resolve("x.f32"), b.array());
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, ImageFiles.read(raw, GREY_2X2).pixels(), 0f);
        Path odd = DataFiles.write(dir.resolve("y.f32"), new byte[10]);
        refused(odd, GREY_2X2, "not a whole number");
    }

    @Test
    void refusesAPngWhoseHeaderClaims60000By60000BeforeDecoding() {
        Path f = DataFiles.write(dir.resolve("bomb.png"), DataFiles.pngHeader(60000, 60000));
        long t0 = System.nanoTime();
        refused(f, GREY_2X2, "too large");
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    }

    @Test
    void refusesNonImagesEmptyFilesAndDamagedPngs() {
        refused(DataFiles.write(dir.resolve("random.png"), DataFiles.randomBytes(5000, 3)), GREY_2X2,
                "not an image");
        refused(DataFiles.write(dir.resolve("empty.png"), new byte[0]), GREY_2X2, "empty");
        int[] noise = new int[64 * 64];
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = r.nextInt(256);
        }
        byte[] ok = DataFiles.encode(grey(64, 64, noise), "png");
        Path cut = DataFiles.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(ok, ok.length / 2));
        assertThrows(UserException.class, () -> ImageFiles.read(cut, GREY_2X2));
        refused(dir.resolve("missing.png"), GREY_2X2, "no such file");
    }
}
