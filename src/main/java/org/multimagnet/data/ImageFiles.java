package org.multimagnet.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import org.multimagnet.common.UserException;

/**
 * Reads single image files for deployment and converts them to a dataset's image shape, reporting every
 * conversion (never silently).
 *
 * <p>Accepted: PNG, JPEG, BMP and GIF (first frame) through {@code javax.imageio}; IDX image files (e.g. our
 * adversarial sets, {@code images.idx}); and raw float arrays ({@code .f32} or {@code .raw}: little-endian float32
 * values in [0,1], CHW, a whole number of images of the target shape, as numpy's {@code tofile} writes them).
 *
 * <p>Conversion rules, applied in this order:
 * <ol>
 *   <li>Transparency: an alpha channel is composited on <b>black</b> when the target has one channel (MNIST-style
 *       data are light strokes on black) and on <b>white</b> when it has three (pictures with a transparent
 *       background are meant to be seen on a page).</li>
 *   <li>Colour: grey to RGB by replicating the grey value into R, G and B; RGB to grey by luminance
 *       Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as {@code java.awt} and PIL do), which leaves grey
 *       pictures stored as RGB unchanged.</li>
 *   <li>Size: resized to the target height×width by area averaging: each target pixel is the mean of the source
 *       area it covers, partially covered source pixels weighted by the covered fraction (a box filter; exact for
 *       integer factors and never aliasing when shrinking).</li>
 * </ol>
 * Images larger than {@value #MAX_SIDE} pixels on a side or {@value #MAX_PIXELS} pixels in all are refused from
 * their header, before anything is decoded.
 */
public final class ImageFiles {
    /** Largest accepted side of an image, in pixels. */
    public static final int MAX_SIDE = 8192;
    /** Largest accepted image area, in pixels (32 megapixels). */
    public static final long MAX_PIXELS = 32L * 1024 * 1024;

    private static final Set<String> FORMATS = Set.of("png", "jpeg", "jpg", "bmp", "gif");

    private ImageFiles() {
    }

    /**
     * One image, in the target shape.
     *
     * @param file        where it came from
     * @param shape       its shape (the target shape)
     * @param pixels      {@code shape.size()} values in [0,1], CHW
     * @param conversions what was done to make it fit, in words (empty when nothing was needed)
     */
    public record LoadedImage(Path file, ImageShape shape, float[] pixels, List<String> conversions) {
        public LoadedImage {
            conversions = List.copyOf(conversions);
        }
    }

    /**
     * An image as stored: its own shape, channel values in [0,1], and its alpha channel if any.
     *
     * @param shape  channels are 1 (grey) or 3 (RGB), alpha not counted
     * @param pixels CHW values in [0,1], not composited
     * @param alpha  H×W opacities in [0,1], or null
     */
    record Decoded(ImageShape shape, float[] pixels, float[] alpha) {
    }

    /**
     * Reads one image and converts it to {@code target}.
     *
     * @throws UserException naming the file when it is not a readable image, too large, or holds several images
     */
    public static LoadedImage read(Path file, ImageShape target) {
        List<LoadedImage> all = readAll(file, target);
        if (all.size() != 1) {
            throw UserException.badFile(file, "holds " + all.size() + " images; expected one (use the batch "
                    + "reading for arrays of images)");
        }
        return all.get(0);
    }

