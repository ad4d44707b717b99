package org.multimagnet.workspace;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Tells whether a workspace's artifacts changed, whoever changed them (this process or another one: a command
 * line run, a second workbench). It looks only at the files that commit an artifact — {@code workspace.json}, the
 * models' manifests and weights, the attack sets' and calibrations' JSON files, the report — and compares their
 * sizes and modification times, so one look costs a few dozen {@code stat} calls and reads no file.
 *
 * <p>Hidden names (the writers' {@code .x.new}, {@code .x.tmp}, {@code .lock}) are skipped: an artifact counts as
 * changed once its writer has committed it, never halfway.
 */
public final class WorkspaceChanges {
    private WorkspaceChanges() {
    }

    /**
     * What a look at a workspace saw: each committed file's path (relative to the workspace) with its size and
     * modification time. Two fingerprints are equal exactly when no such file was added, removed or rewritten.
     *
     * @param files relative path → "size@mtime-nanos"
     */
    public record Fingerprint(Map<String, String> files) {
        public Fingerprint {
            files = Map.copyOf(files);
        }

        /** @return whether the folder held a {@code workspace.json} */
        public boolean isWorkspace() {
            return files.containsKey(Workspace.CONFIG);
        }

        /** @return the relative paths added, removed or rewritten between {@code before} and this one, sorted */
        public Set<String> changedSince(Fingerprint before) {
            Set<String> out = new TreeSet<>();
            for (Map.Entry<String, String> e : files.entrySet()) {
                if (!e.getValue().equals(before.files.get(e.getKey()))) {
                    out.add(e.getKey());
                }
            }
            for (String k : before.files.keySet()) {
                if (!files.containsKey(k)) {
                    out.add(k);
                }
            }
            return out;
        }
    }

    /**
     * Looks at {@code workspace} now. A missing or unreadable folder gives an empty fingerprint (it may be created
     * later, e.g. by {@code train} on the command line).
     */
    public static Fingerprint look(Path workspace) {
        Map<String, String> files = new TreeMap<>();
        add(workspace, workspace.resolve(Workspace.CONFIG), files);
        addChildren(workspace, workspace.resolve("models"), files, ".json", ".zip");
        addGrandChildren(workspace, workspace.resolve("attacks"), files);
        addGrandChildren(workspace, workspace.resolve("calibration"), files);
        addChildren(workspace, workspace.resolve("evaluations"), files, ".json");
        addChildren(workspace, workspace.resolve("report"), files, ".md", ".json");
        return new Fingerprint(files);
    }

    private static void addGrandChildren(Path root, Path dir, Map<String, String> files) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> subs = Files.newDirectoryStream(dir)) {
            for (Path sub : subs) {
                if (!hidden(sub) && Files.isDirectory(sub)) {
                    addChildren(root, sub, files, ".json");
                }
            }
        } catch (IOException e) {
            // a folder being swapped by its writer right now: the next look sees the committed one
        }
    }

    private static void addChildren(Path root, Path dir, Map<String, String> files, String... suffixes) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path f : children) {
                String name = f.getFileName().toString();
                if (hidden(f)) {
                    continue;
                }
                for (String s : suffixes) {
                    if (name.endsWith(s)) {
                        add(root, f, files);
                        break;
                    }
                }
            }
        } catch (IOException e) {
            // as above: seen on the next look
        }
    }

    private static void add(Path root, Path file, Map<String, String> files) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (a.isRegularFile()) {
                files.put(root.relativize(file).toString().replace('\\', '/'),
                        a.size() + "@" + a.lastModifiedTime().toInstant().getEpochSecond() + "."
                                + a.lastModifiedTime().toInstant().getNano());
            }
        } catch (IOException e) {
            // absent (or gone between listing and reading): not part of this look
        }
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }
}
