package org.multimagnet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.multimagnet.common.Checksums;
import org.multimagnet.common.Json;

/**
 * A seeded generator of tampered workspaces and bad command lines, in the spirit of
 * {@link org.multimagnet.data.HostileFiles}: manifests, model zips, C_best, grids, attack sets, {@code workspace.json}
 * and the lock file, each replaced by hostile content (null, garbage, wrong roles and ids, NaN and negative
 * thresholds, absurd counts and sizes), by special files (FIFOs, links to {@code /dev/zero}, folders) or by links out
 * of the workspace; and option values that are out of range, of the wrong type or naming special files. Every case
 * names the command that reads what was tampered and the text the one-line refusal must contain. The same seed
 * always gives the same cases.
 *
 * <p>A case's tampering edits a working copy of a base workspace and reports the paths it touched, so that the
 * runner can check that everything else is byte-identical afterwards and restore the touched paths.
 */
final class HostileWorkspaces {
    /** Members of the base workspace (the demo's ten autoencoders). */
    static final int MEMBERS = 10;
    /** The attack whose sets and calibration the base workspace holds. */
    static final String ATTACK = "bim";

    /** Edits a working copy; returns the paths (relative to it) it created, changed or removed. */
    @FunctionalInterface
    interface Tamper {
        List<String> apply(Path w, Path outside) throws IOException;
    }

    /**
     * One case.
     *
     * @param kind   what was done, for reports
     * @param args   the command line; {@code W} stands for the workspace, {@code OUT/} for the outside folder
     * @param named  text the refusal must contain (a file's path relative to the workspace, or an option)
     * @param tamper what is done to the workspace first
     */
    record Case(String kind, List<String> args, String named, Tamper tamper) {
    }

    private final SplittableRandom rng;
    private int hugeSpecs;

    private HostileWorkspaces(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    // ---------------------------------------------------------------------------------------------- workspaces

    private static final String[] WORKSPACE_KINDS = {
        "manifest-null", "manifest-empty", "manifest-array", "manifest-garbage", "manifest-truncated",
        "manifest-no-role", "manifest-bad-role", "manifest-role-classifier", "manifest-id-mismatch",
        "manifest-path-escape", "manifest-path-nul", "manifest-path-other-model", "manifest-sha-malformed",
        "manifest-sha-wrong", "manifest-spec-role", "manifest-duplicate-id", "manifest-stray-json",
        "manifest-fifo", "manifest-dev-zero", "manifest-folder", "manifest-link-out", "manifest-dangling-link",
        "manifest-deep-nesting", "manifest-oversized",
        "zip-truncated", "zip-garbage", "zip-array-claims-2g-floats", "zip-nan-weight", "zip-inf-weight",
        "zip-spec-huge-input", "zip-spec-huge-filters", "zip-spec-oversized", "zip-spec-null", "zip-spec-role",
        "zip-extra-entry", "zip-missing-variable", "zip-wrong-shape", "zip-fifo", "zip-link-out", "zip-folder",
        "zip-flipped-byte", "zip-link-dev-zero",
        "cbest-null", "cbest-threshold-nan", "cbest-threshold-negative", "cbest-threshold-infinite",
        "cbest-duplicate-member", "cbest-missing-member", "cbest-no-thresholds", "cbest-no-combination",
        "cbest-even-size", "cbest-bad-metric", "cbest-stale-inputs", "cbest-fifo", "cbest-link-out",
        "cbest-folder", "cbest-garbage", "cbest-member-zero", "cbest-magnet-nan", "cbest-size-above-m",
        "grid-ensembles-maxint", "grid-ten-million-combinations", "grid-fpr-zero", "grid-fpr-nan",
        "grid-even-size", "grid-size-above-m", "grid-no-seed", "grid-bad-metric", "grid-temperature-below-1",
        "grid-null", "grid-fifo", "grid-dev-zero", "grid-link-out", "grid-ensembles-zero",
        "set-manifest-null", "set-kind", "set-count", "set-shape", "set-sha", "set-source-index-range",
        "set-source-index-negative", "set-source-indices-length", "set-label-200", "set-images-nan",
        "set-images-truncated", "set-images-huge-count", "set-images-fifo", "set-images-link-out",
        "set-manifest-dev-zero", "set-labels-folder", "set-test-label-200", "set-test-source-index-range",
        "workspace-null", "workspace-no-dataset", "workspace-unknown-dataset", "workspace-array",
        "workspace-fifo", "workspace-link-out",
        "lock-link-out", "lock-folder", "lock-fifo", "lock-dangling-link",
        "attack-classifier-manifest-null", "attack-classifier-nan-weight", "attack-classifier-fifo",
        "attack-classifier-link-out", "folder-link-out-evaluations", "folder-link-out-calibration",
        "folder-link-out-models", "folder-link-out-attacks",
    };

    /** Generates {@code count} tampered-workspace cases, cycling through every kind with random details. */
    static List<Case> workspaces(long seed, int count) {
        HostileWorkspaces h = new HostileWorkspaces(seed);
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(h.workspaceCase(WORKSPACE_KINDS[i % WORKSPACE_KINDS.length]));
        }
        return out;
    }

    /** @return how many kinds of tampered workspace there are */
    static int workspaceKinds() {
        return WORKSPACE_KINDS.length;
    }

    private static final String IMAGE = "OUT/image.f32";

    private static List<String> deploy(String... extra) {
        List<String> a = new ArrayList<>(List.of("deploy", "--workspace", "W", "--seed", "1"));
        a.addAll(List.of(extra));
        a.add(IMAGE);
        return a;
    }

    // The demo holds this attack's calibration and evaluations: --replace, so that each case is refused for its own
    // reason, and a case let through would show as a changed calibration (and a history) in the comparison.
    private static List<String> calibrate(String... extra) {
        List<String> a = new ArrayList<>(List.of("calibrate", "--replace", "--workspace", "W", "--attack", ATTACK));
        a.addAll(List.of(extra));
        return a;
    }

