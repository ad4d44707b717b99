package org.multimagnet.nn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.multimagnet.common.AtomicFiles;
import org.multimagnet.common.Json;
import org.multimagnet.common.SafeFiles;
import org.multimagnet.common.UserException;
import org.multimagnet.data.ImageShape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One model, one file: a zip holding {@code spec.json} (the {@link ModelSpec}) and one entry per variable,
 * {@code variables/<name>.bin}, in ND4J's own binary array format ({@code Nd4j.write} / {@code Nd4j.read}). The
 * network is rebuilt from the spec, so the file carries no code and no class names. The variable names are
 * {@link ParameterKey#fileName()}.
 */
public final class ModelIO {
    /** Largest model file read (the CIFAR-10 classifier is about 5 MB). */
    public static final long MAX_BYTES = 512L << 20;
    /** Largest {@code spec.json} entry (a spec is a few hundred bytes). */
    static final long MAX_SPEC_BYTES = 1L << 20;
    /** Largest image side a model may take (CIFAR-10's is 32). */
    public static final int MAX_SIDE = 1024;
    /** Most channels an input image may have. */
    public static final int MAX_CHANNELS = 4;
    /** Most filters or units of one layer. */
    static final int MAX_UNITS = 1 << 16;
    /** Largest convolution kernel side. */
    static final int MAX_KERNEL = 32;
    /** Most values one layer may give per image (a 1024×1024 image with 16 channels). */
    static final long MAX_ACTIVATIONS = 1L << 24;
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
            for (Map.Entry<ParameterKey, INDArray> e : model.parameters().entrySet()) {
                zip.putNextEntry(new ZipEntry(VARIABLES + e.getKey().fileName() + ".bin"));
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
        return fromBytes(file, SafeFiles.read(file, maxBytes()));
    }

    /** @return the largest model file read: {@link #MAX_BYTES}, or less when the heap could not hold it twice over */
    public static long maxBytes() {
        return Math.min(MAX_BYTES, SafeFiles.heapShare(8));
    }

    /** Reads a model from the bytes of its file; {@code file} only names it in messages. */
    public static NetworkModel fromBytes(Path file, byte[] content) {
        ModelSpec spec = null;
        Map<ParameterKey, INDArray> arrays = new LinkedHashMap<>();
        long maxEntry = maxBytes();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(content))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String name = e.getName();
                if (name.equals(SPEC)) {
                    if (spec != null) {
                        throw UserException.badFile(file, "two " + SPEC + " entries");
                    }
                    spec = checkedSpec(file, Json.mapper().readValue(readBounded(zip, file, name, MAX_SPEC_BYTES),
                            ModelSpec.class));
                } else if (name.startsWith(VARIABLES) && name.endsWith(".bin")
                        && name.indexOf('/', VARIABLES.length()) < 0) {
                    ParameterKey var;
                    try {
                        var = ParameterKey.parse(name.substring(VARIABLES.length(), name.length() - 4));
                    } catch (IllegalArgumentException ex) {
                        throw UserException.badFile(file, "entry '" + name + "': " + ex.getMessage());
                    }
                    byte[] entry = readBounded(zip, file, name, maxEntry);
                    maxEntry -= entry.length; // all entries together, not each, must fit the bound
                    ArrayEntryCheck.check(entry, file, name);
                    if (arrays.put(var, Nd4j.read(new DataInputStream(new ByteArrayInputStream(entry)))) != null) {
                        throw UserException.badFile(file, "two entries '" + name + "'");
                    }
                } else {
                    throw UserException.badFile(file, "unexpected entry '" + name + "' (a model file holds "
                            + SPEC + " and " + VARIABLES + "<name>.bin)");
                }
            }
        } catch (UserException ex) {
            throw ex;
        } catch (IOException | RuntimeException ex) {
            throw UserException.badFile(file, "not a model file: " + firstLine(ex.getMessage()), ex);
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

    /**
     * Checks a spec's sizes before anything is allocated for it: the input image and the parameters it implies
     * must be of a size this program can hold.
     */
    private static ModelSpec checkedSpec(Path file, ModelSpec spec) {
        if (spec == null) {
            throw UserException.badFile(file, SPEC + " holds no spec (null), expected a JSON object");
        }
        ImageShape in = spec.inputShape();
        if (in.channels() > MAX_CHANNELS || in.height() > MAX_SIDE || in.width() > MAX_SIDE) {
            throw UserException.badFile(file, SPEC + ": inputShape " + in + " is larger than " + MAX_CHANNELS + "x"
                    + MAX_SIDE + "x" + MAX_SIDE);
        }
        long maxParams = maxBytes() / Float.BYTES;
        long params = 0;
        try {
            for (Architecture.PlannedLayer pl : Architecture.plan(spec)) {
                if (pl.layer() instanceof Layer.Conv c && (c.kernel() > MAX_KERNEL || c.filters() > MAX_UNITS)
                        || pl.layer() instanceof Layer.Dense d && d.units() > MAX_UNITS) {
                    throw UserException.badFile(file, SPEC + ": layer " + pl.index() + " (" + pl.layer()
                            + ") is larger than " + MAX_UNITS + " units or a " + MAX_KERNEL + "x" + MAX_KERNEL
                            + " kernel");
                }
                long activations = 1;
                for (long d : pl.outShape()) {
                    activations = Math.multiplyExact(activations, d);
                }
                if (activations > MAX_ACTIVATIONS || pl.parameters() < 0) {
                    throw UserException.badFile(file, SPEC + ": layer " + pl.index() + " gives "
                            + java.util.Arrays.toString(pl.outShape()) + " per image, more than " + MAX_ACTIVATIONS
                            + " values");
                }
                params = Math.addExact(params, pl.parameters());
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw UserException.badFile(file, SPEC + ": " + e.getMessage(), e);
        }
        if (params < 0 || params > maxParams) {
            throw UserException.badFile(file, SPEC + ": the architecture has " + params + " parameters, more than the "
                    + maxParams + " a model file may hold");
        }
        return spec;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static byte[] readBounded(InputStream in, Path file, String entry, long max) throws IOException {
        try {
            return SafeFiles.readBounded(in, file, Math.max(0, max));
        } catch (UserException e) {
            throw UserException.badFile(file, "entry '" + entry + "' expands to more than " + max + " bytes");
        }
    }
}
