package org.multimagnet.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** Builds dataset files byte by byte for tests (valid ones and broken ones). */
public final class DataFiles {
    private DataFiles() {
    }

    /** @return an IDX file's bytes: magic 00 00 type ndims, the dimensions, then the payload */
    public static byte[] idx(int type, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(payload);
        return b.array();
    }

    /** @return {@code n} random unsigned-byte images (or labels when {@code size} is the class count) */
    public static byte[] randomBytes(int count, long seed) {
        byte[] b = new byte[count];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** @return labels 0..classes-1 drawn with a seed, as unsigned bytes */
    public static byte[] randomLabels(int n, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(classes);
        }
        return b;
    }

    /** @return the bytes, gzip-compressed */
    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /**
     * @return a gzip stream of {@code prefix} followed by at least {@code zeros} zero bytes (a "gzip bomb" when
     * large): one compressed member of 1 MiB of zeros repeated, which gzip readers join, so it is cheap to build
     */
    public static byte[] gzipBomb(byte[] prefix, long zeros) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        bos.writeBytes(gzip(prefix));
        byte[] member = gzip(new byte[1 << 20]);
        for (long left = zeros; left > 0; left -= 1 << 20) {
            bos.writeBytes(member);
        }
        return bos.toByteArray();
    }

    /** @return CIFAR-10 records with the given labels and random pixels */
    public static byte[] cifar(int[] labels, long seed) {
        byte[] b = randomBytes(labels.length * CifarReader.RECORD, seed);
        for (int i = 0; i < labels.length; i++) {
            b[i * CifarReader.RECORD] = (byte) labels[i];
        }
        return b;
    }

    /** @return the image encoded as PNG (or another ImageIO format) */
    public static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, bos)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /**
     * @return a PNG of only a signature, an IHDR chunk claiming {@code w}×{@code h} 8-bit RGB (with a correct CRC),
     * a tiny IDAT and IEND: a "PNG bomb" header when the size is huge
     */
    public static byte[] pngHeader(int w, int h) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                    .put((byte) 0).put((byte) 0).put((byte) 0);
            chunk(out, "IHDR", ihdr.array());
            chunk(out, "IDAT", gzipLessZlib());
            chunk(out, "IEND", new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    private static byte[] gzipLessZlib() {
        java.util.zip.Deflater d = new java.util.zip.Deflater();
        d.setInput(new byte[1000]);
        d.finish();
        byte[] out = new byte[2000];
        int n = d.deflate(out);
        d.end();
        return java.util.Arrays.copyOf(out, n);
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    /** Writes bytes to a file and returns the file. */
    public static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
