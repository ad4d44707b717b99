package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Checksums;
import org.multimagnet.common.Json;
import org.multimagnet.data.Dataset;
import org.multimagnet.data.DatasetSources;
import org.multimagnet.data.IdxWriter;
import org.multimagnet.experiment.StudyData;
import org.multimagnet.workspace.AttackSet;
import org.multimagnet.workspace.AttackSetStore;

/**
 * {@code evaluate --exclude-unchanged} on a copy of the demo workspace whose D_atk has some images forced back to
 * their sources: those pairs leave D, two images each.
 */
class EvaluateExcludeUnchangedTest {
    private static final int FORCED = 5;

    @TempDir
    static Path tmp;
    private static Path ws;
    private static int pairs;
    private static int unchanged;

    @BeforeAll
    static void forceSomeAdversarialImagesBackToTheirSources() throws Exception {
        ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        Path folder = AttackSetStore.folder(ws, "fgsm", "test");
        AttackSet set = AttackSetStore.load(folder);
        Dataset source = DatasetSources.load(set.manifest().datasetSource());
        int d = source.shape().size();
        int[] idx = set.manifest().sourceIndices();
        pairs = idx.length;
        float[] images = set.images().clone();
        float[] sources = source.subset(idx).pixels();
        int before = pairs - StudyData.changedPairs(sources, images, d).length;
        int forced = 0;
        for (int i = 0; i < pairs && forced < FORCED; i++) {
            if (!Arrays.equals(images, i * d, (i + 1) * d, sources, i * d, (i + 1) * d)) {
                System.arraycopy(sources, i * d, images, i * d, d);
                forced++;
            }
        }
        unchanged = before + FORCED;
        Path imagesFile = folder.resolve(AttackSetStore.IMAGES);
        IdxWriter.writeFloatImages(imagesFile, images, pairs, source.shape());
        Path manifest = folder.resolve(AttackSetStore.MANIFEST);
        ObjectNode json = (ObjectNode) Json.mapper().readTree(manifest.toFile());
        ((ObjectNode) json.get("files")).put(AttackSetStore.IMAGES, Checksums.sha256(imagesFile));
        Files.writeString(manifest, Json.write(json));
        assertEquals(pairs - unchanged, StudyData.changedPairs(sources, AttackSetStore.load(folder).images(), d).length);
    }

    @Test
    void theUnchangedPairsLeaveDAndTheEvaluationSaysHowMany() throws Exception {
        CliRun r = CliRun.of("evaluate", "--replace", "--workspace", ws.toString(), "--attack", "fgsm", "--defense", "magnet",
                "--chunks", "10", "--chunk-size", "100", "--exclude-unchanged", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = Json.mapper().readTree(r.out());
        assertEquals(unchanged, j.get("excludedPairs").asInt());
        assertEquals(2 * (pairs - unchanged), j.get("imageCount").asInt(), "D shrinks by 2 per pair");
        JsonNode saved = Json.mapper().readTree(ws.resolve("evaluations").resolve("fgsm-magnet.json").toFile());
        assertEquals(unchanged, saved.get("excludedPairs").asInt());
    }

    @Test
    void tooFewImagesLeftExitsWithTwoAndOneLineBeforeAnyForwardPass() {
        int needed = 2 * pairs - 2 * unchanged + 1;
        CliRun r = CliRun.of("evaluate", "--replace", "--workspace", ws.toString(), "--attack", "fgsm", "--chunks", "1",
                "--chunk-size", String.valueOf(needed), "--exclude-unchanged");
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--exclude-unchanged left " + unchanged + " of " + pairs + " pairs out, so D holds "
                + (2 * (pairs - unchanged)) + " images; 1 chunks of " + needed + " need " + needed), r.err());
    }

    @Test
    void withoutTheOptionEveryPairStaysInD() {
        // one image more than every pair gives: refused, which shows |D| before any forward pass
        CliRun r = CliRun.of("evaluate", "--replace", "--workspace", ws.toString(), "--attack", "fgsm", "--chunks", "1",
                "--chunk-size", String.valueOf(2 * pairs + 1));
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("D holds " + 2 * pairs + " images (" + pairs + " pairs)"), r.err());
    }

    @Test
    void anUnknownDefenseIsOneLineAndExitTwo() {
        for (String command : new String[] {"evaluate", "deploy"}) {
            CliRun r = command.equals("evaluate")
                    ? CliRun.of("evaluate", "--workspace", ws.toString(), "--attack", "fgsm", "--defense", "magnett")
                    : CliRun.of("deploy", "--workspace", ws.toString(), "--defense", "magnett", "x.png");
            assertEquals(2, r.exit(), command + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("--defense magnett: expected magnet or multimagnet"), r.err());
        }
    }

    @Test
    void changedPairsComparesBitForBit() {
        float[] leg = {0f, 0.5f, 1f, 0.25f, 0.75f, 0f};
        float[] atk = {0f, 0.5f, 1f, 0.25f, Math.nextUp(0.75f), 0f};
        assertArrayEquals(new int[] {1}, StudyData.changedPairs(leg, atk, 3));
        assertArrayEquals(new int[0], StudyData.changedPairs(leg, leg.clone(), 3));
    }
}
