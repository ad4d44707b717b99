package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.Json;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.DatasetSources;
import org.multimagnet.workspace.AttackSet;
import org.multimagnet.workspace.AttackSetStore;

/** The {@code attack} command in process, on a workspace with a briefly trained classifier. */
class AttackCommandTest {
    @TempDir
    static Path dir;
    private static Path workspace;

    @BeforeAll
    static void trainATinyClassifier() {
        workspace = dir.resolve("ws");
        CliRun r = CliRun.of("train", "--workspace", workspace.toString(), "--dataset", "sample:mnist", "--what",
                "classifier",
                "--classifier-epochs", "1", "--limit", "300", "--batch-size", "100");
        assertEquals(0, r.exit(), r.err());
    }

    @Test
    void fgsmJsonReportsTheSummaryAndTheSavedImagesStayInTheEpsilonBall() throws Exception {
        CliRun r = CliRun.of("attack", "--workspace", workspace.toString(), "--attack", "fgsm", "--count", "12",
                "--seed", "5", "--batch-size", "5", "--param", "eps=0.1", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = Json.mapper().readTree(r.out());
        for (String field : new String[] {"attack", "count", "accuracyBefore", "accuracyAfter", "successRate",
                "meanL2", "maxLinf", "seconds"}) {
            assertTrue(j.has(field), field + " missing from " + r.out());
        }
        assertEquals("fgsm", j.get("attack").asText());
        assertEquals(12, j.get("count").asInt());
        assertEquals(0.1, j.get("params").get("epsilon").asDouble());
        assertTrue(j.get("maxLinf").asDouble() <= 0.1);

        AttackSet set = AttackSetStore.load(workspace.resolve("attacks").resolve("fgsm-test"));
        assertEquals(5, set.manifest().seed());
        assertEquals("test", set.manifest().split());
        assertEquals(64, set.manifest().modelChecksum().length());
        Dataset source = DatasetSources.load("sample:mnist");
        int d = source.shape().size();
        double maxLinf = 0;
        for (int i = 0; i < set.labels().length; i++) {
            int src = set.manifest().sourceIndices()[i];
            assertEquals(source.labels()[src], set.labels()[i]);
            for (int p = 0; p < d; p++) {
                maxLinf = Math.max(maxLinf, Math.abs((double) set.images()[i * d + p] - source.pixels()[src * d + p]));
            }
        }
        assertTrue(maxLinf <= 0.1, "L∞ read back from images.idx: " + maxLinf);
        assertEquals(j.get("maxLinf").asDouble(), maxLinf, 1e-12);
    }

    @Test
    void deepFoolOnTheValidationSplitWritesToOut() throws Exception {
        Path out = dir.resolve("v-atk");
        CliRun r = CliRun.of("attack", "--workspace", workspace.toString(), "--attack", "deepfool", "--split",
                "validation",
                "--count", "4", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("F's accuracy"), r.out());
        assertTrue(Files.isRegularFile(out.resolve("images.idx")));
        AttackSet set = AttackSetStore.load(out);
        assertEquals("validation", set.manifest().split());
        assertEquals(4, set.labels().length);
    }

    @Test
    void badInputExitsWithTwoAndOneLine() {
        CliRun unknown = CliRun.of("attack", "--workspace", workspace.toString(), "--attack", "pgd");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown attack 'pgd'"), unknown.err());
        CliRun badParam = CliRun.of("attack", "--workspace", workspace.toString(), "--attack", "bim", "--param",
                "alpha=x");
        assertEquals(2, badParam.exit());
        assertTrue(badParam.err().contains("bim: parameter 'alpha' = 'x' is not a finite number"), badParam.err());
        CliRun noWorkspace = CliRun.of("attack", "--workspace", dir.resolve("none").toString(), "--attack", "fgsm");
        assertEquals(2, noWorkspace.exit());
        assertFalse(noWorkspace.err().contains("\tat "), noWorkspace.err());
    }
    @Test
    void theLabelsAttackedAwayFromAreRecordedAndABadValueExitsWithTwoAndOneLine() throws Exception {
        // one seed for both sets: the same six source images (a seed not given is drawn anew by each run)
        Path byPrediction = dir.resolve("by-prediction");
        CliRun predicted = CliRun.of("attack", "--workspace", workspace.toString(), "--attack", "fgsm", "--count", "6",
                "--seed", "3", "--out", byPrediction.toString(), "--json");
        assertEquals(0, predicted.exit(), predicted.err());
        JsonNode j = Json.mapper().readTree(predicted.out());
        assertEquals("predicted", j.get("labels").asText());
        assertTrue(j.has("unchanged"), predicted.out());
        AttackSet a = AttackSetStore.load(byPrediction);
        assertEquals("predicted", a.manifest().labels());
        assertEquals(6, a.manifest().perImage().size());
        for (var r : a.manifest().perImage()) {
            assertEquals(r.adversarialPrediction() != r.originalPrediction(), r.success(), "success against F's prediction");
        }

        Path byTruth = dir.resolve("by-truth");
        CliRun truth = CliRun.of("attack", "--workspace", workspace.toString(), "--attack", "fgsm", "--count", "6",
                "--seed", "3", "--labels", "true", "--out", byTruth.toString());
        assertEquals(0, truth.exit(), truth.err());
        AttackSet t = AttackSetStore.load(byTruth);
        assertEquals("true", t.manifest().labels());
        assertArrayEquals(a.labels(), t.labels(), "the set keeps the true labels either way");
        for (var r : t.manifest().perImage()) {
            assertEquals(r.adversarialPrediction() != r.label(), r.success(), "success against the true label");
        }
        assertEquals(t.manifest().summary().unchanged(), t.manifest().unchanged());

        CliRun bad = CliRun.of("attack", "--workspace", workspace.toString(), "--attack", "fgsm", "--labels", "maybe");
        assertEquals(2, bad.exit());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("--labels 'maybe': expected predicted or true"), bad.err());
    }
}
