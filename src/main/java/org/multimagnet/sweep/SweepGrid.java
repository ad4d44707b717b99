package org.multimagnet.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.multimagnet.attack.Attacks;
import org.multimagnet.attack.PaperSetting;
import org.multimagnet.common.Json;
import org.multimagnet.common.SafeFiles;
import org.multimagnet.common.UserException;
import org.multimagnet.defense.CalibrationGrid;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.nn.ModelRole;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.Workspace;

/**
 * A declared sweep (docs/sweeps.md): the shared workspace and, for each swept parameter, its values. Every field
 * is checked when the file is read, before any task exists, and a bad one is named with its value and what was
 * expected.
 *
 * <p>The tasks are the Cartesian product in a fixed order: attack (in file order, then its parameters' values),
 * defense, ensemble sizes, chunks, chunk size, validation count, test count, and the seed innermost, so that the
 * seeds of one study are neighbours in the list.
 */
public final class SweepGrid {
    private static final Set<String> FIELDS = Set.of("workspace", "seeds", "attacks", "defenses", "ensembleSizes",
            "protocol", "calibrationGrid");
    private static final Set<String> PROTOCOL_FIELDS = Set.of("chunks", "chunkSize", "validationCount", "testCount");
    private static final Set<String> ATTACK_FIELDS = Set.of("name", "params");

    private final Path file;

    private SweepGrid(Path file) {
        this.file = file;
    }

    /**
     * Reads a sweep file and expands it into its tasks. Relative paths in it are read as the command line reads
     * its own (from the current folder) and the tasks hold them absolute.
     *
     * @throws UserException naming the file, the field, its value and what was expected
     */
    public static List<SweepTask> expand(Path file) {
        return new SweepGrid(file).read();
    }

