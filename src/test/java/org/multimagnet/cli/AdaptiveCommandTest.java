package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.Json;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.DefenseKind;
import org.multimagnet.defense.ExactAcceptance;
import org.multimagnet.defense.Observations;
import org.multimagnet.defense.Observer;
import org.multimagnet.experiment.AdaptiveEvaluation;
import org.multimagnet.nn.NetworkAutoencoder;
import org.multimagnet.nn.NetworkClassifier;
import org.multimagnet.workspace.CalibrationStore;
import org.multimagnet.workspace.ModelStore;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code adaptive} on the demo: bad options refused in one line, a short run's JSON, and its exact scoring. */
class AdaptiveCommandTest {
    @Test
    void badOptionsAreRefusedInOneLine() {
        String w = TestWorkspaces.DEMO.toString();
        for (String[] args : List.of(new String[] {"--threat", "blackbox", "--eps", "0.1"},
                new String[] {"--norm", "l1", "--eps", "0.1"}, new String[] {"--eps", "-0.1"},
                new String[] {"--eps", "0.1", "--steps", "0"}, new String[] {"--eps", "0.1", "--defense", "both"},
                new String[] {"--eps", "0.1", "--method", "sampled"}, new String[] {"--eps", "0.1", "--draws", "0"},
                new String[] {"--eps", "0.1", "--threat", "oblivious", "--method", "eot"},
                new String[] {"--eps", "0.1", "--threat", "graybox"},
                new String[] {"--eps", "0.1", "--attacker-workspace", w},
                new String[] {"--eps", "0.1", "--threat", "graybox", "--attacker-workspace", w},
                new String[] {"--eps", "0.1", "--records", "pom.xml"},
                new String[] {"--eps", "0.1", "--lambda-steps", "0"},
                new String[] {"--eps", "0.1", "--lambda-steps", "3", "--threat", "oblivious"})) {
            String[] full = new String[args.length + 3];
            full[0] = "adaptive";
            full[1] = "--workspace";
            full[2] = w;
            System.arraycopy(args, 0, full, 3, args.length);
            CliRun r = CliRun.of(full);
            assertEquals(2, r.exit(), r.err());
            assertEquals(1, r.err().strip().split("\n").length, r.err());
            assertTrue(r.err().startsWith("error: --"), r.err());
        }
    }

