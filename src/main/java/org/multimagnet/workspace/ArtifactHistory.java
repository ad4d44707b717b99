package org.multimagnet.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.multimagnet.common.AtomicFiles;
import org.multimagnet.common.Checksums;
import org.multimagnet.common.Json;
import org.multimagnet.common.UserException;
import org.multimagnet.defense.CBest;

/**
 * The replaced versions of a workspace's artifacts, kept in {@code W/history/<artifact>/<n>/} (the files, byte for
 * byte) with {@code <n>.json} beside it ({@link Version}: when, why, what it held, each file's SHA-256).
 *
 * <p>Every writer that replaces an artifact calls {@link #keep} first, under the workspace's lock, so a replaced
 * model, adversarial set, calibration, evaluation or report can always be brought back with {@link #restore};
 * restoring keeps the version it replaces too. A version is copied into a hidden {@code .<n>.tmp} folder, renamed
 * to {@code <n>} and only then recorded in {@code <n>.json}: a process killed on the way leaves no half version in
 * the list, and the next {@link #keep} of that artifact clears the leftover.
 */
public final class ArtifactHistory {
    /** The history's folder inside a workspace. */
    public static final String FOLDER = "history";

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Path root;

    /** @param workspace the workspace folder W */
    public ArtifactHistory(Path workspace) {
        this.root = workspace.toAbsolutePath().normalize();
    }

    /**
     * One kept version.
     *
     * @param artifact    the artifact's id ({@link Artifact#id()})
     * @param version     its number, from 1, in the order kept
     * @param keptAt      ISO-8601 time it was kept
     * @param reason      why it was replaced (the stage that replaced it)
     * @param description what it held, as {@link #current} described it
     * @param bytes       total size of its files
     * @param files       path relative to the artifact → SHA-256
     */
    public record Version(String artifact, int version, String keptAt, String reason, String description, long bytes,
                          Map<String, String> files) {
    }

    /**
     * An artifact with its current version and the kept ones.
     *
     * @param artifact the artifact's id
     * @param current  what it holds now, or null when the workspace does not hold it
     * @param versions the kept versions, oldest first
     */
    public record Entry(String artifact, String current, List<Version> versions) {
    }

    /**
     * Describes what an artifact holds now, in the words a confirmation uses.
     *
     * @return e.g. "D_atk of fgsm (2,000 images, made 2026-12-01 10:02)"; empty when the workspace does not hold it
     */
    public Optional<String> current(Artifact a) {
        if (!exists(a)) {
            return Optional.empty();
        }
        try {
            return Optional.of(describe(a));
        } catch (UserException | UncheckedIOException e) {
            return Optional.of(a.id() + " (unreadable: " + e.getMessage() + ")");
        }
    }

    /**
     * Refuses, before any computation, to replace an artifact without consent.
     *
     * @throws ReplacementRefused when the workspace holds {@code a} and {@code consent} is {@link Consent#ASK_FIRST}
     */
    public void requireConsent(Artifact a, Consent consent) {
        if (consent == Consent.ASK_FIRST) {
            Optional<String> now = current(a);
            if (now.isPresent()) {
                throw new ReplacementRefused(a, now.get());
            }
        }
    }

