package org.multimagnet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.multimagnet.common.Checksums;
import org.multimagnet.common.Json;

/**
 * Runs the cases of {@link HostileWorkspaces} in this JVM (started by the test with a 1 GiB heap) through
 * {@link Cli#run(PrintWriter, PrintWriter, String...)}, one after another on one working copy of a base workspace:
 * tamper, run (at most {@link #CASE_SECONDS} s), check that every path the case did not touch is as it was, restore.
 * Writes one JSON object per case to the results file.
 *
 * <p>Arguments: base workspace, scratch folder, seed, workspace cases, argument cases, results file.
 */
public final class HostileWorkspacesMain {
    /** Longest a case may run before it counts as hanging. */
    static final long CASE_SECONDS = 30;
    /** The content of the file outside the workspace that planted links point to. */
    static final String VICTIM = "precious: must never be written\n";

    private final Path base;
    private final Path outside;
    private final Path scratch;
    private Path work;
    private int generation;
    /** Each path of the working copy: what it was after the last restore (type, size, time, inode). */
    private final Map<String, String> attributes = new TreeMap<>();
    private final Map<String, String> baseHashes = new TreeMap<>();
    private ExecutorService runner = newRunner();

    private HostileWorkspacesMain(Path base, Path scratch) {
        this.base = base;
        this.scratch = scratch;
        this.outside = scratch.resolve("outside");
    }

    /** The outcome of one case. */
    record Result(int index, String group, String kind, List<String> args, String named, int exit, String err,
                  double seconds, List<String> problems) {
    }

