package org.multimagnet.ui.common;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * The most recently opened workspaces, newest first, kept in {@link Preferences} so they survive restarts.
 * The node is injected so tests use a throw-away one.
 */
public final class RecentWorkspaces {
    /** How many are remembered. */
    public static final int MAX = 8;
    private static final String KEY = "recent.";

    private final Preferences node;

    /** @param node where to keep the list (the app uses {@code Preferences.userRoot().node("multimagnet-workbench")}) */
    public RecentWorkspaces(Preferences node) {
        this.node = node;
    }

    /** @return the remembered folders, newest first */
    public List<Path> list() {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            String v = node.get(KEY + i, null);
            if (v != null && !v.isBlank()) {
                out.add(Path.of(v));
            }
        }
        return out;
    }

    /** Puts {@code folder} first, removing an older entry for it and dropping the oldest beyond {@link #MAX}. */
    public void add(Path folder) {
        Path abs = folder.toAbsolutePath().normalize();
        List<Path> list = new ArrayList<>(list());
        list.removeIf(p -> p.toAbsolutePath().normalize().equals(abs));
        list.add(0, abs);
        for (int i = 0; i < MAX; i++) {
            if (i < list.size()) {
                node.put(KEY + i, list.get(i).toString());
            } else {
                node.remove(KEY + i);
            }
        }
        try {
            node.flush();
        } catch (BackingStoreException e) {
            // Not fatal: the list simply will not survive a restart on this machine.
            System.getLogger(RecentWorkspaces.class.getName()).log(System.Logger.Level.DEBUG, "prefs flush failed", e);
        }
    }
}