    private static List<String> evaluate(String... extra) {
        List<String> a = new ArrayList<>(List.of("evaluate", "--replace", "--workspace", "W", "--attack", ATTACK));
        a.addAll(List.of(extra));
        return a;
    }

    private List<String> attack() {
        return List.of("attack", "--workspace", "W", "--attack", pick("fgsm", "deepfool"), "--split",
                pick("validation", "test"), "--count", "10", "--seed", "1");
    }

    private static List<String> modelsList() {
        return List.of("models", "list", "--workspace", "W");
    }

    private String member() {
        return String.format("ae-%02d", 1 + rng.nextInt(MEMBERS));
    }

    private String anyModel() {
        return rng.nextInt(4) == 0 ? "classifier" : member();
    }

    /** A command that reads every model manifest. */
    private List<String> readsManifests() {
        return rng.nextBoolean() ? modelsList() : deploy("--attack", ATTACK);
    }

    private Case workspaceCase(String kind) {
        String stem = anyModel();
        String manifest = "models/" + stem + ".json";
        String zip = "models/" + stem + ".zip";
        String cbest = "calibration/" + ATTACK + "/cbest.json";
        String grid = "calibration/" + ATTACK + "/grid.json";
        String setDir = "attacks/" + ATTACK + "-validation/";
        String testDir = "attacks/" + ATTACK + "-test/";
        List<String> dep = deploy("--attack", ATTACK);
        return switch (kind) {
            case "manifest-null" -> new Case(kind, readsManifests(), manifest, write(manifest, "null"));
            case "manifest-empty" -> new Case(kind, readsManifests(), manifest, write(manifest, ""));
            case "manifest-array" -> new Case(kind, readsManifests(), manifest, write(manifest, "[]"));
            case "manifest-garbage" -> new Case(kind, readsManifests(), manifest, write(manifest, garbage()));
            case "manifest-truncated" -> new Case(kind, readsManifests(), manifest, truncate(manifest));
            case "manifest-no-role" -> new Case(kind, readsManifests(), manifest,
                    editJson(manifest, o -> o.remove("role")));
            case "manifest-bad-role" -> new Case(kind, readsManifests(), manifest,
                    editJson(manifest, o -> o.put("role", pick("generator", "", "CLASSIFIER ", "7"))));
            case "manifest-role-classifier" -> {
                String m = "models/" + member() + ".json";
                yield new Case(kind, readsManifests(), m, editJson(m, o -> {
                    o.put("role", "classifier");
                    ((ObjectNode) o.get("spec")).put("role", "classifier");
                }));
            }
            case "manifest-id-mismatch" -> new Case(kind, readsManifests(), manifest,
                    editJson(manifest, o -> o.put("id", pick(-1, 11, 99, Integer.MAX_VALUE))));
            case "manifest-path-escape" -> new Case(kind, dep, manifest, editJson(manifest,
                    o -> o.put("file", pick("../outside.zip", "/etc/passwd", "models/../../x.zip", "", "."))));
            case "manifest-path-nul" -> new Case(kind, dep, manifest,
                    editJson(manifest, o -> o.put("file", "models/" + stem + "\u0000.zip")));
            case "manifest-path-other-model" -> {
                String m = "models/" + member() + ".json";
                yield new Case(kind, dep, m, editJson(m, o -> o.put("file", "models/classifier.zip")));
            }
            case "manifest-sha-malformed" -> new Case(kind, readsManifests(), manifest,
                    editJson(manifest, o -> o.put("sha256", pick("zz", "", "0123", "g".repeat(64)))));
            case "manifest-sha-wrong" -> new Case(kind, dep, zip,
                    editJson(manifest, o -> o.put("sha256", "0".repeat(64))));
            case "manifest-spec-role" -> {
                String m = "models/" + member() + ".json";
                yield new Case(kind, readsManifests(), m,
                        editJson(m, o -> ((ObjectNode) o.get("spec")).put("id", 1 + (o.get("id").asInt() % MEMBERS))));
            }
            case "manifest-duplicate-id" -> {
                String from = member();
                String to = String.format("ae-%02d", 11 + rng.nextInt(80));
                yield new Case(kind, readsManifests(), "models/" + to + ".json",
                        copy("models/" + from + ".json", "models/" + to + ".json"));
            }
            case "manifest-stray-json" -> new Case(kind, readsManifests(), "models/notes.json",
                    write("models/notes.json", "{\"todo\": \"retrain\"}"));
            case "manifest-fifo" -> new Case(kind, readsManifests(), manifest, fifo(manifest));
            case "manifest-dev-zero" -> new Case(kind, readsManifests(), manifest, link(manifest, "/dev/zero"));
            case "manifest-folder" -> new Case(kind, readsManifests(), manifest, folder(manifest));
            case "manifest-link-out" -> new Case(kind, readsManifests(), manifest, linkOutToCopy(manifest));
            case "manifest-dangling-link" -> new Case(kind, readsManifests(), manifest,
                    link(manifest, "/nonexistent/" + stem + ".json"));
            case "manifest-deep-nesting" -> new Case(kind, readsManifests(), manifest,
                    write(manifest, "[".repeat(5000 + rng.nextInt(5000))));
            case "manifest-oversized" -> new Case(kind, readsManifests(), manifest, (w, out) -> {
                // a valid object padded past the bound: only the bound can refuse it
                byte[] pad = new byte[(int) Json.MAX_BYTES + 1];
                java.util.Arrays.fill(pad, (byte) ' ');
                Files.write(w.resolve(manifest), pad);
                Files.write(w.resolve(manifest), "{}".getBytes(StandardCharsets.UTF_8),
                        java.nio.file.StandardOpenOption.APPEND);
                return List.of(manifest);
            });
            // cut inside the entries: a zip cut only in its central directory still holds a whole model
            case "zip-truncated" -> new Case(kind, dep, zip, rewriteModel(stem, b -> java.util.Arrays.copyOf(b,
                    rng.nextInt(b.length / 2))));
            case "zip-garbage" -> new Case(kind, dep, zip, rewriteModel(stem, b -> garbage().getBytes(
                    StandardCharsets.ISO_8859_1)));
            case "zip-array-claims-2g-floats" -> new Case(kind, dep, zip, rewriteEntries(stem, e -> {
                String var = firstVariable(e);
                byte[] a = e.get(var).clone();
                ByteBuffer.wrap(a).putLong(dataLengthOffset(a), Integer.MAX_VALUE);
                e.put(var, a);
            }));
            case "zip-nan-weight", "zip-inf-weight" -> new Case(kind, pick(dep, calibrate()), zip, rewriteEntries(stem, e -> {
                String var = firstVariable(e);
                byte[] a = e.get(var).clone();
                int data = dataLengthOffset(a) + 8 + 2 + "FLOAT".length();
                int n = (a.length - data) / 4;
                ByteBuffer.wrap(a).putFloat(data + 4 * rng.nextInt(n), kind.contains("nan") ? Float.NaN
                        : rng.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY);
                e.put(var, a);
            }));
            case "zip-spec-huge-input" -> new Case(kind, dep, zip, rewriteEntries(stem, e -> e.put("spec.json",
                    editSpec(e.get("spec.json"), s -> {
                        ObjectNode in = (ObjectNode) s.get("inputShape");
                        in.put("height", 100_000);
                        in.put("width", 100_000);
                    }))));
            case "zip-spec-huge-filters" -> {
                String m = member();
                yield new Case(kind, dep, "models/" + m + ".zip", rewriteEntries(m, e -> e.put("spec.json",
                        editSpec(e.get("spec.json"), s -> ((ArrayNode) s.get("structure")).set(0,
                                pick("2000000000", "70000", "1000000"))))));
            }
            case "zip-spec-oversized" -> new Case(kind, dep, zip, rewriteEntries(stem, e -> {
                // compresses to a few KB, expands to 2 MB (or 300 MB once): the entry bound must stop it
                int size = hugeSpecs++ == 0 ? 300 << 20 : 2 << 20;
                byte[] big = new byte[size];
                java.util.Arrays.fill(big, (byte) ' ');
                e.put("spec.json", big);
            }));
            case "zip-spec-null" -> new Case(kind, dep, zip, rewriteEntries(stem,
                    e -> e.put("spec.json", "null".getBytes(StandardCharsets.UTF_8))));
            case "zip-spec-role" -> {
                String m = member();
                yield new Case(kind, dep, "models/" + m + ".zip", rewriteEntries(m, e -> e.put("spec.json",
                        editSpec(e.get("spec.json"), s -> s.put("id", 1 + (s.get("id").asInt() % MEMBERS))))));
            }
            case "zip-extra-entry" -> new Case(kind, dep, zip, rewriteEntries(stem,
                    e -> e.put(pick("../evil.txt", "code.class", "variables/x/y.bin"), new byte[] {1, 2, 3})));
            case "zip-missing-variable" -> new Case(kind, dep, zip, rewriteEntries(stem,
                    e -> e.remove(firstVariable(e))));
            case "zip-wrong-shape" -> {
                String m = member();
                yield new Case(kind, dep, "models/" + m + ".zip", rewriteEntries(m, e -> {
                    String var = firstVariable(e);
                    e.put(var, e.get(lastVariable(e)));
                }));
            }
            case "zip-fifo" -> new Case(kind, dep, zip, fifo(zip));
            case "zip-link-out" -> new Case(kind, dep, zip, linkOutToCopy(zip));
            case "zip-folder" -> new Case(kind, dep, zip, folder(zip));
            case "zip-flipped-byte" -> new Case(kind, dep, stem, (w, out) -> {
                byte[] b = Files.readAllBytes(w.resolve(zip));
                b[rng.nextInt(b.length)] ^= (byte) (1 + rng.nextInt(255));
                Files.write(w.resolve(zip), b);
                return List.of(zip);
            });
            case "zip-link-dev-zero" -> new Case(kind, dep, zip, (w, out) -> {
                // a link to a device whose manifest names no checksum the device could match
                link(zip, "/dev/zero").apply(w, out);
                return List.of(zip);
            });
            case "cbest-null" -> new Case(kind, dep, cbest, write(cbest, "null"));
            case "cbest-threshold-nan" -> new Case(kind, dep, cbest, editThreshold(cbest,
                    t -> t.put("threshold", pick("NaN", "Infinity", "-Infinity"))));
            case "cbest-threshold-negative" -> new Case(kind, dep, cbest, editThreshold(cbest,
                    t -> t.put("threshold", -rng.nextDouble() - 1e-9)));
            case "cbest-threshold-infinite" -> new Case(kind, dep, cbest, (w, out) -> {
                String s = Files.readString(w.resolve(cbest));
                Files.writeString(w.resolve(cbest), s.replaceFirst("\"threshold\" : [0-9.Ee-]+", "\"threshold\" : 1e400"));
                return List.of(cbest);
            });
            case "cbest-duplicate-member" -> new Case(kind, dep, cbest, editJson(cbest, o -> {
                ArrayNode t = (ArrayNode) o.get("thresholds");
                t.set(1 + rng.nextInt(t.size() - 1), t.get(0).deepCopy());
            }));
            case "cbest-missing-member" -> new Case(kind, dep, cbest, editJson(cbest, o -> {
                ArrayNode t = (ArrayNode) o.get("thresholds");
                t.remove(rng.nextInt(t.size()));
            }));
            case "cbest-no-thresholds" -> new Case(kind, dep, cbest, editJson(cbest,
                    o -> o.set("thresholds", pickNode(JsonNodeFactory.instance.arrayNode(),
                            JsonNodeFactory.instance.nullNode()))));
            case "cbest-no-combination" -> new Case(kind, dep, cbest, editJson(cbest, o -> o.remove("combination")));
            case "cbest-even-size" -> new Case(kind, dep, cbest, editJson(cbest, o -> {
                ArrayNode sizes = JsonNodeFactory.instance.arrayNode();
                sizes.add(pick(2, 4, 0, -3));
                ((ObjectNode) o.get("combination")).set("ensembleSizes", sizes);
            }));
            case "cbest-bad-metric" -> new Case(kind, dep, cbest,
                    editJson(cbest, o -> ((ObjectNode) o.get("combination")).put("metric", pick("L2", "", "re2"))));
            case "cbest-stale-inputs" -> new Case(kind, dep, cbest, editJson(cbest, o -> {
                ObjectNode inputs = (ObjectNode) o.get("inputs");
                inputs.put("models/" + member() + ".zip", "1".repeat(64));
            }));
            case "cbest-fifo" -> new Case(kind, dep, cbest, fifo(cbest));
            case "cbest-link-out" -> new Case(kind, dep, cbest, linkOutToCopy(cbest));
            case "cbest-folder" -> new Case(kind, dep, cbest, folder(cbest));
            case "cbest-garbage" -> new Case(kind, dep, cbest, write(cbest, garbage()));
            case "cbest-member-zero" -> new Case(kind, dep, cbest, editThreshold(cbest, t -> t.put("id", 0)));
            case "cbest-magnet-nan" -> {
                String f = "calibration/" + ATTACK + "/cbest-magnet.json";
                yield new Case(kind, deploy("--attack", ATTACK, "--defense", "magnet"), f,
                        editThreshold(f, t -> t.put("threshold", "NaN")));
            }
            case "cbest-size-above-m" -> new Case(kind, pick(dep, evaluate()), cbest, editJson(cbest, o -> {
                ArrayNode sizes = JsonNodeFactory.instance.arrayNode();
                sizes.add(pick(11, 13, 99));
                ((ObjectNode) o.get("combination")).set("ensembleSizes", sizes);
            }));
            case "grid-ensembles-maxint" -> new Case(kind, calibrate(), grid,
                    editJson(grid, o -> o.put("ensemblesPerCombination", pick(Integer.MAX_VALUE, 1_000_000, 20_000))));
            case "grid-ten-million-combinations" -> new Case(kind, calibrate(), grid, editJson(grid, o -> {
                ArrayNode fprs = JsonNodeFactory.instance.arrayNode();
                ArrayNode temps = JsonNodeFactory.instance.arrayNode();
                for (int i = 1; i <= 1700; i++) {
                    fprs.add(i / 2000.0);
                    temps.add(1.0 + i);
                }
                o.set("falsePositiveRates", fprs);
                o.set("temperatures", temps);
                o.put("ensemblesPerCombination", 1);
            }));
            case "grid-fpr-zero" -> new Case(kind, calibrate(), grid, editJson(grid,
                    o -> ((ArrayNode) o.get("falsePositiveRates")).add(node(pick(0.0, 1.0, -0.1, 1.5)))));
            case "grid-fpr-nan" -> new Case(kind, calibrate(), grid, editJson(grid,
                    o -> ((ArrayNode) o.get("falsePositiveRates")).add(node(pick("NaN", "Infinity")))));
            case "grid-even-size" -> new Case(kind, calibrate(), grid, editJson(grid,
                    o -> ((ArrayNode) o.get("ensembleSizes")).add(pick(2, 4, 0, -1))));
            case "grid-size-above-m" -> new Case(kind, calibrate(), grid, editJson(grid,
                    o -> ((ArrayNode) o.get("ensembleSizes")).add(pick(11, 99, 1_000_001))));
            case "grid-no-seed" -> new Case(kind, calibrate(), grid, editJson(grid, o -> o.remove("seed")));
            case "grid-bad-metric" -> new Case(kind, calibrate(), grid, editJson(grid,
                    o -> ((ArrayNode) o.get("metrics")).add(pick("L2", "", "jsd2"))));
            case "grid-temperature-below-1" -> new Case(kind, calibrate(), grid, editJson(grid,
                    o -> ((ArrayNode) o.get("temperatures")).add(node(pick(0.5, 0.0, -1.0, "NaN")))));
            case "grid-null" -> new Case(kind, calibrate(), grid, write(grid, "null"));
            case "grid-fifo" -> new Case(kind, calibrate(), grid, fifo(grid));
            case "grid-dev-zero" -> new Case(kind, calibrate(), grid, link(grid, "/dev/zero"));
            case "grid-link-out" -> new Case(kind, calibrate(), grid, linkOutToCopy(grid));
            case "grid-ensembles-zero" -> new Case(kind, calibrate(), grid,
                    editJson(grid, o -> o.put("ensemblesPerCombination", pick(0, -1))));
            case "set-manifest-null" -> new Case(kind, calibrate(), setDir + "manifest.json",
                    write(setDir + "manifest.json", "null"));
            case "set-kind" -> new Case(kind, calibrate(), setDir + "manifest.json",
                    editJson(setDir + "manifest.json", o -> o.put("kind", pick("model", "", "attack-set-v0"))));
            case "set-count" -> new Case(kind, calibrate(), setDir,
                    editJson(setDir + "manifest.json", o -> o.put("count", pick(0, 1999, 2001, Integer.MAX_VALUE))));
            case "set-shape" -> new Case(kind, calibrate(), setDir, editJson(setDir + "manifest.json",
                    o -> ((ObjectNode) o.get("shape")).put("height", pick(27, 32, 100_000))));
            case "set-sha" -> new Case(kind, calibrate(), setDir, editJson(setDir + "manifest.json",
                    o -> ((ObjectNode) o.get("files")).put(pick("images.idx", "labels.idx"), "0".repeat(64))));
            case "set-source-index-range" -> new Case(kind, calibrate(), setDir + "manifest.json",
                    editJson(setDir + "manifest.json", o -> ((ArrayNode) o.get("sourceIndices"))
                            .set(index(o), node(pick(10_000, 1_000_000_000, Integer.MAX_VALUE)))));
            case "set-source-index-negative" -> new Case(kind, calibrate(), setDir + "manifest.json",
                    editJson(setDir + "manifest.json", o -> ((ArrayNode) o.get("sourceIndices"))
                            .set(index(o), node(pick(-1, Integer.MIN_VALUE)))));
            case "set-source-indices-length" -> new Case(kind, calibrate(), setDir,
                    editJson(setDir + "manifest.json", o -> ((ArrayNode) o.get("sourceIndices")).remove(0)));
            case "set-label-200", "set-test-label-200" -> {
                String dir = kind.contains("test") ? testDir : setDir;
                yield new Case(kind, kind.contains("test") ? evaluate() : calibrate(), dir + "labels.idx",
                        rewriteSetFile(dir, "labels.idx", b -> {
                            b[8 + rng.nextInt(b.length - 8)] = (byte) (int) pick(200, 10, 255);
                            return b;
                        }));
            }
            case "set-images-nan" -> new Case(kind, calibrate(), setDir + "images.idx",
                    rewriteSetFile(setDir, "images.idx", b -> {
                        int pixels = (b.length - 16) / 4;
                        ByteBuffer.wrap(b).putFloat(16 + 4 * rng.nextInt(pixels), pick(Float.NaN, 2.0f, -1.0f));
                        return b;
                    }));
            case "set-images-truncated" -> new Case(kind, calibrate(), setDir + "images.idx",
                    rewriteSetFile(setDir, "images.idx", b -> java.util.Arrays.copyOf(b, 16 + rng.nextInt(b.length - 16))));
            case "set-images-huge-count" -> new Case(kind, calibrate(), setDir + "images.idx",
                    rewriteSetFile(setDir, "images.idx", b -> {
                        ByteBuffer.wrap(b).putInt(4, pick(Integer.MAX_VALUE, 1 << 30, 2001));
                        return b;
                    }));
            case "set-images-fifo" -> new Case(kind, calibrate(), setDir + "images.idx", fifo(setDir + "images.idx"));
            case "set-images-link-out" -> new Case(kind, calibrate(), setDir + "images.idx",
                    linkOutToCopy(setDir + "images.idx"));
            case "set-manifest-dev-zero" -> new Case(kind, calibrate(), setDir + "manifest.json",
                    link(setDir + "manifest.json", "/dev/zero"));
            case "set-labels-folder" -> new Case(kind, calibrate(), setDir + "labels.idx", folder(setDir + "labels.idx"));
            case "set-test-source-index-range" -> new Case(kind, evaluate(), testDir + "manifest.json",
                    editJson(testDir + "manifest.json", o -> ((ArrayNode) o.get("sourceIndices"))
                            .set(index(o), node(pick(10_000, -5, Integer.MAX_VALUE)))));
            case "workspace-null" -> new Case(kind, pickArgs(), "workspace.json", write("workspace.json", "null"));
            case "workspace-no-dataset" -> new Case(kind, pickArgs(), "workspace.json",
                    editJson("workspace.json", o -> o.remove("dataset")));
            case "workspace-unknown-dataset" -> new Case(kind, List.of("evaluate", "--workspace", "W", "--attack",
                    ATTACK), "sample:", editJson("workspace.json", o -> o.put("dataset", pick("sample:nope",
                    "sample:mnist2")))); // names the source, which is what is wrong
            case "workspace-array" -> new Case(kind, pickArgs(), "workspace.json", write("workspace.json", "[1,2]"));
            case "workspace-fifo" -> new Case(kind, pickArgs(), "workspace.json", fifo("workspace.json"));
            case "workspace-link-out" -> new Case(kind, pickArgs(), "workspace.json", linkOutToCopy("workspace.json"));
            case "lock-link-out" -> new Case(kind, pick(calibrate(), evaluate()), ".lock",
                    (w, out) -> {
                        Files.createSymbolicLink(w.resolve(".lock"), out.resolve("victim.txt"));
                        return List.of(".lock");
                    });
            case "lock-folder" -> new Case(kind, pick(calibrate(), evaluate()), ".lock", folder(".lock"));
            case "lock-fifo" -> new Case(kind, pick(calibrate(), evaluate()), ".lock", fifo(".lock"));
            case "lock-dangling-link" -> new Case(kind, pick(calibrate(), evaluate()), ".lock",
                    (w, out) -> {
                        Files.createSymbolicLink(w.resolve(".lock"), out.resolve("planted-" + rng.nextInt(1000)));
                        return List.of(".lock");
                    });
            // an attack with no set in the base workspace, so that nothing exists it would have to replace
            case "attack-classifier-manifest-null" -> new Case(kind, attack(), "models/classifier.json",
                    write("models/classifier.json", "null"));
            case "attack-classifier-nan-weight" -> new Case(kind, attack(), "models/classifier.zip",
                    rewriteEntries("classifier", e -> {
                        String var = firstVariable(e);
                        byte[] a = e.get(var).clone();
                        ByteBuffer.wrap(a).putFloat(dataLengthOffset(a) + 8 + 2 + "FLOAT".length(), Float.NaN);
                        e.put(var, a);
                    }));
            case "attack-classifier-fifo" -> new Case(kind, attack(), "models/classifier.zip",
                    fifo("models/classifier.zip"));
            case "attack-classifier-link-out" -> new Case(kind, attack(), "models/classifier.zip",
                    linkOutToCopy("models/classifier.zip"));
            // a workspace folder replaced by a link to a folder outside: a writer would write there
            case "folder-link-out-evaluations" -> new Case(kind, evaluate(), "evaluations",
                    linkFolderOut("evaluations"));
            case "folder-link-out-calibration" -> new Case(kind, calibrate(), "calibration",
                    linkFolderOut("calibration"));
            case "folder-link-out-models" -> new Case(kind, pick(calibrate(), evaluate(), deploy()), "models",
                    linkFolderOut("models"));
            case "folder-link-out-attacks" -> new Case(kind, pick(calibrate(), evaluate()), "attacks",
                    linkFolderOut("attacks"));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private List<String> pickArgs() {
        return pick(modelsList(), deploy(), evaluate());
    }

    // ---------------------------------------------------------------------------------------------- arguments

    /**
     * Generates {@code count} bad command lines over an untouched workspace, cycling through every template.
     */
    static List<Case> arguments(long seed, int count) {
        HostileWorkspaces h = new HostileWorkspaces(seed);
        List<Case> templates = h.argumentTemplates();
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Case t = templates.get(i % templates.size());
            List<String> args = new ArrayList<>(t.args());
            if (i >= templates.size()) {
                // the second round: the same mistakes with --json, after the (sub)command it belongs to
                boolean group = args.get(0).equals("models") || args.get(0).equals("data");
                args.add(Math.min(group ? 2 : 1, args.size()), "--json");
            }
            out.add(new Case(t.kind(), args, t.named(), t.tamper()));
        }
        return out;
    }

    private static final Tamper NOTHING = (w, out) -> List.of();

    private List<Case> argumentTemplates() {
        List<Case> t = new ArrayList<>();
        for (String v : List.of("0", "-5", "abc", "99999999999", "")) {
            t.add(arg("evaluate --chunks", evaluate("--chunks", v), "--chunks"));
        }
        for (String v : List.of("0", "-1", "1.5")) {
            t.add(arg("evaluate --chunk-size", evaluate("--chunk-size", v), "--chunk-size"));
        }
        for (String v : List.of("2", "0", "-3", "4,6", "x", "3,,5", "11", "3,99")) {
            t.add(arg("evaluate --ensemble-sizes", evaluate("--ensemble-sizes", v), "--ensemble-sizes"));
        }
        for (String v : List.of("foo", "", "MagNet2")) {
            t.add(arg("evaluate --defense", evaluate("--defense", v), "--defense"));
        }
        t.add(arg("evaluate set too small for the protocol", evaluate("--chunks", "41"), "4100 images"));
        t.add(arg("evaluate overflowing layout", evaluate("--chunks", "100000", "--chunk-size", "100000"),
                "10000000000 images"));
        t.add(arg("evaluate --reformer-from", evaluate("--reformer-from", "nowhere"), "--reformer-from"));
        t.add(arg("evaluate unknown option", evaluate("--chunk", "4"), "--chunk"));
        t.add(arg("evaluate --export-marks folder", evaluate("--export-marks", "OUT/"), "--export-marks"));
        for (String a : List.of("../../etc", "", "a/b", "nosuch", ".hidden")) {
            t.add(arg("evaluate --attack", List.of("evaluate", "--workspace", "W", "--attack", a),
                    a.isEmpty() || a.contains("/") || a.startsWith(".") || a.contains("..") ? "attack name" : a));
        }
        t.add(arg("evaluate without --attack", List.of("evaluate", "--workspace", "W"), "--attack"));
        for (String v : List.of("2", "0", "-1", "99", "x")) {
            t.add(arg("deploy --ensemble-size", deploy("--ensemble-size", v), "--ensemble-size"));
        }
        t.add(arg("deploy --defense", deploy("--defense", "foo"), "--defense"));
        t.add(arg("deploy --attack missing", deploy("--attack", "nosuch"), "nosuch"));
        t.add(arg("deploy --attack escape", deploy("--attack", "../../x"), "attack name"));
        t.add(arg("deploy --seed", deploy("--seed", "abc"), "--seed"));
        t.add(arg("deploy --reformer-from", deploy("--reformer-from", "x"), "--reformer-from"));
        t.add(arg("deploy no image", List.of("deploy", "--workspace", "W"), "IMAGE"));
        t.add(arg("deploy image /dev/zero", List.of("deploy", "--workspace", "W", "--seed", "1", "/dev/zero"),
                "/dev/zero"));
        t.add(arg("deploy image missing", List.of("deploy", "--workspace", "W", "--seed", "1", "OUT/none.png"),
                "none.png"));
        t.add(arg("deploy image folder", List.of("deploy", "--workspace", "W", "--seed", "1", "OUT/"), "outside"));
        t.add(new Case("deploy image FIFO", List.of("deploy", "--workspace", "W", "--seed", "1", "OUT/pipe.png"),
                "pipe.png", (w, out) -> {
                    mkfifo(out.resolve("pipe.png"));
                    return List.of();
                }));
        t.add(arg("calibrate --grid /dev/zero", calibrate("--grid", "/dev/zero"), "/dev/zero"));
        t.add(arg("calibrate --grid missing", calibrate("--grid", "OUT/none.json"), "none.json"));
        t.add(arg("calibrate --grid folder", calibrate("--grid", "OUT/"), "outside"));
        t.add(new Case("calibrate --grid FIFO", calibrate("--grid", "OUT/grid.fifo"), "grid.fifo", (w, out) -> {
            mkfifo(out.resolve("grid.fifo"));
            return List.of();
        }));
        t.add(new Case("calibrate --grid huge combinations", calibrate("--grid", "OUT/big-grid.json"),
                "big-grid.json", (w, out) -> {
                    ObjectNode g = (ObjectNode) Json.mapper().readTree(w.resolve("calibration/" + ATTACK
                            + "/grid.json").toFile());
                    g.put("ensemblesPerCombination", 10_000);
                    Files.writeString(out.resolve("big-grid.json"), g.toString());
                    return List.of();
                }));
        t.add(arg("calibrate --attack escape", List.of("calibrate", "--workspace", "W", "--attack", "../x"),
                "attack name"));
        t.add(arg("calibrate --attack without V_atk", List.of("calibrate", "--workspace", "W", "--attack", "cw"),
                "cw"));
        t.add(arg("calibrate --seed", calibrate("--seed", "x1"), "--seed"));
        t.add(arg("calibrate --export-marks folder", calibrate("--export-marks", "OUT/"), "--export-marks"));
        t.add(arg("calibrate without --attack", List.of("calibrate", "--workspace", "W"), "--attack"));
        t.add(arg("models list missing workspace", List.of("models", "list", "--workspace", "OUT/nowhere"),
                "nowhere"));
        t.add(arg("models list workspace is a file", List.of("models", "list", "--workspace", "OUT/image.f32"),
                "image.f32"));
        t.add(arg("models unknown subcommand", List.of("models", "delete", "--workspace", "W"), "delete"));
        t.add(arg("unknown command", List.of("destroy", "--workspace", "W"), "destroy"));
        t.add(arg("attack unknown attack", List.of("attack", "--workspace", "W", "--attack", "foo", "--split",
                "validation"), "foo"));
        t.add(arg("attack --split", List.of("attack", "--workspace", "W", "--attack", "fgsm", "--split", "train"),
                "train"));
        t.add(arg("attack --count", List.of("attack", "--workspace", "W", "--attack", "fgsm", "--count", "-1"),
                "--count"));
        t.add(arg("attack --batch-size", List.of("attack", "--workspace", "W", "--attack", "fgsm", "--batch-size",
                "0"), "--batch-size"));
        t.add(arg("attack --param", List.of("attack", "--workspace", "W", "--attack", "fgsm", "--param",
                "epsilon=NaN"), "epsilon"));
        t.add(arg("attack --labels", List.of("attack", "--workspace", "W", "--attack", "fgsm", "--labels", "x"),
                "--labels"));
        t.add(arg("train --epochs", List.of("train", "--workspace", "W", "--epochs", "-1"), "--epochs"));
        t.add(arg("train --members", List.of("train", "--workspace", "W", "--what", "autoencoders", "--members",
                "0"), "--members"));
        t.add(arg("train --what", List.of("train", "--workspace", "W", "--what", "everything"), "--what"));
        t.add(arg("train other dataset", List.of("train", "--workspace", "W", "--dataset", "sample:cifar10"),
                "workspace.json"));
        t.add(arg("train --learning-rate", List.of("train", "--workspace", "W", "--learning-rate", "-0.1"),
                "--learning-rate"));
        t.add(arg("data info /dev/zero", List.of("data", "info", "/dev/zero"), "/dev/zero"));
        // a writer without --workspace: refused before it could write anywhere (the demo included)
        t.add(arg("attack without --workspace", List.of("attack", "--attack", "fgsm", "--count", "5"), "--workspace"));
        t.add(arg("evaluate without --workspace", List.of("evaluate", "--attack", "fgsm"), "--workspace"));
        return t;
    }

    private static Case arg(String kind, List<String> args, String named) {
        return new Case(kind, args, named, NOTHING);
    }

    // ---------------------------------------------------------------------------------------------- tampering

    private String garbage() {
        byte[] b = new byte[1 + rng.nextInt(400)];
        rng.nextBytes(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[rng.nextInt(values.length)];
    }

    /** @return a JSON number or string node for a value */
    private static JsonNode node(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v instanceof Integer i) {
            return f.numberNode(i);
        }
        if (v instanceof Double d) {
            return f.numberNode(d);
        }
        return f.textNode(String.valueOf(v));
    }

    private JsonNode pickNode(JsonNode... values) {
        return values[rng.nextInt(values.length)];
    }

    /** @return a random position in a set manifest's sourceIndices */
    private int index(ObjectNode setManifest) {
        return rng.nextInt(setManifest.get("sourceIndices").size());
    }

    private static Tamper write(String rel, String content) {
        return (w, out) -> {
            Files.write(w.resolve(rel), content.getBytes(StandardCharsets.ISO_8859_1));
            return List.of(rel);
        };
    }

    private Tamper truncate(String rel) {
        long keep = rng.nextLong();
        return (w, out) -> {
            byte[] b = Files.readAllBytes(w.resolve(rel));
            Files.write(w.resolve(rel), java.util.Arrays.copyOf(b, (int) Math.floorMod(keep, b.length - 1)));
            return List.of(rel);
        };
    }

    private static Tamper copy(String from, String to) {
        return (w, out) -> {
            Files.copy(w.resolve(from), w.resolve(to));
            return List.of(to);
        };
    }

    /** A JSON edit of a workspace file. */
    @FunctionalInterface
    interface ObjectEdit {
        void edit(ObjectNode o) throws IOException;
    }

    private static Tamper editJson(String rel, ObjectEdit edit) {
        return (w, out) -> {
            ObjectNode o = (ObjectNode) Json.mapper().readTree(w.resolve(rel).toFile());
            edit.edit(o);
            Files.writeString(w.resolve(rel), o.toString());
            return List.of(rel);
        };
    }

    private Tamper editThreshold(String rel, ObjectEdit edit) {
        int which = rng.nextInt(MEMBERS);
        return editJson(rel, o -> edit.edit((ObjectNode) o.get("thresholds").get(which)));
    }

    static void mkfifo(Path p) throws IOException {
        Files.deleteIfExists(p);
        try {
            int rc = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor();
            if (rc != 0) {
                throw new IOException("mkfifo " + p + " exited " + rc);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static Tamper fifo(String rel) {
        return (w, out) -> {
            Files.deleteIfExists(w.resolve(rel));
            mkfifo(w.resolve(rel));
            return List.of(rel);
        };
    }

    private static Tamper link(String rel, String target) {
        return (w, out) -> {
            Files.deleteIfExists(w.resolve(rel));
            Files.createSymbolicLink(w.resolve(rel), Path.of(target));
            return List.of(rel);
        };
    }

    private static Tamper folder(String rel) {
        return (w, out) -> {
            Files.deleteIfExists(w.resolve(rel));
            Files.createDirectories(w.resolve(rel));
            return List.of(rel);
        };
    }

    /** Moves a folder (or makes an empty one) out of the workspace and leaves a link to it. */
    private Tamper linkFolderOut(String rel) {
        int n = rng.nextInt(1 << 20);
        return (w, out) -> {
            Path outside = out.resolve("folder-" + n + "-" + rel);
            if (Files.exists(w.resolve(rel))) {
                Files.move(w.resolve(rel), outside);
            } else {
                Files.createDirectories(outside);
            }
            Files.createSymbolicLink(w.resolve(rel), outside);
            return List.of(rel);
        };
    }

    /** Moves the file out of the workspace and leaves a link to it: valid content, but outside. */
    private Tamper linkOutToCopy(String rel) {
        int n = rng.nextInt(1 << 20);
        return (w, out) -> {
            Path outside = out.resolve("moved-" + n + "-" + Path.of(rel).getFileName());
            Files.deleteIfExists(outside);
            Files.move(w.resolve(rel), outside);
            Files.createSymbolicLink(w.resolve(rel), outside);
            return List.of(rel);
        };
    }

    /** A change of a model file's bytes. */
    @FunctionalInterface
    interface BytesEdit {
        byte[] edit(byte[] b) throws IOException;
    }

    /** Rewrites a model file and, as an attacker would, the checksum in its manifest. */
    private static Tamper rewriteModel(String stem, BytesEdit edit) {
        return (w, out) -> {
            Path zip = w.resolve("models/" + stem + ".zip");
            byte[] b = edit.edit(Files.readAllBytes(zip));
            Files.write(zip, b);
            String manifest = "models/" + stem + ".json";
            ObjectNode o = (ObjectNode) Json.mapper().readTree(w.resolve(manifest).toFile());
            o.put("sha256", Checksums.sha256(b));
            Files.writeString(w.resolve(manifest), o.toString());
            List<String> touched = new ArrayList<>(List.of("models/" + stem + ".zip", manifest));
            // the calibrations record the model's checksum too: an attacker rewrites them, so that only the
            // model reader stands between the file and the engine
            for (String c : List.of("cbest.json", "cbest-magnet.json")) {
                String rel = "calibration/" + ATTACK + "/" + c;
                ObjectNode cb = (ObjectNode) Json.mapper().readTree(w.resolve(rel).toFile());
                ((ObjectNode) cb.get("inputs")).put("models/" + stem + ".zip", Checksums.sha256(b));
                Files.writeString(w.resolve(rel), cb.toString());
                touched.add(rel);
            }
            return touched;
        };
    }

    /** An edit of a model file's entries. */
    @FunctionalInterface
    interface EntriesEdit {
        void edit(Map<String, byte[]> entries) throws IOException;
    }

    private static Tamper rewriteEntries(String stem, EntriesEdit edit) {
        return rewriteModel(stem, b -> {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(b))) {
                for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                    entries.put(e.getName(), zip.readAllBytes());
                }
            }
            edit.edit(entries);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            }
            return bytes.toByteArray();
        });
    }

