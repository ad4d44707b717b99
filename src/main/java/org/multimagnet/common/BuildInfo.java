package org.multimagnet.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Facts about this build (version, ND4J backend) and the one start-up step every entry point needs: choosing the
 * ND4J native build before ND4J loads.
 */
public final class BuildInfo {
    private static final Properties PROPS = load();

    private BuildInfo() {
    }

    /** @return the program's version */
    public static String version() {
        return PROPS.getProperty("version", "dev");
    }

    /** @return the ND4J backend artifact this build ships, e.g. {@code nd4j-native linux-x86_64-onednn} */
    public static String backend() {
        return PROPS.getProperty("nd4j.backend", "?") + " " + PROPS.getProperty("nd4j.classifier", "?");
    }

    /**
     * Selects the native build this jar was built with (the oneDNN build on Linux x86-64) unless the user chose
     * one with {@code -Djavacpp.platform.extension=...}. Must run before the first ND4J class loads.
     */
    public static void selectNativeBuild() {
        String ext = PROPS.getProperty("javacpp.platform.extension", "");
        if (ext.startsWith("$")) {
            ext = "";
        }
        if (System.getProperty("javacpp.platform.extension") == null
                && System.getProperty("org.bytedeco.javacpp.platform.extension") == null) {
            System.setProperty("org.bytedeco.javacpp.platform.extension", ext);
            System.setProperty("javacpp.platform.extension", ext);
        }
        passiveOpenMpWait();
        keepFreedNativeMemory();
        // ND4J's INFO start-up banner would drown the command line's output
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        // ND4J's arrays live off the Java heap and are freed only when their small Java wrappers are collected; with
        // no bound the CW attack of `reproduce` grew to 19.5 GB RSS and was OOM-killed. JavaCPP runs the collector
        // when its count of native bytes reaches maxbytes.
        setIfAbsent("org.bytedeco.javacpp.maxbytes", "3G");
        setIfAbsent("org.bytedeco.javacpp.maxphysicalbytes", "6G");
        // ND4J warns at every start about duplicate TensorFlow-import op names, which this program never uses
        String importLog = "org.slf4j.simpleLogger.log.org.nd4j.imports.converters.ImportClassMapping";
        System.setProperty(importLog, System.getProperty(importLog, "error"));
    }

    /**
     * Asks ND4J's OpenMP runtime (libgomp, read once when the native library loads) to let idle worker threads
     * sleep instead of spinning, unless the user set {@code OMP_WAIT_POLICY}. Every ND4J op hands work to the
     * OpenMP threads; on a machine with more runnable threads than cores, a spinning waiter burns the time slice
     * the thread it waits for needs, and small ops (one image, 20-image attack batches) became 10 to 100 times
     * slower (measured with {@code bench}). Numerical results do not change. Best effort: without JNA's libc binding
     * (a transitive dependency), nothing happens.
     */
    static void passiveOpenMpWait() {
        if (System.getenv("OMP_WAIT_POLICY") != null) {
            return;
        }
        try {
            com.sun.jna.platform.unix.LibC.INSTANCE.setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
        } catch (Throwable e) {
            // not Linux/Unix, or JNA missing: keep OpenMP's default
        }
    }

    /**
     * Asks glibc's allocator to keep freed memory for reuse instead of returning it to the kernel at once (trim
     * threshold 512 MB, top pad 128 MB, fixed mmap threshold 32 MB), unless the user tuned it with {@code MALLOC_*}
     * variables. oneDNN allocates and frees its scratch memory on every convolution call; with glibc's defaults each
     * call got fresh pages, and page faults (very costly on these virtual machines) took a third of a training step
     * (measured with {@code bench}: a training step of MNIST member 1 takes 60–184 ms with the defaults, 59–66 ms
     * with these settings; the Carlini-Wagner classifier's 82–93 ms and 58–62 ms). Best effort: without glibc,
     * nothing happens.
     */
    static void keepFreedNativeMemory() {
        for (String v : System.getenv().keySet()) {
            if (v.startsWith("MALLOC_")) {
                return;
            }
        }
        try {
            com.sun.jna.Function mallopt = com.sun.jna.NativeLibrary.getInstance("c").getFunction("mallopt");
            mallopt.invokeInt(new Object[] {-1, 512 << 20}); // M_TRIM_THRESHOLD
            mallopt.invokeInt(new Object[] {-2, 128 << 20}); // M_TOP_PAD
            mallopt.invokeInt(new Object[] {-3, 32 << 20}); // M_MMAP_THRESHOLD (its maximum on 64-bit glibc)
        } catch (Throwable e) {
            // not glibc, or JNA missing: keep the allocator's defaults
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
