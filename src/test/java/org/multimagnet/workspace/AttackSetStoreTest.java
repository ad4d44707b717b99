package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.attack.AttackLabels;
import org.multimagnet.attack.AttackOutcome;
import org.multimagnet.attack.AttackSummary;
import org.multimagnet.attack.BimParams;
import org.multimagnet.attack.ImageResult;
import org.multimagnet.common.Json;
import org.multimagnet.common.UserException;
import org.multimagnet.data.ImageShape;

class AttackSetStoreTest {
    @TempDir
    Path dir;

    private static AttackOutcome outcome(ImageShape shape, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] pixels = new float[n * shape.size()];
        for (int j = 0; j < pixels.length; j++) {
            pixels[j] = (float) rnd.nextDouble();
        }
        pixels[0] = 0f;
        pixels[1] = 1f;
        pixels[2] = Math.nextDown(1f);
        int[] labels = new int[n];
        List<ImageResult> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(10);
            results.add(new ImageResult(i, labels[i], labels[i], (labels[i] + 1) % 10, false, true, 0.5, 0.15, 50, false));
        }
        return new AttackOutcome("bim", "org.multimagnet.attack.Bim", BimParams.paperMnist(), AttackLabels.PREDICTED, shape, pixels, labels,
                results, AttackSummary.of(results, 2.0));
    }

    private static AttackSetStore.Provenance provenance(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = 1000 + 3 * i;
        }
        return new AttackSetStore.Provenance("test", 42, idx, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                "sample:mnist", "ab".repeat(32));
    }

    @Test
    void aSavedSetLoadsBackBitForBitWithItsManifest() {
        AttackOutcome out = outcome(ImageShape.MNIST, 7, 1);
        Path folder = AttackSetStore.folder(dir, "bim", "test");
        assertEquals(dir.resolve("attacks").resolve("bim-test"), folder);
        AttackSetStore.save(folder, out, provenance(7));

        AttackSet set = AttackSetStore.load(folder);
        assertArrayEquals(out.adversarial(), set.images());
        assertArrayEquals(out.labels(), set.labels());
        AttackSetManifest m = set.manifest();
        assertEquals("attack-set", m.kind());
        assertEquals("bim", m.attack());
        assertEquals(0.15, ((Number) m.params().get("epsilon")).doubleValue());
        assertEquals(50, ((Number) m.params().get("iterations")).intValue());
        assertEquals("test", m.split());
        assertEquals(42, m.seed());
        assertEquals(ImageShape.MNIST, m.shape());
        assertEquals("ab".repeat(32), m.modelChecksum());
        assertArrayEquals(provenance(7).sourceIndices(), m.sourceIndices());
        assertEquals(out.summary(), m.summary());
        assertEquals(out.results(), m.perImage());
        assertEquals("org.multimagnet.attack.Bim", m.producer());
        assertEquals(7, set.toDataset().size());
    }

    @Test
    void theManifestRecordsTheLabelsAttackedAndTheUnchangedImagesAtTheTopInTheSummaryAndPerImage() throws IOException {
        AttackOutcome base = outcome(ImageShape.MNIST, 7, 6);
        List<ImageResult> results = new ArrayList<>();
        for (ImageResult r : base.results()) {
            boolean same = r.index() % 3 == 0;
            results.add(new ImageResult(r.index(), r.label(), r.originalPrediction(), r.adversarialPrediction(),
                    false, !same, same ? 0 : 0.5, same ? 0 : 0.15, 50, same));
        }
        AttackOutcome out = new AttackOutcome(base.attack(), base.producer(), base.params(), AttackLabels.TRUE,
                base.shape(), base.adversarial(), base.labels(), results, AttackSummary.of(results, 2.0));
        Path folder = AttackSetStore.folder(dir, "bim", "test");
        AttackSetStore.save(folder, out, provenance(7));

        AttackSetManifest m = AttackSetStore.load(folder).manifest();
        assertEquals(3, m.unchanged(), "images 0, 3 and 6");
        assertEquals(3, m.summary().unchanged());
        assertEquals("true", m.labels());
        assertEquals(Boolean.TRUE, m.perImage().get(3).unchanged());
        assertEquals(Boolean.FALSE, m.perImage().get(4).unchanged());
        JsonNode json = Json.mapper().readTree(folder.resolve(AttackSetStore.MANIFEST).toFile());
        assertEquals(3, json.get("unchanged").asInt(), "scripts read the top-level field");
        assertEquals(3, json.get("summary").get("unchanged").asInt());
        assertEquals("true", json.get("labels").asText());
        assertTrue(json.get("perImage").get(0).get("unchanged").asBoolean());
    }

    @Test
    void aManifestWithoutTheUnchangedCountsOrTheLabelsStillLoads() throws IOException {
        Path folder = AttackSetStore.folder(dir, "bim", "test");
        AttackSetStore.save(folder, outcome(ImageShape.MNIST, 4, 7), provenance(4));
        Path file = folder.resolve(AttackSetStore.MANIFEST);
        ObjectNode json = (ObjectNode) Json.mapper().readTree(file.toFile());
        json.remove("unchanged");
        json.remove("labels");
        ((ObjectNode) json.get("summary")).remove("unchanged");
        json.get("perImage").forEach(r -> ((ObjectNode) r).remove("unchanged"));
        Files.writeString(file, Json.write(json));

        AttackSetManifest m = AttackSetStore.load(folder).manifest();
        assertNull(m.unchanged(), "unknown, not 0");
        assertNull(m.labels());
        assertNull(m.summary().unchanged());
        assertNull(m.perImage().get(0).unchanged());
        assertEquals(4, m.summary().count());
        assertNull(AttackSummary.of(m.perImage(), 1.0).unchanged(), "a summary of results that lack it");
    }

    @Test
    void theImagesFileIsFloat32IdxWithThreeDimsForGreyAndFourForColour() throws IOException {
        AttackSetStore.save(dir.resolve("grey"), outcome(ImageShape.MNIST, 3, 2), provenance(3));
        ByteBuffer grey = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("grey").resolve("images.idx")));
        assertEquals(0x00000D03, grey.getInt());
        assertEquals(3, grey.getInt());
        assertEquals(28, grey.getInt());
        assertEquals(28, grey.getInt());
        assertEquals(0f, grey.getFloat());
        assertEquals(1f, grey.getFloat());
        assertEquals(16 + 3 * 784 * 4, grey.capacity());

        AttackOutcome colour = outcome(ImageShape.CIFAR10, 2, 3);
        AttackSetStore.save(dir.resolve("colour"), colour, provenance(2));
        ByteBuffer c = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("colour").resolve("images.idx")));
        assertEquals(0x00000D04, c.getInt());
        assertEquals(2, c.getInt());
        assertEquals(3, c.getInt());
        assertEquals(32, c.getInt());
        assertEquals(32, c.getInt());
        ByteBuffer labels = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("colour").resolve("labels.idx")));
        assertEquals(0x00000801, labels.getInt());
        assertEquals(2, labels.getInt());
        assertEquals(colour.labels()[0], labels.get() & 0xFF);
        assertArrayEquals(colour.adversarial(), AttackSetStore.load(dir.resolve("colour")).images());
    }

    @Test
    void savingAgainReplacesTheSetAndLeavesNoTemporaryFolders() throws IOException {
        Path folder = AttackSetStore.folder(dir, "bim", "test");
        AttackSetStore.save(folder, outcome(ImageShape.MNIST, 3, 4), provenance(3));
        AttackOutcome second = outcome(ImageShape.MNIST, 5, 5);
        AttackSetStore.save(folder, second, provenance(5));
        assertArrayEquals(second.adversarial(), AttackSetStore.load(folder).images());
        try (var s = Files.list(folder.getParent())) {
            assertEquals(List.of("bim-test"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void anAlteredImagesFileIsRejectedNamingIt() throws IOException {
        Path folder = dir.resolve("set");
        AttackSetStore.save(folder, outcome(ImageShape.MNIST, 3, 6), provenance(3));
        byte[] bytes = Files.readAllBytes(folder.resolve("images.idx"));
        bytes[100] ^= 1;
        Files.write(folder.resolve("images.idx"), bytes);
        UserException e = assertThrows(UserException.class, () -> AttackSetStore.load(folder));
        assertTrue(e.getMessage().contains("images.idx") && e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void aMissingSetSaysSo() {
        UserException e = assertThrows(UserException.class, () -> AttackSetStore.load(dir.resolve("none")));
        assertTrue(e.getMessage().contains("manifest.json") && e.getMessage().contains("run 'attack' first"),
                e.getMessage());
    }
}