    private static String firstVariable(Map<String, byte[]> entries) {
        return entries.keySet().stream().filter(n -> n.startsWith("variables/")).findFirst().orElseThrow();
    }

    private static String lastVariable(Map<String, byte[]> entries) {
        return entries.keySet().stream().filter(n -> n.startsWith("variables/") && n.endsWith("_b.bin"))
                .reduce((a, b) -> b).orElseThrow();
    }

    /** @return where the data buffer's length is written in an ND4J array entry (after the shape buffer) */
    private static int dataLengthOffset(byte[] a) {
        ByteBuffer in = ByteBuffer.wrap(a);
        in.position(2 + (in.getShort(0) & 0xffff));
        long shapeLength = in.getLong();
        int typeLen = in.getShort() & 0xffff;
        in.position(in.position() + typeLen + (int) (8 * shapeLength));
        int modeLen = in.getShort() & 0xffff;
        return in.position() + modeLen;
    }

    private static byte[] editSpec(byte[] spec, ObjectEdit edit) throws IOException {
        ObjectNode o = (ObjectNode) Json.mapper().readTree(spec);
        edit.edit(o);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Rewrites a file of an attack set and, as an attacker would, its checksum in the set's manifest. */
    private static Tamper rewriteSetFile(String dir, String name, BytesEdit edit) {
        return (w, out) -> {
            byte[] b = edit.edit(Files.readAllBytes(w.resolve(dir + name)));
            Files.write(w.resolve(dir + name), b);
            ObjectNode o = (ObjectNode) Json.mapper().readTree(w.resolve(dir + "manifest.json").toFile());
            ((ObjectNode) o.get("files")).put(name, Checksums.sha256(b));
            Files.writeString(w.resolve(dir + "manifest.json"), o.toString());
            return List.of(dir + name, dir + "manifest.json");
        };
    }
}
