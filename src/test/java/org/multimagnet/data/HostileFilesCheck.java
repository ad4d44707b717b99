package org.multimagnet.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.multimagnet.common.UserException;

/**
 * Reads every generated hostile file and lists what went wrong: a case accepted although it must be refused, a
 * refusal whose message does not name the file or spans several lines, any exception other than
 * {@link UserException} (an OutOfMemoryError included), or a case slower than the limit. Also a {@code main} so
 * that a test can run it in a JVM limited to 2 GiB.
 */
public final class HostileFilesCheck {
    /** Longest time one case may take. */
    static final long LIMIT_MS = 10_000;

    private HostileFilesCheck() {
    }

    /**
     * @return one line per problem; empty when every case behaved
     */
    public static List<String> check(List<HostileFiles.Case> cases) {
        List<String> problems = new ArrayList<>();
        for (HostileFiles.Case c : cases) {
            long t0 = System.nanoTime();
            try {
                if (c.reader() == HostileFiles.Reader.DATASET) {
                    DatasetSources.load(c.path().toString());
                } else {
                    ImageFiles.read(c.path(), ImageShape.MNIST);
                }
                if (c.mustFail()) {
                    problems.add(c.kind() + " " + c.path() + ": accepted");
                }
            } catch (UserException e) {
                if (!e.getMessage().contains(c.named().toString())) {
                    problems.add(c.kind() + ": message does not name " + c.named() + ": " + e.getMessage());
                }
                if (e.getMessage().indexOf('\n') >= 0) {
                    problems.add(c.kind() + ": message spans several lines: " + e.getMessage());
                }
            } catch (Throwable t) {
                // deliberately broad: an OutOfMemoryError or any other exception type is exactly what we look for
                problems.add(c.kind() + " " + c.path() + ": " + t);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (ms > LIMIT_MS) {
                problems.add(c.kind() + " " + c.path() + ": took " + ms + " ms");
            }
        }
        return problems;
    }

    /**
     * Generates and checks cases: {@code args = folder seed count}. Prints the problems; exit code 0 when there
     * are none, 1 otherwise.
     */
    public static void main(String[] args) {
        List<HostileFiles.Case> cases = HostileFiles.generate(Path.of(args[0]), Long.parseLong(args[1]),
                Integer.parseInt(args[2]), false);
        List<String> problems = check(cases);
        problems.forEach(System.out::println);
        System.out.println(cases.size() + " cases, " + problems.size() + " problems, max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        System.exit(problems.isEmpty() ? 0 : 1);
    }
}