    @Test
    void aShortWhiteBoxRunStaysInItsBudget() throws Exception {
        CliRun r = CliRun.of("adaptive", "--workspace", TestWorkspaces.DEMO.toString(), "--calibration", "fgsm",
                "--threat", "whitebox", "--norm", "linf", "--eps", "0.05", "--count", "8", "--steps", "2", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode row = Json.mapper().readTree(r.out()).get("budgets").get(0);
        assertTrue(row.get("maxLinf").asDouble() <= 0.05 + 1e-6, row.toString());
        double robust = row.get("robustAccuracy").get(0).asDouble();
        assertTrue(robust >= 0 && robust <= 1, row.toString());
    }

    /** The evaluation's enumeration of every ensemble agrees with the closed-form acceptance, image by image. */
    @Test
    void acceptanceByEnumerationEqualsTheClosedForm() {
        ModelStore store = new ModelStore(TestWorkspaces.DEMO);
        NetworkClassifier f = store.loadClassifier();
        List<NetworkAutoencoder> s = store.loadAutoencoders();
        for (DefenseKind d : DefenseKind.values()) {
            CBest c = new CalibrationStore(TestWorkspaces.DEMO).current("cw", d);
            var set = org.multimagnet.workspace.AttackSetStore.load(TestWorkspaces.DEMO.resolve("attacks/cw-test"));
            int n = 40;
            INDArray adv = Nd4j.create(java.util.Arrays.copyOf(set.images(), n * 784), new long[] {n, 1, 28, 28});
            int[] labels = java.util.Arrays.copyOf(set.labels(), n);
            AdaptiveEvaluation e = AdaptiveEvaluation.of(f, s, c, c.combination().ensembleSizes(), adv, adv, labels,
                    ProgressListener.NONE, Cancellation.NEVER);
            Observations o = Observer.observe(f, s, adv, Observer.DEFAULT_BATCH, false, ProgressListener.NONE,
                    Cancellation.NEVER);
            Double t = c.combination().temperature();
            double[][] marks = c.combination().metric().withTemperature(t == null ? 1.0 : t).marks(o);
            double[] tau = new double[s.size()];
            for (int i = 0; i < s.size(); i++) {
                tau[i] = c.thresholdOf(o.memberIds()[i]);
            }
            double sum = 0;
            for (int img = 0; img < n; img++) {
                double[] m = new double[s.size()];
                for (int i = 0; i < s.size(); i++) {
                    m[i] = marks[i][img];
                }
                sum += ExactAcceptance.probability(c.combination().approach(), m, tau, c.combination().ensembleSizes());
            }
            assertEquals(sum / n, e.acceptance()[0], 1e-12, d.toString());
            assertEquals(0, e.meanL2(), 1e-12);
        }
    }

    /**
     * EOT with per-image records: one line per image and budget, the exact acceptance per size equal to the count
     * of accepting ensembles in the mask, and an existing file refused (one line, exit 2) unless --replace.
     */
    @Test
    void eotRecordsAgreeWithTheirMaskAndAreNotOverwritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("records.jsonl");
        String[] args = {"adaptive", "--workspace", TestWorkspaces.DEMO.toString(), "--calibration", "fgsm",
            "--method", "eot", "--draws", "2", "--eps", "0.05,0.1", "--count", "3", "--steps", "2", "--lambda-steps",
            "2", "--records",
            file.toString(), "--json"};
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exit(), r.err());
        JsonNode json = Json.mapper().readTree(r.out());
        assertEquals("whitebox", json.get("threat").asText());
        assertEquals("eot", json.get("method").asText());
        assertEquals("eot", json.get("budgets").get(1).get("method").asText());
        assertEquals(2, json.get("lambdaSteps").asInt());
        List<String> lines = Files.readAllLines(file);
        assertEquals(6, lines.size());
        for (String line : lines) {
            JsonNode rec = Json.mapper().readTree(line);
            assertEquals("whitebox", rec.get("threat").asText());
            assertEquals(10, rec.get("marks").size());
            double l = rec.get("lambda").asDouble();
            // λ0 = 1, then one round of the search: ×10, ÷10 or kept
            assertTrue(l == 1 || l == 10 || l == 0.1, line);
            java.math.BigInteger mask = new java.math.BigInteger(rec.get("acceptedMask").asText(), 16);
            assertEquals(1024 / 4, rec.get("acceptedMask").asText().length());
            for (int q = 0; q < rec.get("sizes").size(); q++) {
                int n = rec.get("sizes").get(q).asInt();
                int counted = 0;
                for (int b = 1; b < 1024; b++) {
                    counted += Integer.bitCount(b) == n && mask.testBit(b) ? 1 : 0;
                }
                assertEquals(counted, rec.get("accepting").get(q).asLong(), line);
                assertEquals((double) counted / rec.get("ensembles").get(q).asLong(),
                        rec.get("acceptance").get(q).asDouble(), 1e-12, line);
            }
            for (int b = 2; b < 1024; b += 2) {
                assertTrue(!mask.testBit(b) || Integer.bitCount(b) % 2 == 1, "an even ensemble in the mask");
            }
        }
        String before = Files.readString(file);
        CliRun again = CliRun.of(args);
        assertEquals(2, again.exit(), again.err());
        assertEquals(1, again.err().strip().split("\n").length, again.err());
        assertTrue(again.err().startsWith("error: --records"), again.err());
        assertEquals(before, Files.readString(file));
        String[] replacing = java.util.Arrays.copyOf(args, args.length + 1);
        replacing[args.length] = "--replace";
        assertEquals(0, CliRun.of(replacing).exit());
    }

    /**
     * Gray-box: the attacker trains its own S′ (three members, one epoch on 200 images, its own seed) in a workspace
     * without a classifier, so it uses the defender's F; the result is labelled graybox and scored against the
     * defender's S of ten members.
     */
    @Test
    void grayBoxAttacksThroughItsOwnMembersAndIsScoredAgainstS(@TempDir Path dir) throws Exception {
        String w2 = dir.resolve("attacker").toString();
        CliRun t = CliRun.of("train", "--workspace", w2, "--dataset", "sample:mnist", "--what", "autoencoders",
                "--members", "1,2,3", "--epochs", "1", "--limit", "200", "--seed", "7");
        assertEquals(0, t.exit(), t.err());
        Path records = dir.resolve("gray.jsonl");
        CliRun r = CliRun.of("adaptive", "--workspace", TestWorkspaces.DEMO.toString(), "--calibration", "fgsm",
                "--threat", "graybox", "--attacker-workspace", w2, "--eps", "0.1", "--count", "4", "--steps", "2",
                "--records", records.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = Json.mapper().readTree(r.out());
        assertEquals("graybox", json.get("threat").asText());
        assertEquals("graybox", json.get("budgets").get(0).get("threat").asText());
        assertEquals(3, json.get("attacker").get("members").asInt());
        assertEquals("the defender's F", json.get("attacker").get("classifier").asText());
        // n ∈ {3, 5, 7, 9} of the defender's C_best: only 3 fits S′
        assertEquals(List.of(3), Json.mapper().convertValue(json.get("attacker").get("sizes"),
                new com.fasterxml.jackson.core.type.TypeReference<List<Integer>>() { }));
        assertTrue(json.get("scoredAgainst").asText().contains("10 members"), json.toString());
        for (String line : Files.readAllLines(records)) {
            JsonNode rec = Json.mapper().readTree(line);
            assertEquals("graybox", rec.get("threat").asText());
            assertEquals(10, rec.get("memberIds").size()); // the defender's S, not S′
        }
        JsonNode row = json.get("budgets").get(0);
        assertTrue(row.get("maxLinf").asDouble() <= 0.1 + 1e-6, row.toString());
    }

    /**
     * --save: the file's name carries defense, threat, method and norm (an eot run beside an all-members run of the
     * same threat and norm replaces nothing); a second save is refused in one line before any work unless --replace,
     * which keeps the old file, and 'workspace restore' brings it back byte for byte.
     */
    @Test
    void saveNamesTheMethodAndNeedsConsentToReplace(@TempDir Path dir) throws Exception {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, dir);
        try (var saved = Files.newDirectoryStream(ws.resolve("evaluations"), "adaptive-*.json")) {
            for (Path p : saved) {
                Files.delete(p); // the demo's own saved results: this test starts from a workspace without any
            }
        }
        String w = ws.toString();
        String[] allMembers = {"adaptive", "--workspace", w, "--calibration", "fgsm", "--norm", "l2", "--eps", "0.5",
            "--count", "2", "--steps", "1", "--seed", "4", "--save"};
        CliRun first = CliRun.of(allMembers);
        assertEquals(0, first.exit(), first.err());
        Path saved = ws.resolve("evaluations/adaptive-multimagnet-whitebox-all-members-l2.json");
        assertTrue(Files.isRegularFile(saved), first.err());
        JsonNode json = Json.readFile(saved, JsonNode.class);
        assertEquals("all-members", json.get("method").asText());
        assertEquals("l2", json.get("norm").asText());
        byte[] original = Files.readAllBytes(saved);

        CliRun eot = CliRun.of("adaptive", "--workspace", w, "--calibration", "fgsm", "--norm", "l2", "--eps", "0.5",
                "--count", "2", "--steps", "1", "--seed", "4", "--method", "eot", "--draws", "1", "--save");
        assertEquals(0, eot.exit(), eot.err());
        assertTrue(Files.isRegularFile(ws.resolve("evaluations/adaptive-multimagnet-whitebox-eot-l2.json")));
        assertArrayEquals(original, Files.readAllBytes(saved), "the eot run left the all-members file alone");
        // what the report's section reads back from the saved files
        List<org.multimagnet.experiment.AdaptiveResults> back = org.multimagnet.experiment.AdaptiveResults.load(ws);
        assertEquals(List.of("all-members", "eot"), back.stream().map(a -> a.method()).toList());
        assertEquals(0.5, back.get(0).budgets().get(0).eps());
        assertEquals(2, back.get(0).images());

        long t0 = System.nanoTime();
        CliRun refused = CliRun.of(allMembers);
        assertEquals(2, refused.exit(), refused.err());
        assertEquals(1, refused.err().strip().split("\n").length, refused.err());
        assertTrue(refused.err().startsWith("error: evaluations/adaptive-multimagnet-whitebox-all-members-l2 holds"),
                refused.err());
        assertTrue(refused.err().contains("--replace"), refused.err());
        assertTrue((System.nanoTime() - t0) / 1e9 < 20, "refused before the attack");
        assertArrayEquals(original, Files.readAllBytes(saved));

        String[] replacing = java.util.Arrays.copyOf(allMembers, allMembers.length + 1);
        replacing[allMembers.length - 2] = "5"; // another seed, so that the replaced file differs
        replacing[allMembers.length] = "--replace";
        CliRun replaced = CliRun.of(replacing);
        assertEquals(0, replaced.exit(), replaced.err());
        assertEquals(5, Json.readFile(saved, JsonNode.class).get("seed").asLong());

        CliRun restore = CliRun.of("workspace", "restore", "--workspace", w,
                "evaluations/adaptive-multimagnet-whitebox-all-members-l2", "1");
        assertEquals(0, restore.exit(), restore.err());
        assertArrayEquals(original, Files.readAllBytes(saved), "restored byte for byte");

        // the report's section from the saved results, without running the protocol again
        java.util.Map<String, String> report = TestWorkspaces.snapshot(ws.resolve("report"));
        CliRun asked = CliRun.of("reproduce", "--workspace", w, "--adaptive-only");
        assertEquals(2, asked.exit(), asked.err());
        assertEquals(1, asked.err().strip().split("\n").length, asked.err());
        assertTrue(asked.err().startsWith("error: report holds the report"), asked.err());
        assertEquals(report, TestWorkspaces.snapshot(ws.resolve("report")));
        CliRun rewritten = CliRun.of("reproduce", "--workspace", w, "--adaptive-only", "--replace");
        assertEquals(0, rewritten.exit(), rewritten.err());
        String md = Files.readString(ws.resolve("report/report.md"));
        assertTrue(md.contains("## Adaptive attacks") && md.contains("| L2 | 0.5 | MultiMagNet | whitebox | eot |")
                && md.contains("| L2 | 0.5 | MultiMagNet | whitebox | all-members |"), md);
        assertTrue(Files.isRegularFile(ws.resolve("report/adaptive-robust-accuracy.png")));
        java.util.Map<String, String> after = TestWorkspaces.snapshot(ws.resolve("report"));
        for (String f : report.keySet()) {
            if (!f.equals("report.md") && !f.equals("report.json") && !f.equals("adaptive-robust-accuracy.png")) {
                assertEquals(report.get(f), after.get(f), f + " is left as it was");
            }
        }
        assertTrue(Files.isDirectory(ws.resolve("history")), "the old report is kept");
    }
}