    /**
     * Reads every image of a file (one for picture formats, N for IDX files and raw float arrays), each converted
     * to {@code target}.
     */
    public static List<LoadedImage> readAll(Path file, ImageShape target) {
        if (!Files.isRegularFile(file)) {
            throw UserException.badFile(file, Files.exists(file) ? "is not a file" : "no such file");
        }
        if (FileBytes.size(file) == 0) {
            throw UserException.badFile(file, "is empty; expected an image");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<LoadedImage> out = new ArrayList<>();
        if (IdxReader.looksLikeIdx(file)) {
            IdxReader.Images im = IdxReader.readImages(file);
            int n = im.shape().size();
            for (int i = 0; i < im.count(); i++) {
                float[] p = java.util.Arrays.copyOfRange(im.pixels(), i * n, (i + 1) * n);
                out.add(convert(file, new Decoded(im.shape(), p, null), target));
            }
            return out;
        }
        if (name.endsWith(".f32") || name.endsWith(".raw")) {
            for (float[] p : readRawFloats(file, target)) {
                out.add(new LoadedImage(file, target, p, List.of()));
            }
            return out;
        }
        out.add(convert(file, decode(file), target));
        return out;
    }

    /**
     * Decodes a PNG, JPEG, BMP or GIF file after checking, from its header, that its size is safe to decode.
     *
     * @throws UserException naming the file when it is not such an image, too large or damaged
     */
    static Decoded decode(Path file) {
        BufferedImage img;
        try (ImageInputStream iis = new FileImageInputStream(file.toFile())) {
            ImageReader reader = pickReader(iis);
            if (reader == null) {
                throw UserException.badFile(file, "is not an image (expected PNG, JPEG, BMP or GIF)");
            }
            try {
                reader.setInput(iis, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                checkSize(file, w, h);
                // decoded image (≤ 8 bytes/pixel) plus up to four float planes
                FileBytes.checkMemory(file, (long) w * h * (8 + 16), "decoding a " + w + "×" + h + " image");
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (UserException e) {
            throw e;
        } catch (IOException e) {
            throw UserException.badFile(file, "could not be decoded as an image: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // ImageIO's decoders report some damaged files with unchecked exceptions
            // (IndexOutOfBounds, IllegalArgument, NegativeArraySize ...); they are bad input, not program errors.
            throw UserException.badFile(file, "is a damaged image that could not be decoded"
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        checkSize(file, img.getWidth(), img.getHeight());
        return toPlanes(img);
    }

    /**
     * Converts a decoded image to the target shape by the rules of the class comment.
     *
     * @return the converted image and the list of conversions applied
     */
    static LoadedImage convert(Path file, Decoded d, ImageShape target) {
        List<String> notes = new ArrayList<>();
        ImageShape s = d.shape();
        float[] p = d.pixels();
        int hw = s.height() * s.width();
        if (d.alpha() != null) {
            float bg = target.channels() == 1 ? 0f : 1f;
            boolean any = false;
            p = p.clone();
            for (int c = 0; c < s.channels(); c++) {
                for (int i = 0; i < hw; i++) {
                    float a = d.alpha()[i];
                    any |= a < 1f;
                    p[c * hw + i] = a * p[c * hw + i] + (1 - a) * bg;
                }
            }
            if (any) {
                notes.add("transparency composited on " + (bg == 0f ? "black" : "white"));
            }
        }
        if (s.channels() == 1 && target.channels() == 3) {
            float[] q = new float[3 * hw];
            for (int c = 0; c < 3; c++) {
                System.arraycopy(p, 0, q, c * hw, hw);
            }
            p = q;
            notes.add("grey → RGB by replicating the grey value");
        } else if (s.channels() == 3 && target.channels() == 1) {
            float[] q = new float[hw];
            for (int i = 0; i < hw; i++) {
                q[i] = luminance(p[i], p[hw + i], p[2 * hw + i]);
            }
            p = q;
            notes.add("RGB → grey by luminance 0.299 R + 0.587 G + 0.114 B");
        } else if (s.channels() != target.channels()) {
            throw UserException.badFile(file, "has " + s.channels() + " channels; cannot convert to "
                    + target.channels());
        }
        if (s.height() != target.height() || s.width() != target.width()) {
            p = AreaResize.resize(p, target.channels(), s.height(), s.width(), target.height(), target.width());
            notes.add("resized " + s.width() + "×" + s.height() + " → " + target.width() + "×" + target.height()
                    + " (width×height) by area averaging");
        }
        return new LoadedImage(file, target, p, notes);
    }

    /** @return Y = 0.299 R + 0.587 G + 0.114 B, clamped to [0,1] against rounding */
    static float luminance(float r, float g, float b) {
        return Math.min(1f, Math.max(0f, 0.299f * r + 0.587f * g + 0.114f * b));
    }

    private static void checkSize(Path file, int w, int h) {
        if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
            throw UserException.badFile(file, "image too large to decode safely: its header says " + w + "×" + h
                    + " pixels; at most " + MAX_SIDE + " per side and " + MAX_PIXELS / (1024 * 1024)
                    + " megapixels are accepted");
        }
    }

    private static ImageReader pickReader(ImageInputStream iis) {
        // Only the four formats we promise: ImageIO also knows WBMP, whose loose signature matches random bytes.
        Iterator<ImageReader> it = ImageIO.getImageReaders(iis);
        while (it.hasNext()) {
            ImageReader r = it.next();
            try {
                for (String f : r.getOriginatingProvider().getFormatNames()) {
                    if (FORMATS.contains(f.toLowerCase(Locale.ROOT))) {
                        return r;
                    }
                }
            } catch (RuntimeException e) {
                // a provider without names is not one of ours
            }
            r.dispose();
        }
        return null;
    }

    private static Decoded toPlanes(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int hw = w * h;
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        boolean hasAlpha = cm.hasAlpha();
        float[] alpha = hasAlpha ? new float[hw] : null;
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel)) {
            // Read grey samples directly: getRGB would pass them through a linear-to-sRGB curve.
            float max = (float) ((1L << cm.getComponentSize(0)) - 1);
            float maxA = hasAlpha ? (float) ((1L << cm.getComponentSize(1)) - 1) : 1f;
            float[] g = new float[hw];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    g[y * w + x] = r.getSample(x, y, 0) / max;
                    if (hasAlpha) {
                        alpha[y * w + x] = r.getSample(x, y, 1) / maxA;
                    }
                }
            }
            return new Decoded(new ImageShape(1, h, w), g, alpha);
        }
        boolean grey = cm instanceof IndexColorModel icm && greyPalette(icm);
        float[] p = new float[(grey ? 1 : 3) * hw];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                int i = y * w + x;
                p[i] = ((argb >> 16) & 0xff) / 255f;
                if (!grey) {
                    p[hw + i] = ((argb >> 8) & 0xff) / 255f;
                    p[2 * hw + i] = (argb & 0xff) / 255f;
                }
                if (hasAlpha) {
                    alpha[i] = ((argb >>> 24) & 0xff) / 255f;
                }
            }
        }
        return new Decoded(new ImageShape(grey ? 1 : 3, h, w), p, alpha);
    }

