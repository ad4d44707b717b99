package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Json;

/**
 * A sweep of two seeds × two FGSM ε on the demo workspace, each task run through {@code sweep run} and merged,
 * gives the numbers of the same four studies run with the stage commands one after the other ({@code attack} for
 * V_atk and D_atk, {@code calibrate}, {@code evaluate}) on a copy of the workspace; the shared workspace the tasks
 * read is left byte for byte as it was.
 */
class SweepEquivalenceTest {
    private static final long[] SEEDS = {1, 2};
    private static final String[] EPS = {"0.02", "0.05"};

    @Test
    void sweepTasksReproduceTheStageCommandsAndMergeOverSeeds(@TempDir Path tmp) throws Exception {
        Path shared = TestWorkspaces.copy(TestWorkspaces.DEMO, Files.createDirectories(tmp.resolve("shared")));
        Path reference = TestWorkspaces.copy(TestWorkspaces.DEMO, Files.createDirectories(tmp.resolve("reference")));
        Map<String, String> before = TestWorkspaces.snapshot(shared);
        Path grid = tmp.resolve("grid.json");
        Files.writeString(grid, """
                {"falsePositiveRates": [0.01, 0.05], "temperatures": [1.0], "metrics": ["RE", "JSD"],
                 "approaches": ["MTA"], "ensembleSizes": [1, 3, 5], "seed": 7, "ensemblesPerCombination": 5}
                """);
        Path sweepFile = tmp.resolve("sweep.json");
        Files.writeString(sweepFile, """
                {"workspace": "%s", "seeds": [1, 2],
                 "attacks": [{"name": "fgsm", "params": {"eps": [0.02, 0.05]}}],
                 "defenses": ["multimagnet"],
                 "protocol": {"chunks": 3, "chunkSize": 20, "validationCount": 40, "testCount": 40},
                 "calibrationGrid": "%s"}
                """.formatted(shared, grid));
        Path sweep = tmp.resolve("sweep");

        CliRun expand = CliRun.of("sweep", "expand", "--grid", sweepFile.toString(), "--out", sweep.toString());
        assertEquals(0, expand.exit(), expand.err());
        assertTrue(expand.out().startsWith("4 tasks written to"), expand.out());
        for (int i = 0; i < 4; i++) {
            CliRun run = CliRun.of("sweep", "run", "--tasks", sweep.toString(), "--index", String.valueOf(i));
            assertEquals(0, run.exit(), run.err());
            assertTrue(run.out().contains("finished"), run.out());
        }
        CliRun again = CliRun.of("sweep", "run", "--tasks", sweep.toString(), "--index", "0");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("already finished: nothing to do"), again.out());
        CliRun merge = CliRun.of("sweep", "merge", "--tasks", sweep.toString());
        assertEquals(0, merge.exit(), merge.err());
        assertTrue(merge.out().startsWith("4 of 4 tasks finished, 0 failed, 0 missing"), merge.out());

        // the same studies with the stage commands, in the order expand lists them (ε outer, seed inner)
        List<String> tasks = Files.readAllLines(sweep.resolve("tasks.jsonl"));
        List<JsonNode> referenceEvaluations = new ArrayList<>();
        int i = 0;
        for (String eps : EPS) {
            for (long seed : SEEDS) {
                JsonNode task = Json.mapper().readTree(tasks.get(i++));
                assertEquals(eps, task.get("params").get("eps").asText());
                assertEquals(seed, task.get("seed").asLong());
                String ws = reference.toString();
                String s = String.valueOf(seed);
                for (String split : List.of("validation", "test")) {
                    ok("attack", "--workspace", ws, "--attack", "fgsm", "--split", split, "--count", "40", "--seed", s,
                            "--param", "eps=" + eps, "--replace");
                }
                ok("calibrate", "--workspace", ws, "--attack", "fgsm", "--grid", grid.toString(), "--seed", s,
                        "--replace");
                ok("evaluate", "--workspace", ws, "--attack", "fgsm", "--defense", "multimagnet", "--chunks", "3",
                        "--chunk-size", "20", "--seed", s, "--replace");
                JsonNode expected = Json.mapper().readTree(reference.resolve("evaluations/fgsm-multimagnet.json")
                        .toFile());
                referenceEvaluations.add(expected);
                Path run = sweep.resolve("runs").resolve(task.get("id").asText());
                JsonNode evaluation = Json.mapper().readTree(run.resolve("evaluation.json").toFile());
                for (String field : List.of("chunks", "accuracy", "ppv", "npv", "scenarios", "calibration",
                        "attackAccuracy", "settings")) {
                    assertEquals(expected.get(field), evaluation.get(field), field + " of task " + task.get("id"));
                }
                JsonNode result = Json.mapper().readTree(run.resolve("result.json").toFile());
                assertEquals(expected.get("accuracy").get("mean").asDouble(),
                        result.get("metrics").get("accuracy").get("mean").asDouble(), 0.0);
                assertEquals(seed, result.get("task").get("seed").asLong());
            }
        }
        // no two studies alike, or the comparison above would prove little
        assertTrue(referenceEvaluations.stream().map(e -> e.get("chunks").toString()).distinct().count() > 1);

        // the merge: per ε, μ and σ (population) over the two seeds of the reference's chunk means
        JsonNode merged = Json.mapper().readTree(sweep.resolve("merged.json").toFile());
        assertEquals(2, merged.get("groups").size());
        List<String> csv = Files.readAllLines(sweep.resolve("merged.csv"));
        assertEquals(3, csv.size(), String.join("\n", csv));
        for (int g = 0; g < 2; g++) {
            JsonNode group = merged.get("groups").get(g);
            assertEquals(EPS[g], group.get("combination").get("params").get("eps").asText());
            for (String[] metric : new String[][] {{"accuracy", "accuracy"}, {"detectionRate", "ppv"},
                    {"acceptanceRate", "npv"}}) {
                double a = referenceEvaluations.get(2 * g).get(metric[1]).get("mean").asDouble();
                double b = referenceEvaluations.get(2 * g + 1).get(metric[1]).get("mean").asDouble();
                JsonNode v = group.get("metrics").get(metric[0]);
                assertEquals((a + b) / 2, v.get("mean").asDouble(), 1e-12, metric[0]);
                assertEquals(Math.abs(a - b) / 2, v.get("std").asDouble(), 1e-12, metric[0]);
            }
            String[] row = csv.get(g + 1).split(",");
            assertEquals("eps=" + EPS[g], row[1]);
            assertEquals("1 2", row[8]);
            double a = referenceEvaluations.get(2 * g).get("accuracy").get("mean").asDouble();
            double b = referenceEvaluations.get(2 * g + 1).get("accuracy").get("mean").asDouble();
            assertEquals((a + b) / 2, Double.parseDouble(row[11]), 1e-6);
        }
        assertEquals(0, merged.get("missing").size());
        assertEquals(0, merged.get("failed").size());
        assertTrue(Files.size(sweep.resolve("charts/accuracy-vs-eps.png")) > 1000);
        assertEquals(before, TestWorkspaces.snapshot(shared), "the tasks wrote into the shared workspace");
    }

    private static void ok(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.err());
    }
}