    /**
     * Keeps the current version of an artifact before a writer replaces it; nothing when there is none. The caller
     * holds the workspace's lock.
     *
     * @param reason what replaces it, e.g. "train", "attack", "restore of version 2"
     * @return the version kept
     */
    public Optional<Version> keep(Artifact a, String reason) {
        Optional<String> description = current(a);
        if (description.isEmpty()) {
            return Optional.empty();
        }
        WorkspaceLock.acquire(root);
        Path dir = folderOf(a);
        try {
            Files.createDirectories(dir);
            clearLeftovers(dir);
            int n = versions(a).stream().mapToInt(Version::version).max().orElse(0) + 1;
            while (Files.exists(dir.resolve(Integer.toString(n)))) {
                n++; // a version folder whose record a kill prevented: keep it, number past it
            }
            Path tmp = dir.resolve("." + n + ".tmp");
            Map<String, String> files = new TreeMap<>();
            long bytes = 0;
            for (Map.Entry<String, Path> f : currentFiles(a).entrySet()) {
                Path to = tmp.resolve(f.getKey());
                Files.createDirectories(to.getParent());
                Files.copy(f.getValue(), to, LinkOption.NOFOLLOW_LINKS);
                files.put(f.getKey(), Checksums.sha256(to));
                bytes += Files.size(to);
            }
            Files.move(tmp, dir.resolve(Integer.toString(n)), StandardCopyOption.ATOMIC_MOVE);
            Version v = new Version(a.id(), n, Instant.now().toString(), reason, description.get(), bytes, files);
            Json.writeFile(dir.resolve(n + ".json"), v);
            return Optional.of(v);
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep " + a.id() + " in " + dir + " before replacing it: "
                    + e.getMessage(), e);
        }
    }

    /**
     * {@link #requireConsent} then {@link #keep}: what a writer calls just before it replaces an artifact.
     *
     * @return the version kept, if the workspace held one
     */
    public Optional<Version> prepareReplace(Artifact a, Consent consent, String reason) {
        requireConsent(a, consent);
        return keep(a, reason);
    }

    /** @return the kept versions of an artifact, oldest first */
    public List<Version> versions(Artifact a) {
        Path dir = folderOf(a);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Version> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.matches("[0-9]{1,9}\\.json") && Files.isDirectory(dir.resolve(n.substring(0, n.length() - 5)))) {
                    Version v = Json.readFile(p, Version.class);
                    if (v.files() == null) {
                        throw UserException.badFile(p, "field 'files' is missing (not a version record)");
                    }
                    out.add(v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingInt(Version::version));
        return out;
    }

    /** @return every artifact the workspace holds or has kept versions of, by id */
    public List<Entry> list() {
        TreeSet<String> ids = new TreeSet<>();
        for (Artifact a : held()) {
            ids.add(a.id());
        }
        Path history = root.resolve(FOLDER);
        for (Artifact.Kind k : Artifact.Kind.values()) {
            Path dir = history.resolve(k.folder());
            if (k == Artifact.Kind.REPORT) {
                if (Files.isDirectory(dir)) {
                    ids.add(Artifact.report().id());
                }
                continue;
            }
            for (String name : children(dir, Files::isDirectory)) {
                ids.add(k.folder() + "/" + name);
            }
        }
        List<Entry> out = new ArrayList<>();
        for (String id : ids) {
            Artifact a = Artifact.parse(id);
            List<Version> v = versions(a);
            Optional<String> now = current(a);
            if (now.isPresent() || !v.isEmpty()) {
                out.add(new Entry(id, now.orElse(null), v));
            }
        }
        return out;
    }

    /**
     * Brings a kept version back, byte for byte; the version it replaces is kept first (so a restore can be undone
     * by another). The caller holds the workspace's lock (or this takes it).
     *
     * @param a       the artifact
     * @param version the version number, as {@link #versions} lists it
     * @return the version the replaced current one was kept as, if there was one
     * @throws UserException when there is no such version or its files were changed since they were kept
     */
    public Optional<Version> restore(Artifact a, int version) {
        WorkspaceLock.acquire(root);
        Version v = versions(a).stream().filter(x -> x.version() == version).findFirst()
                .orElseThrow(() -> new UserException(a.id() + ": no version " + version + " (kept: "
                        + versions(a).stream().map(x -> Integer.toString(x.version())).toList() + ")"));
        Path from = folderOf(a).resolve(Integer.toString(version));
        Map<String, byte[]> content = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : v.files().entrySet()) {
            Path file = inside(from, f.getKey());
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw UserException.badFile(file, "file of version " + version + " not found");
            }
            byte[] bytes = readAll(file);
            if (!Checksums.sha256(bytes).equalsIgnoreCase(f.getValue())) {
                throw UserException.badFile(file, "SHA-256 differs from the one recorded when it was kept; version "
                        + version + " was changed and cannot be restored as it was");
            }
            content.put(f.getKey(), bytes);
        }
        Optional<Version> kept = keep(a, "restore of version " + version);
        try {
            switch (a.kind()) {
                case MODEL -> restoreModel(a, content);
                case EVALUATION -> restoreFiles(a, content);
                default -> restoreFolder(a, content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not restore " + a.id() + " version " + version + ": "
                    + e.getMessage(), e);
        }
        return kept;
    }

    /** The model's save protocol ({@link ModelStore#save}): the model file waits as pending until its manifest. */
    private void restoreModel(Artifact a, Map<String, byte[]> content) throws IOException {
        List<Path> files = a.files(root);
        Path zip = files.get(0);
        Path json = files.get(1);
        byte[] model = content.get(zip.getFileName().toString());
        byte[] manifest = content.get(json.getFileName().toString());
        if (model == null || manifest == null) {
            throw new UserException(a.id() + ": the kept version lacks " + (model == null ? zip : json).getFileName());
        }
        Path pending = new ModelStore(root).pendingFile(zip);
        AtomicFiles.write(pending, model);
        AtomicFiles.write(json, manifest);
        Files.move(pending, zip, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void restoreFiles(Artifact a, Map<String, byte[]> content) throws IOException {
        for (Path f : a.files(root)) {
            byte[] bytes = content.get(f.getFileName().toString());
            if (bytes != null) {
                AtomicFiles.write(f, bytes);
            } else {
                Files.deleteIfExists(f);
            }
        }
    }

    private void restoreFolder(Artifact a, Map<String, byte[]> content) throws IOException {
        Path target = a.folder(root);
        boolean done = false;
        try {
            Path staging = FolderSwap.begin(target);
            for (Map.Entry<String, byte[]> f : content.entrySet()) {
                Path to = inside(staging, f.getKey());
                Files.createDirectories(to.getParent());
                Files.write(to, f.getValue());
            }
            FolderSwap.commit(target);
            done = true;
        } finally {
            if (!done) {
                FolderSwap.abandon(target);
            }
        }
    }

    /** @return {@code W/history/<artifact id>} */
    Path folderOf(Artifact a) {
        return root.resolve(FOLDER).resolve(a.id());
    }

    private boolean exists(Artifact a) {
        if (!a.isFolder()) {
            return Files.isRegularFile(a.files(root).get(a.kind() == Artifact.Kind.MODEL ? 1 : 0));
        }
        Path dir = FolderSwap.readable(a.folder(root));
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && !currentFiles(a).isEmpty();
    }

    /** @return the current version's regular files, by path relative to the artifact (symlinks are not followed) */
    private Map<String, Path> currentFiles(Artifact a) {
        Map<String, Path> out = new TreeMap<>();
        if (!a.isFolder()) {
            for (Path f : a.files(root)) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(f.getFileName().toString(), f);
                }
            }
            return out;
        }
        Path dir = FolderSwap.readable(a.folder(root));
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> out.put(dir.relativize(p).toString().replace('\\', '/'), p));
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** @return the artifacts the workspace holds now */
    private List<Artifact> held() {
        List<Artifact> out = new ArrayList<>();
        for (String n : children(root.resolve(Artifact.Kind.MODEL.folder()), Files::isRegularFile)) {
            if (n.endsWith(".json")) {
                add(out, Artifact.Kind.MODEL, n.substring(0, n.length() - 5));
            }
        }
        for (Artifact.Kind k : List.of(Artifact.Kind.ATTACK_SET, Artifact.Kind.CALIBRATION)) {
            for (String n : children(root.resolve(k.folder()), Files::isDirectory)) {
                add(out, k, n);
            }
        }
        for (String n : children(root.resolve(Artifact.Kind.EVALUATION.folder()), Files::isRegularFile)) {
            if (n.endsWith(".json")) {
                add(out, Artifact.Kind.EVALUATION, n.substring(0, n.length() - 5));
            }
        }
        if (Files.isDirectory(root.resolve(Artifact.Kind.REPORT.folder()))) {
            out.add(Artifact.report());
        }
        return out;
    }

    private static void add(List<Artifact> out, Artifact.Kind k, String name) {
        try {
            out.add(new Artifact(k, name));
        } catch (UserException e) {
            // a file or folder whose name no stage writes is not an artifact
        }
    }

    private static List<String> children(Path dir, java.util.function.Predicate<Path> keep) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")
                            && !Files.isSymbolicLink(p) && keep.test(p))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + dir + ": " + e.getMessage(), e);
        }
    }

    private String describe(Artifact a) {
        return switch (a.kind()) {
            case MODEL -> {
                ModelManifest m = Json.readFile(a.files(root).get(1), ModelManifest.class);
                String quality = m.testAccuracy() != null
                        ? String.format(Locale.ROOT, ", %.2f%% on Te", 100 * m.testAccuracy()) : "";
                yield String.format(Locale.ROOT, "%s (%d epochs on %,d images%s, trained %s)", m.name(), m.epochs(),
                        m.trainImages(), quality, when(m.createdAt()));
            }
            case ATTACK_SET -> {
                AttackSetManifest m = Json.readFile(FolderSwap.readable(a.folder(root))
                        .resolve(AttackSetStore.MANIFEST), AttackSetManifest.class);
                yield String.format(Locale.ROOT, "%s of %s (%,d images, made %s)",
                        AttackSets.VALIDATION.equals(m.split()) ? "V_atk" : "D_atk", m.attack(), m.count(),
                        when(m.createdAt()));
            }
            case CALIBRATION -> {
                Path cbest = FolderSwap.readable(a.folder(root)).resolve(CalibrationStore.CBEST);
                yield Files.isRegularFile(cbest)
                        ? "the calibration against " + a.name() + " (C_best of "
                        + when(Json.readFile(cbest, CBest.class).createdAt()) + ")"
                        : "the file C against " + a.name() + " (not calibrated yet)";
            }
            case REPORT -> "the report (written " + modified(FolderSwap.readable(a.folder(root)).resolve("report.md"))
                    + ")";
            case EVALUATION -> "the evaluation " + a.name() + " (written " + modified(a.files(root).get(0)) + ")";
        };
    }

    private static String when(String iso) {
        try {
            return iso == null ? "at an unknown time" : WHEN.format(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    private static String modified(Path p) {
        try {
            return WHEN.format(Files.getLastModifiedTime(p).toInstant());
        } catch (IOException e) {
            return "at an unknown time";
        }
    }

    private static void clearLeftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches("\\.[0-9]{1,9}\\.tmp")).toList()) {
                FolderSwap.deleteTree(p);
            }
        }
    }

    /** Resolves a path recorded in a version record inside {@code base}, refusing one that leaves it. */
    private static Path inside(Path base, String relative) {
        Path p = base.resolve(relative).normalize();
        if (Path.of(relative).isAbsolute() || !p.startsWith(base)) {
            throw new UserException(base + ": version record names '" + relative + "', outside the version's folder");
        }
        return p;
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }
}