    private static boolean greyPalette(IndexColorModel icm) {
        for (int i = 0; i < icm.getMapSize(); i++) {
            if (icm.getRed(i) != icm.getGreen(i) || icm.getGreen(i) != icm.getBlue(i)) {
                return false;
            }
        }
        return true;
    }

    private static List<float[]> readRawFloats(Path file, ImageShape target) {
        long size = FileBytes.size(file);
        long per = 4L * target.size();
        if (size % per != 0) {
            throw UserException.badFile(file, size + " bytes, not a whole number of " + target + " float32 images ("
                    + per + " bytes each)");
        }
        FileBytes.checkMemory(file, size * 2, "reading " + size / per + " raw images");
        byte[] b;
        try (InputStream in = Files.newInputStream(file)) {
            b = FileBytes.readExactly(in, size, file, "the raw float array");
        } catch (IOException e) {
            throw FileBytes.cannotRead(file, e);
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        List<float[]> out = new ArrayList<>();
        for (long k = 0; k < size / per; k++) {
            float[] p = new float[target.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = buf.getFloat();
                if (!(p[i] >= 0 && p[i] <= 1)) {
                    throw UserException.badFile(file, "value " + (k * target.size() + i) + " is " + p[i]
                            + "; raw float images must hold values in [0,1]");
                }
            }
            out.add(p);
        }
        return out;
    }
}
