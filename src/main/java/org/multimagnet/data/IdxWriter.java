package org.multimagnet.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Path;
import org.multimagnet.common.AtomicFiles;

/**
 * Writes IDX files (big-endian, as {@link IdxReader} reads them), atomically through {@link AtomicFiles}: float32
 * images (type 0x0D) for our adversarial sets and unsigned-byte labels (type 0x08).
 */
public final class IdxWriter {
    private IdxWriter() {
    }

    /**
     * Writes images as IDX float32 (type 0x0D): dimensions N×H×W when the shape has one channel, else N×C×H×W.
     * Values are written as they are (they should lie in [0,1]; the reader refuses others).
     *
     * @param pixels {@code n * shape.size()} values, NCHW
     */
    public static void writeFloatImages(Path file, float[] pixels, int n, ImageShape shape) {
        if (n < 0 || (long) n * shape.size() != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " pixel values do not make " + n + " images of "
                    + shape);
        }
        int[] dims = shape.channels() == 1 ? new int[] {n, shape.height(), shape.width()}
                : new int[] {n, shape.channels(), shape.height(), shape.width()};
        AtomicFiles.write(file, os -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
            out.writeInt((IdxReader.FLOAT << 8) | dims.length);
            for (int d : dims) {
                out.writeInt(d);
            }
            for (float v : pixels) {
                out.writeFloat(v);
            }
            out.flush();
        });
    }

    /**
     * Writes labels as IDX unsigned bytes (type 0x08, one dimension).
     *
     * @param labels values in 0..255
     */
    public static void writeLabels(Path file, int[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i] + "; IDX labels are 0..255");
            }
        }
        AtomicFiles.write(file, os -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
            out.writeInt((IdxReader.UBYTE << 8) | 1);
            out.writeInt(labels.length);
            for (int l : labels) {
                out.writeByte(l);
            }
            out.flush();
        });
    }
}