    public static void main(String[] a) throws Exception {
        Path base = Path.of(a[0]);
        Path scratch = Path.of(a[1]);
        long seed = Long.parseLong(a[2]);
        int workspaces = Integer.parseInt(a[3]);
        int arguments = Integer.parseInt(a[4]);
        Path results = Path.of(a[5]);
        HostileWorkspacesMain m = new HostileWorkspacesMain(base, scratch);
        m.prepare();
        List<HostileWorkspaces.Case> cases = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (HostileWorkspaces.Case c : HostileWorkspaces.workspaces(seed, workspaces)) {
            cases.add(c);
            groups.add("workspace");
        }
        for (HostileWorkspaces.Case c : HostileWorkspaces.arguments(seed + 1, arguments)) {
            cases.add(c);
            groups.add("argument");
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(results, StandardCharsets.UTF_8))) {
            for (int i = 0; i < cases.size(); i++) {
                Result r = m.run(i, groups.get(i), cases.get(i));
                out.println(Json.mapper().writeValueAsString(r).replace('\n', ' '));
                out.flush();
            }
        }
        System.out.println("hostile workspaces: " + cases.size() + " cases run");
        System.exit(0); // a case that hung leaves its thread behind
    }

    private static ExecutorService newRunner() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hostile-case");
            t.setDaemon(true);
            return t;
        });
    }

    private void prepare() throws IOException {
        Files.createDirectories(outside);
        Files.writeString(outside.resolve("victim.txt"), VICTIM);
        ByteBuffer img = ByteBuffer.allocate(28 * 28 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 28 * 28; i++) {
            img.putFloat(0.5f);
        }
        Files.write(outside.resolve("image.f32"), img.array());
        for (Path p : walk(base)) {
            String rel = base.relativize(p).toString();
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                baseHashes.put(rel, Checksums.sha256(p));
            }
        }
        work = scratch.resolve("w-0");
        copyTree(base, work);
        remember(work);
    }

    private Result run(int index, String group, HostileWorkspaces.Case c) throws Exception {
        // a fresh path per case: locks are held per path for the life of this JVM
        Path next = scratch.resolve("w-" + (++generation));
        Files.move(work, next);
        work = next;
        List<String> touched = new ArrayList<>(c.tamper().apply(work, outside));
        List<String> args = c.args().stream().map(this::expand).toList();
        List<String> outsideBefore = listing(outside);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int exit;
        Future<Integer> f = runner.submit(() -> Cli.run(new PrintWriter(out, true), new PrintWriter(err, true),
                args.toArray(String[]::new)));
        List<String> problems = new ArrayList<>();
        try {
            exit = f.get(CASE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            exit = -1;
            problems.add("still running after " + CASE_SECONDS + " s");
            f.cancel(true);
            runner = newRunner(); // the hung thread is left behind
        } catch (java.util.concurrent.ExecutionException e) {
            exit = -2;
            problems.add("threw " + e.getCause());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        problems.addAll(changes(touched));
        if (!listing(outside).equals(outsideBefore)) {
            problems.add("something outside the workspace was written");
        }
        if (!VICTIM.equals(Files.readString(outside.resolve("victim.txt")))) {
            problems.add("the file outside the workspace was written");
            Files.writeString(outside.resolve("victim.txt"), VICTIM);
        }
        restore(touched);
        return new Result(index, group, c.kind(), c.args(), c.named(), exit, err.toString(), seconds, problems);
    }

    private String expand(String arg) {
        if (arg.equals("W")) {
            return work.toString();
        }
        if (arg.startsWith("OUT/")) {
            return outside.resolve(arg.substring(4)).toString();
        }
        return arg;
    }

    /** @return the paths, other than those the case touched and the lock file, that differ from the base */
    private List<String> changes(List<String> touched) throws IOException {
        Map<String, String> now = new TreeMap<>();
        for (Path p : walk(work)) {
            now.put(work.relativize(p).toString(), describe(p));
        }
        TreeSet<String> all = new TreeSet<>(attributes.keySet());
        all.addAll(now.keySet());
        List<String> changed = new ArrayList<>();
        for (String rel : all) {
            if (rel.isEmpty() || rel.equals(".lock") || isUnder(rel, touched)) {
                continue;
            }
            String before = attributes.get(rel);
            String after = now.get(rel);
            if (Objects.equals(before, after)) {
                continue;
            }
            Path p = work.resolve(rel);
            if (before != null && after != null && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                    && Checksums.sha256(p).equals(baseHashes.get(rel))) {
                continue; // rewritten with the same bytes: identical
            }
            changed.add(rel + (before == null ? " appeared" : after == null ? " vanished" : " changed"));
        }
        return changed;
    }

    private static boolean isUnder(String rel, List<String> touched) {
        for (String t : touched) {
            if (rel.equals(t) || rel.startsWith(t.endsWith("/") ? t : t + "/")) {
                return true;
            }
        }
        return false;
    }

    /** Puts back every touched path, the lock file and anything else that changed, from the base. */
    private void restore(List<String> touched) throws IOException {
        java.util.Set<String> paths = new java.util.LinkedHashSet<>(touched);
        paths.add(".lock");
        for (String rel : changes(List.of())) {
            paths.add(rel.substring(0, rel.lastIndexOf(' ')));
        }
        for (String rel : paths) {
            Path p = work.resolve(rel);
            deleteTree(p);
            Path from = base.resolve(rel);
            if (Files.exists(from, LinkOption.NOFOLLOW_LINKS) && !rel.equals(".lock")) {
                copyTree(from, p);
            }
        }
        attributes.clear();
        remember(work);
    }

    private void remember(Path root) throws IOException {
        for (Path p : walk(root)) {
            attributes.put(root.relativize(p).toString(), describe(p));
        }
    }

    private static String describe(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String type = a.isDirectory() ? "d" : a.isRegularFile() ? "f" : a.isSymbolicLink() ? "l" : "o";
        return type + " " + (a.isDirectory() ? 0 : a.size()) + " " + (a.isDirectory() ? 0
                : a.lastModifiedTime().toMillis()) + " " + a.fileKey();
    }

    /** @return every path under a folder with its type, size and time: to tell whether anything was written */
    private static List<String> listing(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path p : walk(root)) {
            out.add(root.relativize(p) + " " + describe(p));
        }
        return out;
    }

    private static List<Path> walk(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        for (Path p : walk(from)) {
            Path target = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(target);
            } else {
                Files.createDirectories(target.getParent());
                Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(q);
                }
            }
        } else {
            Files.delete(p);
        }
    }

    /** @return the results file's cases */
    static List<Result> read(Path results) throws IOException {
        List<Result> out = new ArrayList<>();
        for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(Json.mapper().readValue(line, Result.class));
            }
        }
        return out;
    }

    /** @return counts per key, for the report */
    static Map<String, Integer> count(List<Result> results, java.util.function.Function<Result, String> key) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Result r : results) {
            m.merge(key.apply(r), 1, Integer::sum);
        }
        return m;
    }
}
