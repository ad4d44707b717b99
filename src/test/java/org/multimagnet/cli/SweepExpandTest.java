package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Json;

/**
 * {@code sweep expand}: the order of the tasks, their ids, the checks of the sweep file (one line naming the
 * field, exit 2, nothing written) and the consent needed to replace a different task list.
 */
class SweepExpandTest {
    private static final String WS = TestWorkspaces.DEMO.toAbsolutePath().toString();

    private static String grid(String seeds, String eps, String protocol) {
        return """
                {"workspace": "%s", "seeds": %s,
                 "attacks": [{"name": "fgsm", "params": {"eps": %s}}],
                 "defenses": ["multimagnet", "magnet"],
                 "protocol": %s}
                """.formatted(WS, seeds, eps, protocol);
    }

    private static final String PROTOCOL = "{\"chunks\": 2, \"chunkSize\": 20, \"validationCount\": 40, "
            + "\"testCount\": 40}";

    private static List<JsonNode> tasks(Path dir) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("tasks.jsonl"))) {
            out.add(Json.mapper().readTree(line));
        }
        return out;
    }

    @Test
    void tasksComeInDeclaredOrderWithTheSeedInnermostAndStableIds(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("sweep.json");
        Files.writeString(file, grid("[3, 1]", "[0.1, 0.2]", PROTOCOL));
        CliRun r = CliRun.of("sweep", "expand", "--grid", file.toString(), "--out", tmp.resolve("a").toString());
        assertEquals(0, r.exit(), r.err());
        List<JsonNode> a = tasks(tmp.resolve("a"));
        assertEquals(8, a.size());
        String[][] expected = {{"0.1", "multimagnet", "3"}, {"0.1", "multimagnet", "1"}, {"0.1", "magnet", "3"},
                {"0.1", "magnet", "1"}, {"0.2", "multimagnet", "3"}, {"0.2", "multimagnet", "1"},
                {"0.2", "magnet", "3"}, {"0.2", "magnet", "1"}};
        for (int i = 0; i < 8; i++) {
            JsonNode t = a.get(i);
            assertEquals(i, t.get("index").asInt());
            assertEquals(expected[i][0], t.get("params").get("eps").asText());
            assertEquals(expected[i][1], t.get("defense").asText());
            assertEquals(Long.parseLong(expected[i][2]), t.get("seed").asLong());
            assertTrue(t.get("id").asText().matches(String.format("%04d-[0-9a-f]{8}", i)), t.get("id").asText());
            assertEquals(WS, t.get("workspace").asText());
        }
        assertEquals(8, a.stream().map(t -> t.get("id").asText().substring(5)).distinct().count());

        // the same file again: the same list, byte for byte, and nothing to consent to
        CliRun again = CliRun.of("sweep", "expand", "--grid", file.toString(), "--out", tmp.resolve("a").toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().startsWith("8 tasks already in"), again.out());

        // the seeds in the other order: each study keeps its hash, under its new index
        Files.writeString(file, grid("[1, 3]", "[0.1, 0.2]", PROTOCOL));
        assertEquals(0, CliRun.of("sweep", "expand", "--grid", file.toString(), "--out",
                tmp.resolve("b").toString()).exit());
        List<JsonNode> b = tasks(tmp.resolve("b"));
        assertEquals(a.get(0).get("id").asText().substring(5), b.get(1).get("id").asText().substring(5));
        assertEquals(a.get(1).get("id").asText().substring(5), b.get(0).get("id").asText().substring(5));
        assertNotEquals(a.get(0).get("id").asText(), b.get(1).get("id").asText());

        // a different list into the first folder is refused without --replace, and the old one stays
        byte[] old = Files.readAllBytes(tmp.resolve("a/tasks.jsonl"));
        CliRun refused = CliRun.of("sweep", "expand", "--grid", file.toString(), "--out", tmp.resolve("a").toString());
        assertEquals(2, refused.exit());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());
        assertTrue(refused.err().contains("tasks.jsonl: holds a different task list (8 tasks); give --replace"),
                refused.err());
        assertEquals(new String(old), Files.readString(tmp.resolve("a/tasks.jsonl")));
        CliRun replaced = CliRun.of("sweep", "expand", "--grid", file.toString(), "--out", tmp.resolve("a").toString(),
                "--replace");
        assertEquals(0, replaced.exit(), replaced.err());
        assertTrue(replaced.out().startsWith("8 tasks replaced in"), replaced.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[1, \"x\"] | [0.1] | " + "{\"chunks\": 2, \"chunkSize\": 20, \"validationCount\": 40, \"testCount\": 40}"
                    + " | seeds[1]: \"x\" (expected an integer seed)",
            "[] | [0.1] | {\"chunks\": 2, \"chunkSize\": 20, \"validationCount\": 40, \"testCount\": 40}"
                    + " | seeds: [] (expected a list of integer seeds",
            "[1] | [-0.5] | {\"chunks\": 2, \"chunkSize\": 20, \"validationCount\": 40, \"testCount\": 40}"
                    + " | attacks[0].params: ",
            "[1] | [0.1] | {\"chunks\": 0, \"chunkSize\": 20, \"validationCount\": 40, \"testCount\": 40}"
                    + " | protocol.chunks: 0 (expected a whole number ≥ 1 or a list of them)",
            "[1] | [0.1] | {\"chunks\": 3, \"chunkSize\": 30, \"validationCount\": 40, \"testCount\": 40}"
                    + " | protocol: 3 chunks of 30 need 90 images, but D = D_leg ∪ D_atk holds 2 × testCount = 80",
            "[1] | [0.1] | {\"chunks\": 2, \"chunkSize\": 20, \"validationCount\": 40}"
                    + " | field 'testCount' is missing",
            "[1] | [0.1] | {\"chunks\": 2, \"chunkSize\": 20, \"validationCount\": 40, \"testCount\": 40, \"chunk\": 1}"
                    + " | unknown field 'protocol.chunk' (expected chunkSize, chunks, testCount, validationCount)",
    })
    void aBadFieldIsNamedInOneLineWithExit2AndNothingWritten(String seeds, String eps, String protocol,
                                                             String message, @TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("sweep.json");
        Files.writeString(file, grid(seeds, eps, protocol));
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("sweep", "expand", "--grid", file.toString(), "--out", out.toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: " + file + ": " + message.strip()), r.err());
        assertTrue(!Files.exists(out), "nothing is written for a bad sweep file");
    }

    @Test
    void otherBadFilesAreNamedToo(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("sweep.json");
        String[][] cases = {
                {grid("[1]", "[0.1]", PROTOCOL).replace("\"fgsm\"", "\"pgd\""),
                        "attacks[0].name: \"pgd\" (expected one of fgsm, bim, deepfool, cw)"},
                {grid("[1]", "[0.1]", PROTOCOL).replace("\"magnet\"]", "\"magnet\"], \"ensembleSizes\": [[3, 4]]"),
                        "ensembleSizes[0]: 4 (expected odd sizes ≥ 1"},
                {grid("[1]", "[0.1]", PROTOCOL).replace("\"magnet\"]", "\"magnet\"], \"ensembleSizes\": [[11]]"),
                        "ensembleSizes[0]: 11 (expected sizes no larger than the workspace's repository S (m = 10"},
                {grid("[1]", "[0.1]", PROTOCOL).replace(WS, tmp.resolve("nowhere").toString()),
                        "workspace: " + tmp.resolve("nowhere") + ": not a workspace"},
                {grid("[1]", "[0.1]", PROTOCOL).replace("\"defenses\"", "\"defences\""),
                        "unknown field 'defences' (expected attacks, calibrationGrid, defenses"},
                {"[1, 2]", "[1,2] (expected a JSON object with workspace"},
                {"{\"seeds\": ", "not valid JSON"},
        };
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            CliRun r = CliRun.of("sweep", "expand", "--grid", file.toString(), "--out", tmp.resolve("o").toString());
            assertEquals(2, r.exit(), c[1] + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("error: " + file + ": " + c[1]), c[1] + " / " + r.err());
        }
    }

    @Test
    void runWithoutAnIndexSaysWhereOneComesFrom(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("sweep.json");
        Files.writeString(file, grid("[1]", "[0.1]", PROTOCOL));
        assertEquals(0, CliRun.of("sweep", "expand", "--grid", file.toString(), "--out", tmp.toString()).exit());
        // the test's own process runs outside any array (surefire does not set these)
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("SLURM_ARRAY_TASK_ID") == null
                && System.getenv("JOB_COMPLETION_INDEX") == null, "runs inside a job array");
        CliRun r = CliRun.of("sweep", "run", "--tasks", tmp.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("error: no task index: give --index I, or run inside a Slurm job array "
                + "(SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX)"), r.err());
        CliRun outside = CliRun.of("sweep", "run", "--tasks", tmp.toString(), "--index", "2");
        assertEquals(2, outside.exit());
        assertTrue(outside.err().contains("--index 2: ") && outside.err().contains("holds 2 tasks (expected an index "
                + "from 0 to 1)"), outside.err());
    }
}
