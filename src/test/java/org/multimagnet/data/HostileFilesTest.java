package org.multimagnet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.UserException;

/**
 * Fuzz test over every dataset and image reader (issue 9): a few hundred seeded hostile files, each refused with a
 * {@link UserException} that names the file, never another exception or an OutOfMemoryError, each within seconds.
 */
class HostileFilesTest {
    static final long SEED = 20191;
    static final int CASES = 348;

    @TempDir
    Path dir;

    @Test
    void everyHostileFileIsRefusedWithAMessageNamingIt() {
        List<HostileFiles.Case> cases = HostileFiles.generate(dir, SEED, CASES, false);
        int refused = 0;
        for (HostileFiles.Case c : cases) {
            long t0 = System.nanoTime();
            try {
                if (c.reader() == HostileFiles.Reader.DATASET) {
                    DatasetSources.load(c.path().toString());
                } else {
                    ImageFiles.read(c.path(), ImageShape.MNIST);
                }
                if (c.mustFail()) {
                    fail(c.kind() + " " + c.path() + ": was accepted");
                }
            } catch (UserException e) {
                refused++;
                assertTrue(e.getMessage().contains(c.named().toString()),
                        c.kind() + ": the message does not name " + c.named() + ": " + e.getMessage());
                assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
            } catch (Throwable t) {
                throw new AssertionError(c.kind() + " " + c.path() + ": " + t, t);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 10_000, c.kind() + " took " + ms + " ms");
        }
        // only the cases whose damage may leave a decodable image could load
        long optional = cases.stream().filter(c -> !c.mustFail()).count();
        assertTrue(refused >= CASES - optional, refused + " refused");
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