    private List<SweepTask> read() {
        JsonNode root;
        try {
            root = Json.mapper().readTree(SafeFiles.read(file, Json.maxBytes()));
        } catch (IOException e) {
            throw UserException.badFile(file, "not valid JSON (" + e.getMessage().split("\n")[0] + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw bad("", root, "a JSON object with workspace, seeds, attacks and protocol");
        }
        unknownFields(root, FIELDS, "");
        Path workspaceFolder = Path.of(text(required(root, "workspace"), "workspace", "the workspace folder whose "
                + "models the tasks read")).toAbsolutePath().normalize();
        Workspace ws;
        try {
            ws = Workspace.open(workspaceFolder);
        } catch (UserException e) {
            throw UserException.badFile(file, "workspace: " + e.getMessage(), e);
        }
        int m = (int) ws.models().list().stream().filter(x -> x.role() == ModelRole.AUTOENCODER).count();

        List<Long> seeds = seeds(required(root, "seeds"));
        List<AttackChoice> attacks = attacks(required(root, "attacks"));
        List<String> defenses = defenses(root.get("defenses"));
        List<List<Integer>> sizes = ensembleSizes(root.get("ensembleSizes"), m);
        JsonNode protocol = required(root, "protocol");
        if (!protocol.isObject()) {
            throw bad("protocol", protocol, "an object with chunks, chunkSize, validationCount and testCount");
        }
        unknownFields(protocol, PROTOCOL_FIELDS, "protocol.");
        List<Integer> chunks = positiveInts(required(protocol, "chunks"), "protocol.chunks");
        List<Integer> chunkSizes = positiveInts(required(protocol, "chunkSize"), "protocol.chunkSize");
        List<Integer> vCounts = positiveInts(required(protocol, "validationCount"), "protocol.validationCount");
        List<Integer> tCounts = positiveInts(required(protocol, "testCount"), "protocol.testCount");
        for (int c : chunks) {
            for (int s : chunkSizes) {
                for (int t : tCounts) {
                    if ((long) c * s > 2L * t) {
                        throw UserException.badFile(file, "protocol: " + c + " chunks of " + s + " need " + (long) c * s
                                + " images, but D = D_leg ∪ D_atk holds 2 × testCount = " + 2L * t + " (expected "
                                + "chunks × chunkSize ≤ 2 × testCount)");
                    }
                }
            }
        }
        String grid = calibrationGrid(root.get("calibrationGrid"), m);

        List<SweepTask> tasks = new ArrayList<>();
        for (AttackChoice a : attacks) {
            for (Map<String, String> params : a.combinations()) {
                for (String d : defenses) {
                    for (List<Integer> n : sizes) {
                        for (int c : chunks) {
                            for (int s : chunkSizes) {
                                for (int v : vCounts) {
                                    for (int t : tCounts) {
                                        for (long seed : seeds) {
                                            tasks.add(SweepTask.of(tasks.size(), workspaceFolder.toString(), a.name(),
                                                    params, d, n, c, s, v, t, grid, seed));
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return tasks;
    }

    /** An attack and each parameter's values (one value: fixed; several: swept). */
    private record AttackChoice(String name, Map<String, List<String>> params) {
        List<Map<String, String>> combinations() {
            List<Map<String, String>> out = new ArrayList<>();
            out.add(new LinkedHashMap<>());
            for (Map.Entry<String, List<String>> p : params.entrySet()) {
                List<Map<String, String>> next = new ArrayList<>();
                for (Map<String, String> partial : out) {
                    for (String v : p.getValue()) {
                        Map<String, String> m = new LinkedHashMap<>(partial);
                        m.put(p.getKey(), v);
                        next.add(m);
                    }
                }
                out = next;
            }
            return out;
        }
    }

    private List<Long> seeds(JsonNode node) {
        List<Long> seeds = new ArrayList<>();
        for (JsonNode s : nonEmptyList(node, "seeds", "a list of integer seeds, e.g. [1, 2, 3]")) {
            if (!s.canConvertToLong() || !s.isIntegralNumber()) {
                throw bad("seeds[" + seeds.size() + "]", s, "an integer seed");
            }
            if (seeds.contains(s.asLong())) {
                throw bad("seeds[" + seeds.size() + "]", s, "seeds that differ (this one is given twice)");
            }
            seeds.add(s.asLong());
        }
        return seeds;
    }

    private List<AttackChoice> attacks(JsonNode node) {
        List<AttackChoice> out = new ArrayList<>();
        for (JsonNode a : nonEmptyList(node, "attacks", "a list of attacks such as [{\"name\": \"fgsm\", "
                + "\"params\": {\"eps\": [0.1, 0.2]}}]")) {
            String at = "attacks[" + out.size() + "]";
            if (!a.isObject()) {
                throw bad(at, a, "an object with name and params");
            }
            unknownFields(a, ATTACK_FIELDS, at + ".");
            String name = text(required(a, "name"), at + ".name", "one of " + String.join(", ", Attacks.NAMES))
                    .toLowerCase(Locale.ROOT);
            if (!Attacks.NAMES.contains(name)) {
                throw bad(at + ".name", a.get("name"), "one of " + String.join(", ", Attacks.NAMES));
            }
            Map<String, List<String>> params = new LinkedHashMap<>();
            JsonNode p = a.get("params");
            if (p != null && !p.isNull()) {
                if (!p.isObject()) {
                    throw bad(at + ".params", p, "an object of parameter → value or list of values");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String key = at + ".params." + e.getKey();
                    List<String> values = new ArrayList<>();
                    for (JsonNode v : e.getValue().isArray() ? e.getValue() : List.of(e.getValue())) {
                        if (!v.isNumber() && !v.isTextual()) {
                            throw bad(key, v, "a number or a list of numbers");
                        }
                        values.add(v.asText());
                    }
                    if (values.isEmpty()) {
                        throw bad(key, e.getValue(), "at least one value");
                    }
                    params.put(e.getKey(), values);
                }
            }
            AttackChoice choice = new AttackChoice(name, params);
            for (Map<String, String> combination : choice.combinations()) {
                try {
                    // the ranges do not depend on the dataset (only the defaults do)
                    Attacks.create(name, PaperSetting.MNIST, combination);
                } catch (UserException e) {
                    throw UserException.badFile(file, at + ".params: " + e.getMessage(), e);
                }
            }
            out.add(choice);
        }
        return out;
    }

    private List<String> defenses(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of(DefenseKind.MULTIMAGNET.id());
        }
        List<String> out = new ArrayList<>();
        for (JsonNode d : nonEmptyList(node, "defenses", "a list of defenses, e.g. [\"multimagnet\", \"magnet\"]")) {
            try {
                String id = DefenseKind.parse(d.asText()).id();
                if (!d.isTextual() || out.contains(id)) {
                    throw new IllegalArgumentException();
                }
                out.add(id);
            } catch (IllegalArgumentException e) {
                throw bad("defenses[" + out.size() + "]", d, "multimagnet or magnet, each once");
            }
        }
        return out;
    }

    private List<List<Integer>> ensembleSizes(JsonNode node, int m) {
        List<List<Integer>> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            out.add(null);
            return out;
        }
        String expected = "a list of lists of odd sizes, e.g. [[3, 5, 7, 9], [5]]";
        for (JsonNode list : nonEmptyList(node, "ensembleSizes", expected)) {
            String at = "ensembleSizes[" + out.size() + "]";
            List<Integer> sizes = new ArrayList<>();
            for (JsonNode n : nonEmptyList(list, at, expected)) {
                if (!n.isIntegralNumber() || n.asInt() < 1 || n.asInt() % 2 == 0) {
                    throw bad(at, n, "odd sizes ≥ 1 (an odd n means the majority vote cannot tie)");
                }
                if (n.asInt() > m) {
                    throw bad(at, n, "sizes no larger than the workspace's repository S (m = " + m + " autoencoders)");
                }
                sizes.add(n.asInt());
            }
            out.add(sizes);
        }
        return out;
    }

    private String calibrationGrid(JsonNode node, int m) {
        if (node == null || node.isNull()) {
            return null;
        }
        Path grid = Path.of(text(node, "calibrationGrid", "the path of a grid file C")).toAbsolutePath().normalize();
        CalibrationGrid c;
        try {
            c = CalibrationStore.readGrid(grid);
        } catch (UserException e) {
            throw UserException.badFile(file, "calibrationGrid: " + e.getMessage(), e);
        }
        for (int n : c.ensembleSizes()) {
            if (n > m) {
                throw UserException.badFile(file, "calibrationGrid: " + grid + " asks for ensembles of n = " + n
                        + ", but the workspace's repository S holds m = " + m + " autoencoders");
            }
        }
        return grid.toString();
    }

    private List<Integer> positiveInts(JsonNode node, String field) {
        List<Integer> out = new ArrayList<>();
        String expected = "a whole number ≥ 1 or a list of them";
        for (JsonNode n : node.isArray() ? nonEmptyList(node, field, expected) : List.of(node)) {
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1) {
                throw bad(field, n, expected);
            }
            out.add(n.asInt());
        }
        return out;
    }

    private JsonNode required(JsonNode parent, String name) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            throw UserException.badFile(file, "field '" + name + "' is missing (see docs/sweeps.md for the format)");
        }
        return n;
    }

    private String text(JsonNode node, String field, String expected) {
        if (!node.isTextual() || node.asText().isBlank()) {
            throw bad(field, node, expected);
        }
        return node.asText();
    }

    private Iterable<JsonNode> nonEmptyList(JsonNode node, String field, String expected) {
        if (!node.isArray() || node.isEmpty()) {
            throw bad(field, node, expected);
        }
        return node;
    }

    private void unknownFields(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw UserException.badFile(file, "unknown field '" + prefix + name + "' (expected "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private UserException bad(String field, JsonNode value, String expected) {
        String v = value == null ? "nothing" : value.toString();
        if (v.length() > 80) {
            v = v.substring(0, 77) + "...";
        }
        return UserException.badFile(file, (field.isEmpty() ? "" : field + ": ") + v + " (expected " + expected + ")");
    }
}
