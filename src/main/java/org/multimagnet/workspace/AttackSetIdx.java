package org.multimagnet.workspace;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.multimagnet.common.AtomicFiles;
import org.multimagnet.common.UserException;
import org.multimagnet.data.ImageShape;

/**
 * The two IDX files of an adversarial set (LeCun's IDX format, big-endian): images as float32 (type 0x0D,
 * dims N×H×W when C = 1, else N×C×H×W) and labels as unsigned bytes (type 0x08, dims N).
 *
 * <p>Kept private to the store until the data layer's {@code IdxWriter} is on main; the layout is the agreed one,
 * so files written here read back with any IDX reader.
 */
final class AttackSetIdx {
    static final int TYPE_UBYTE = 0x08;
    static final int TYPE_FLOAT = 0x0D;

    private AttackSetIdx() {
    }

    /** Writes {@code n} images of {@code shape} as float32 IDX, atomically. */
    static void writeImages(Path file, float[] pixels, int n, ImageShape shape) {
        int[] dims = shape.channels() == 1
                ? new int[] {n, shape.height(), shape.width()}
                : new int[] {n, shape.channels(), shape.height(), shape.width()};
        AtomicFiles.write(file, out -> {
            DataOutputStream data = new DataOutputStream(new java.io.BufferedOutputStream(out, 1 << 16));
            header(data, TYPE_FLOAT, dims);
            for (float v : pixels) {
                data.writeFloat(v);
            }
            data.flush();
        });
    }

    /** Writes labels (each 0..255) as unsigned-byte IDX, atomically. */
    static void writeLabels(Path file, int[] labels) {
        AtomicFiles.write(file, out -> {
            DataOutputStream data = new DataOutputStream(new java.io.BufferedOutputStream(out));
            header(data, TYPE_UBYTE, new int[] {labels.length});
            for (int l : labels) {
                if (l < 0 || l > 255) {
                    throw new IllegalArgumentException("label " + l + " does not fit an unsigned byte");
                }
                data.writeByte(l);
            }
            data.flush();
        });
    }

    private static void header(DataOutputStream data, int type, int[] dims) throws IOException {
        data.writeByte(0);
        data.writeByte(0);
        data.writeByte(type);
        data.writeByte(dims.length);
        for (int d : dims) {
            data.writeInt(d);
        }
    }

    /** An IDX file's content: its dimensions and its values widened to float. */
    record Content(int[] dims, float[] values) {
    }

    /**
     * Reads an IDX file of the expected type.
     *
     * @throws UserException naming the file when it is missing, truncated or of another type
     */
    static Content read(Path file, int expectedType) {
        try (InputStream in = Files.newInputStream(file)) {
            DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
            byte[] magic = data.readNBytes(4);
            if (magic.length < 4 || magic[0] != 0 || magic[1] != 0) {
                throw UserException.badFile(file, "not an IDX file (the first two bytes must be 0)");
            }
            int type = magic[2] & 0xFF;
            if (type != expectedType) {
                throw UserException.badFile(file, String.format("IDX type 0x%02X, expected 0x%02X", type, expectedType));
            }
            int[] dims = new int[magic[3] & 0xFF];
            long count = 1;
            for (int i = 0; i < dims.length; i++) {
                dims[i] = data.readInt();
                if (dims[i] < 0) {
                    throw UserException.badFile(file, "dimension " + i + " is negative: " + dims[i]);
                }
                count *= dims[i];
            }
            int width = type == TYPE_FLOAT ? 4 : 1;
            long expectedBytes = 4 + 4L * dims.length + count * width;
            long size = Files.size(file);
            if (size != expectedBytes || count > Integer.MAX_VALUE) {
                throw UserException.badFile(file, size + " bytes, expected " + expectedBytes + " for dims "
                        + java.util.Arrays.toString(dims));
            }
            byte[] body = data.readNBytes((int) (count * width));
            ByteBuffer buf = ByteBuffer.wrap(body).order(ByteOrder.BIG_ENDIAN);
            float[] values = new float[(int) count];
            for (int i = 0; i < values.length; i++) {
                values[i] = type == TYPE_FLOAT ? buf.getFloat() : (buf.get() & 0xFF);
            }
            return new Content(dims, values);
        } catch (NoSuchFileException e) {
            throw UserException.badFile(file, "file not found");
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }
}
