package org.multimagnet.workspace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child JVM on this test's class path whose output lines are collected as they come. */
public final class ChildJvm implements AutoCloseable {
    public final Process process;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child was killed; what was read is kept
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code main} of a test class in a fresh JVM (small heap, quick start), stderr merged into stdout. */
    public static ChildJvm start(Class<?> main, String... args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** Waits until the child printed a line starting with {@code prefix}; false on timeout or exit. */
    public boolean awaitLine(String prefix, long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < end) {
            synchronized (lines) {
                for (String l : lines) {
                    if (l.startsWith(prefix)) {
                        return true;
                    }
                }
            }
            if (!process.isAlive() && !reader.isAlive()) {
                return false;
            }
            Thread.sleep(10);
        }
        return false;
    }

    /** Waits until the child printed at least {@code count} lines; false on timeout or exit. */
    boolean awaitLines(int count, long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (lines.size() < count) {
            if (System.nanoTime() > end || (!process.isAlive() && !reader.isAlive())) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    /** @return the last line printed so far, or "" */
    String lastLine() {
        synchronized (lines) {
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    /** @return everything printed so far */
    public String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** SIGKILLs the child and waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        reader.join(2000);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
