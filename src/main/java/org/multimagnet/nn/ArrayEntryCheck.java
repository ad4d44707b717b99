package org.multimagnet.nn;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.multimagnet.common.UserException;

/**
 * Checks one array entry of a model file before ND4J reads it. ND4J's binary format ({@code Nd4j.write}) is two
 * buffers, the shape information then the data, each written as {@code writeUTF(allocation mode)},
 * {@code writeLong(length)}, {@code writeUTF(data type)} and then {@code length} big-endian elements. ND4J
 * allocates {@code length} elements before it reads them, so a 3 KB entry claiming 2^31 floats would cost 8 GB;
 * here every length is checked against the bytes the entry really holds, and every weight must be finite.
 */
final class ArrayEntryCheck {
    /** Longest shape-information buffer: rank, shape and strides of a rank-32 array plus ND4J's extras. */
    private static final long MAX_SHAPE_INFO = 2 * 32 + 4;

    private ArrayEntryCheck() {
    }

    /**
     * @param entry the entry's bytes
     * @param file  the model file, named in messages
     * @param name  the entry's name, named in messages
     * @return the number of data elements the entry holds
     * @throws UserException naming the file and the entry when a length does not fit the bytes, a type is not
     *                       one a model holds, bytes trail, or a weight is NaN or infinite
     */
    static long check(byte[] entry, Path file, String name) {
        ByteBuffer in = ByteBuffer.wrap(entry); // big-endian, as DataOutputStream writes
        try {
            Header shape = header(in, file, name, "shape");
            if (shape.length > MAX_SHAPE_INFO || shape.elementBytes != 8) {
                throw bad(file, name, "shape information of " + shape.length + " " + shape.type
                        + " values, expected at most " + MAX_SHAPE_INFO + " LONG values");
            }
            in.position(in.position() + (int) (shape.length * 8));
            Header data = header(in, file, name, "data");
            if (!data.type.equals("FLOAT") && !data.type.equals("DOUBLE")) {
                throw bad(file, name, "data of type " + data.type + ", expected FLOAT weights");
            }
            long bytes = data.length * data.elementBytes;
            if (bytes != in.remaining()) {
                throw bad(file, name, "claims " + data.length + " " + data.type + " values (" + bytes
                        + " bytes) but holds " + in.remaining() + " bytes");
            }
            for (long i = 0; i < data.length; i++) {
                double v = data.elementBytes == 4 ? in.getFloat() : in.getDouble();
                if (!Double.isFinite(v)) {
                    throw bad(file, name, "weight " + i + " is " + v + ", expected a finite number");
                }
            }
            return data.length;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw bad(file, name, "truncated or malformed array header");
        }
    }

    private record Header(String type, long length, int elementBytes) {
    }

    private static Header header(ByteBuffer in, Path file, String name, String which) {
        utf(in); // allocation mode: not used
        long length = in.getLong();
        String type = utf(in);
        int size = switch (type) {
            case "LONG", "DOUBLE" -> 8;
            case "FLOAT", "INT" -> 4;
            default -> 0;
        };
        if (size == 0) {
            throw bad(file, name, which + " buffer of type '" + type + "', expected LONG, INT, FLOAT or DOUBLE");
        }
        if (length < 0 || length > in.remaining() / size) {
            throw bad(file, name, which + " buffer claims " + length + " " + type + " values but only "
                    + in.remaining() + " bytes follow");
        }
        return new Header(type, length, size);
    }

    /** Reads a {@code writeUTF} string (2-byte length, then the bytes; plain ASCII here). */
    private static String utf(ByteBuffer in) {
        int n = in.getShort() & 0xffff;
        if (n > 64 || n > in.remaining()) {
            throw new IllegalArgumentException("bad string");
        }
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static UserException bad(Path file, String name, String what) {
        return UserException.badFile(file, "entry '" + name + "': " + what);
    }
}
