package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.Json;
import org.multimagnet.data.DataFiles;
import org.multimagnet.data.HostileFiles;

class DataCommandTest {
    @TempDir
    Path dir;

    private static void assertNoStackTrace(String text) {
        assertFalse(text.contains("\tat "), text);
        assertFalse(text.contains("Exception"), text);
    }

    @Test
    void infoJsonOnSampleMnistReportsTheTenThousandDigits() throws Exception {
        CliRun r = CliRun.of("data", "info", "sample:mnist", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = Json.mapper().readTree(r.out());
        assertEquals(10_000, j.get("images").asInt());
        assertEquals(28, j.get("height").asInt());
        assertEquals(28, j.get("width").asInt());
        assertEquals(1, j.get("channels").asInt());
        assertEquals(10, j.get("classes").asInt());
        assertEquals(10, j.get("classNames").size());
        assertEquals("idx", j.get("format").asText());
        assertEquals("sample:mnist", j.get("source").asText());
        assertEquals(7000, j.get("split").get("train").asInt());
        assertEquals(1000, j.get("split").get("validation").asInt());
        assertEquals(2000, j.get("split").get("test").asInt());
        int sum = 0;
        for (JsonNode c : j.get("perClass")) {
            sum += c.asInt();
        }
        assertEquals(10_000, sum);
        assertTrue(j.get("splitRule").asText().contains("70/10/20"));
    }

    @Test
    void infoTextOnSampleCifar10() {
        CliRun r = CliRun.of("data", "info", "sample:cifar10");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("2,000 images of 32×32 pixels, 3 channels, 10 classes"), r.out());
        assertTrue(r.out().contains("airplane"), r.out());
        assertTrue(r.out().contains("split: Tr 1,400, V_leg 200, Te 400"), r.out());
    }

    @Test
    void aTruncatedIdxImageFileInAFolderExitsWith2NamingIt() {
        byte[] images = DataFiles.idx(0x08, new int[] {100, 28, 28}, new byte[100 * 784]);
        DataFiles.write(dir.resolve("train-images-idx3-ubyte"), Arrays.copyOf(images, 30_000));
        DataFiles.write(dir.resolve("train-labels-idx1-ubyte"), DataFiles.idx(0x08, new int[] {100}, new byte[100]));
        CliRun r = CliRun.of("data", "info", dir.toString(), "--json");
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains("train-images-idx3-ubyte") && r.err().contains("truncated"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertNoStackTrace(r.err());
    }

    @Test
    void fortyHostileFilesEachExitWith2NamingTheFileAndAValidOneStillLoads() {
        List<HostileFiles.Case> cases = HostileFiles.generate(dir, 4040, 40, true);
        for (HostileFiles.Case c : cases) {
            long t0 = System.nanoTime();
            CliRun r = CliRun.of("data", "info", c.path().toString());
            assertEquals(2, r.exit(), c.kind() + ": " + r.err());
            assertTrue(r.err().contains(c.named().toString()), c.kind() + ": " + r.err());
            assertNoStackTrace(r.err());
            assertTrue(System.nanoTime() - t0 < 20_000_000_000L, c.kind());
        }
        assertEquals(0, CliRun.of("data", "info", "sample:mnist").exit());
    }

    @Test
    void unknownSourcesAndMissingSubcommandsAreBadInput() {
        CliRun r = CliRun.of("data", "info", "sample:nothing");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("sample:mnist"), r.err());
        assertEquals(2, CliRun.of("data").exit());
        assertEquals(2, CliRun.of("data", "info").exit());
    }

    @Test
    void sourcesListsTheBuiltInNames() throws Exception {
        CliRun r = CliRun.of("data", "sources", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = Json.mapper().readTree(r.out());
        assertEquals(4, j.size());
        assertEquals("sample:mnist", j.get(0).get("name").asText());
        assertEquals("cifar10", j.get(2).get("name").asText());
        assertTrue(j.get(0).get("available").asBoolean());
    }
}
