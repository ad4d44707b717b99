package org.multimagnet.nn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.multimagnet.common.AtomicFiles;
import org.multimagnet.common.Json;
import org.multimagnet.common.UserException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One model, one file: a zip holding {@code spec.json} (the {@link ModelSpec}) and one entry per variable,
 * {@code variables/<name>.bin}, in ND4J's own binary array format ({@code Nd4j.write} / {@code Nd4j.read}). The
 * network is rebuilt from the spec, so the file carries no code and no class names; SameDiff's own flat-buffer
 * format was not used because it would also store the placeholders and the training loss of one graph.
 */
public final class ModelIO {
    /** Largest model file read (the CIFAR-10 classifier is about 5 MB). */
    public static final long MAX_BYTES = 512L << 20;
    static final String SPEC = "spec.json";
    static final String VARIABLES = "variables/";

    private ModelIO() {
    }

    /** @return the model as the bytes of its file */
    public static byte[] toBytes(NetworkModel model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(SPEC));
            zip.write(Json.write(model.spec()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
            for (Map.Entry<String, INDArray> e : model.parameters().entrySet()) {
                zip.putNextEntry(new ZipEntry(VARIABLES + e.getKey() + ".bin"));
                DataOutputStream out = new DataOutputStream(zip);
                Nd4j.write(e.getValue(), out);
                out.flush();
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + model.spec().name(), e);
        }
        return bytes.toByteArray();
    }

    /** Writes the model to {@code file} atomically. */
    public static void write(Path file, NetworkModel model) {
        AtomicFiles.write(file, toBytes(model));
    }

    /**
     * Reads a model file.
     *
     * @return a {@link NetworkClassifier} or a {@link NetworkAutoencoder}, by the spec's role
     * @throws UserException naming the file when it is missing, too large, not a model file, or its arrays do not
     *                       fit its spec
     */
    public static NetworkModel read(Path file) {
        byte[] content;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw UserException.badFile(file, size + " bytes, more than the " + MAX_BYTES + " a model file may have");
            }
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw UserException.badFile(file, "model file not found");
        } catch (IOException e) {
            throw UserException.badFile(file, "cannot read: " + e.getMessage(), e);
        }
        return fromBytes(file, content);
    }

    /** Reads a model from the bytes of its file; {@code file} only names it in messages. */
    public static NetworkModel fromBytes(Path file, byte[] content) {
        ModelSpec spec = null;
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(content))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String name = e.getName();
                byte[] entry = readBounded(zip, file, name);
                if (name.equals(SPEC)) {
                    spec = Json.mapper().readValue(entry, ModelSpec.class);
                } else if (name.startsWith(VARIABLES) && name.endsWith(".bin")
                        && name.indexOf('/', VARIABLES.length()) < 0) {
                    String var = name.substring(VARIABLES.length(), name.length() - 4);
                    arrays.put(var, Nd4j.read(new DataInputStream(new ByteArrayInputStream(entry))));
                } else {
                    throw UserException.badFile(file, "unexpected entry '" + name + "' (a model file holds "
                            + SPEC + " and " + VARIABLES + "<name>.bin)");
                }
            }
        } catch (UserException ex) {
            throw ex;
        } catch (IOException | RuntimeException ex) {
            throw UserException.badFile(file, "not a model file: " + ex.getMessage(), ex);
        }
        if (spec == null) {
            throw UserException.badFile(file, "not a model file: no " + SPEC + " entry");
        }
        try {
            return spec.role() == ModelRole.CLASSIFIER ? new NetworkClassifier(spec, arrays)
                    : new NetworkAutoencoder(spec, arrays);
        } catch (IllegalArgumentException ex) {
            throw UserException.badFile(file, "arrays do not fit the spec: " + ex.getMessage(), ex);
        }
    }

    private static byte[] readBounded(InputStream in, Path file, String entry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > MAX_BYTES) {
                throw UserException.badFile(file, "entry '" + entry + "' expands to more than " + MAX_BYTES + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
