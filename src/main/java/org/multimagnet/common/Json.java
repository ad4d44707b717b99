package org.multimagnet.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The project's one Jackson configuration: records in and out, no polymorphic typing (a file can never name a
 * class to instantiate), bounded input sizes, pretty output.
 */
public final class Json {
    /** Largest JSON file the program reads (manifests, grids, reports are far smaller). */
    public static final long MAX_BYTES = 64L << 20;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1 << 20).maxNumberLength(64).build());
    }

    private Json() {
    }

    /** @return the shared mapper (thread-safe once configured) */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** @return {@code value} as pretty JSON */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
        }
    }

    /** Writes {@code value} as JSON to {@code file} atomically. */
    public static void writeFile(Path file, Object value) {
        AtomicFiles.write(file, out -> MAPPER.writeValue(out, value));
    }

    /**
     * Reads a JSON file into {@code type}: a regular file (never a FIFO or a device) of at most {@link #maxBytes()}
     * bytes, counted as they are read, holding an object (not {@code null}).
     *
     * @throws UserException naming the file when it is missing, not a regular file, too large or not of the
     *                       expected form
     */
    public static <T> T readFile(Path file, Class<T> type) {
        return parse(file, SafeFiles.read(file, maxBytes()), type);
    }

    /**
     * {@link #readFile} of a file of a workspace, which must really be inside it ({@link SafeFiles#requireInside}).
     */
    public static <T> T readInside(Path root, Path file, Class<T> type) {
        return parse(file, SafeFiles.readInside(root, file, maxBytes()), type);
    }

    /** @return the largest JSON file read: {@link #MAX_BYTES}, or less when the heap is small (parsing costs more) */
    public static long maxBytes() {
        return Math.min(MAX_BYTES, SafeFiles.heapShare(16));
    }

    private static <T> T parse(Path file, byte[] bytes, Class<T> type) {
        T value;
        try {
            value = MAPPER.readValue(bytes, type);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            // a record's own check refused a field: its message names the field, the value and what is expected
            Throwable why = e.getCause() != null ? e.getCause() : e;
            throw UserException.badFile(file, "not a valid " + type.getSimpleName() + ": "
                    + firstLine(why.getMessage()), e);
        } catch (IOException e) {
            throw UserException.badFile(file, "not a valid " + type.getSimpleName() + " JSON file: "
                    + firstLine(e.getMessage()), e);
        }
        if (value == null) {
            throw UserException.badFile(file, "holds no " + type.getSimpleName() + " (null or empty), expected a JSON "
                    + "object");
        }
        return value;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
