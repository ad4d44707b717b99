package org.multimagnet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz test over every dataset and image reader: a few hundred seeded hostile files, each refused with a
 * {@link org.multimagnet.common.UserException} that names the file, never another exception or an
 * OutOfMemoryError, each within seconds, also in a JVM limited to 2 GiB.
 */
class HostileFilesTest {
    static final long SEED = 20191;
    static final int CASES = 348;

    @TempDir
    Path dir;

    @Test
    void everyHostileFileIsRefusedWithAMessageNamingIt() {
        List<HostileFiles.Case> cases = HostileFiles.generate(dir, SEED, CASES, false);
        assertEquals(CASES, cases.size());
        assertEquals(List.of(), HostileFilesCheck.check(cases));
    }

    @Test
    void theSameHoldsInAJvmLimitedTo2GiB() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                HostileFilesCheck.class.getName(), dir.toString(), Long.toString(SEED + 1), "120")
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done, "timed out: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("120 cases, 0 problems"), out);
    }

    @Test
    void theGeneratorIsDeterministic() {
        List<HostileFiles.Case> a = HostileFiles.generate(dir.resolve("a"), SEED, 60, false);
        List<HostileFiles.Case> b = HostileFiles.generate(dir.resolve("b"), SEED, 60, false);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(dir.resolve("a").relativize(a.get(i).path()), dir.resolve("b").relativize(b.get(i).path()));
            assertEquals(a.get(i).kind(), b.get(i).kind());
        }
    }
}
