package org.multimagnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The committed demo workspace for tests, copied so that no test ever writes into it. */
public final class TestWorkspaces {
    /** Where the demo lives, relative to the project folder (the tests' working directory). */
    public static final Path DEMO = Path.of("workspaces/demo-mnist");
    /** The committed CIFAR-10 demo workspace (full CIFAR-10, CPU recipe). */
    public static final Path DEMO_CIFAR10 = Path.of("workspaces/demo-cifar10");

    private TestWorkspaces() {
    }

    /**
     * Every regular file under {@code dir} but a workspace's lock, by path relative to {@code dir}, with its SHA-256:
     * what "byte for byte the same" is compared with.
     */
    public static java.util.Map<String, String> snapshot(Path dir) throws IOException {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        try (var files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals(".lock")).toList()) {
                out.put(dir.relativize(p).toString(), org.multimagnet.common.Checksums.sha256(p));
            }
        }
        return out;
    }

    /**
     * Copies a workspace (without its lock file) into {@code parent/ws}.
     *
     * @return the copy
     */
    public static Path copy(Path workspace, Path parent) throws IOException {
        Path copy = parent.resolve("ws");
        try (var files = Files.walk(workspace)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(workspace.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (!f.getFileName().toString().equals(".lock")) {
                    Files.copy(f, target);
                }
            }
        }
        return copy;
    }

    /**
     * Writes a hand-drawn MNIST digit "1" (a vertical bar) as raw little-endian floats, the {@code .f32} form that
     * {@code deploy} and the Deployment pane read.
     *
     * @return {@code file}
     */
    public static Path writeRoughOne(Path file) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * 784).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p < 784; p++) {
            b.putFloat(p % 28 > 10 && p % 28 < 16 && p / 28 > 4 && p / 28 < 24 ? 1f : 0f);
        }
        return java.nio.file.Files.write(file, b.array());
    }
}
