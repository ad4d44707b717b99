package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.Json;

class TrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainThenListGivesTheModelsAsJson() throws Exception {
        String w = dir.resolve("ws").toString();
        CliRun t = CliRun.of("train", "--workspace", w, "--dataset", "sample:mnist", "--what", "autoencoders",
                "--members", "2,9", "--epochs", "1", "--limit", "64", "--seed", "5");
        assertEquals(0, t.exit(), t.err());
        assertTrue(t.err().contains("ae-09") && t.err().contains("epoch 1/1"), t.err());
        assertTrue(Files.exists(dir.resolve("ws/models/ae-02.zip")) && Files.exists(dir.resolve("ws/models/ae-09.json")));
        CliRun l = CliRun.of("models", "list", "--workspace", w, "--json");
        assertEquals(0, l.exit(), l.err());
        JsonNode arr = Json.mapper().readTree(l.out());
        assertEquals(2, arr.size());
        assertEquals("autoencoder", arr.get(0).get("role").asText());
        assertEquals(2, arr.get(0).get("id").asInt());
        assertEquals(142, arr.get(0).get("parameters").asLong());
        assertEquals(153, arr.get(1).get("parameters").asLong());
        assertEquals(1, arr.get(1).get("epochs").asInt());
        assertTrue(arr.get(1).get("reconstructionTest").get("meanAbsolute").asDouble() > 0);
    }

    @Test
    void badOptionsExitWithTwo() {
        assertEquals(2, CliRun.of("models", "list", "--workspace", dir.resolve("nothing").toString()).exit());
        assertEquals(2, CliRun.of("train", "--workspace", dir.toString(), "--what", "everything").exit());
    }
}
