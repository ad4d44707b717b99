package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.TestWorkspaces;
import org.multimagnet.common.Checksums;
import org.multimagnet.common.Json;

/**
 * The command line never replaces a stored artifact without {@code --replace}, refuses before any work, keeps what it
 * replaces, and {@code workspace history} / {@code workspace restore} bring it back byte for byte.
 */
class ReplaceConsentTest {
    @TempDir
    Path tmp;


    private static void assertRefusedInOneLine(CliRun r, String start) {
        assertEquals(2, r.exit(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].startsWith("error: " + start), r.err());
    }

    @Test
    void attackOverAStoredSetNeedsReplaceAndTheOldSetComesBack() throws IOException {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        String w = ws.toString();
        Map<String, String> before = TestWorkspaces.snapshot(ws);
        Map<String, String> fgsmTest = TestWorkspaces.snapshot(ws.resolve("attacks/fgsm-test"));

        CliRun refused = CliRun.of("attack", "--workspace", w, "--attack", "fgsm", "--count", "20");
        assertRefusedInOneLine(refused, "attacks/fgsm-test holds D_atk of fgsm (2,000 images, made ");
        assertTrue(refused.err().contains("--replace"), refused.err());
        assertEquals(before, TestWorkspaces.snapshot(ws), "a refused attack changes nothing");

        CliRun replaced = CliRun.of("attack", "--workspace", w, "--attack", "fgsm", "--count", "20", "--replace");
        assertEquals(0, replaced.exit(), replaced.err());
        JsonNode manifest = Json.readFile(ws.resolve("attacks/fgsm-test/manifest.json"), JsonNode.class);
        assertEquals(20, manifest.get("count").asInt());

        CliRun history = CliRun.of("workspace", "history", "--workspace", w, "--json");
        assertEquals(0, history.exit(), history.err());
        JsonNode entry = null;
        for (JsonNode e : Json.mapper().readTree(history.out())) {
            if (e.get("artifact").asText().equals("attacks/fgsm-test")) {
                entry = e;
            }
        }
        assertTrue(entry != null, history.out());
        assertTrue(entry.get("current").asText().startsWith("D_atk of fgsm (20 images"), entry.toString());
        assertEquals(1, entry.get("versions").size());
        assertTrue(entry.get("versions").get(0).get("description").asText().startsWith("D_atk of fgsm (2,000 images"));

        CliRun restore = CliRun.of("workspace", "restore", "--workspace", w, "attacks/fgsm-test", "1");
        assertEquals(0, restore.exit(), restore.err());
        assertTrue(restore.out().contains("kept as version 2"), restore.out());
        assertEquals(fgsmTest, TestWorkspaces.snapshot(ws.resolve("attacks/fgsm-test")), "restored byte for byte");
        Map<String, String> after = TestWorkspaces.snapshot(ws);
        after.keySet().removeIf(k -> k.startsWith("history/"));
        assertEquals(before, after, "everything outside the history is as it was");
    }

    @Test
    void scratchAndOutNeverReplaceAnything() throws IOException {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        String w = ws.toString();
        Map<String, String> before = TestWorkspaces.snapshot(ws);

        CliRun scratch = CliRun.of("attack", "--workspace", w, "--attack", "fgsm", "--count", "5", "--scratch");
        assertEquals(0, scratch.exit(), scratch.err());
        Map<String, String> after = TestWorkspaces.snapshot(ws);
        after.keySet().removeIf(k -> k.startsWith("scratch/"));
        assertEquals(before, after, "a scratch set replaces nothing");
        try (Stream<Path> s = Files.list(ws.resolve("scratch"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("fgsm-test-")));
        }

        Path notes = tmp.resolve("notes");
        Files.createDirectories(notes);
        Files.writeString(notes.resolve("todo.txt"), "keep me");
        for (Path out : new Path[] {notes, ws, ws.resolve("models")}) {
            Map<String, String> held = TestWorkspaces.snapshot(ws);
            CliRun r = CliRun.of("attack", "--workspace", w, "--attack", "fgsm", "--count", "5", "--out",
                    out.toString(), "--replace");
            assertRefusedInOneLine(r, out.toAbsolutePath().normalize() + ": is not empty");
            assertEquals(held, TestWorkspaces.snapshot(ws));
        }
        assertEquals("keep me", Files.readString(notes.resolve("todo.txt")));
        assertRefusedInOneLine(CliRun.of("attack", "--workspace", w, "--attack", "fgsm", "--scratch", "--out",
                notes.toString()), "--scratch and --out");
    }

    @Test
    void trainCalibrateEvaluateAndReproduceRefuseBeforeAnyWork() throws IOException {
        Path ws = TestWorkspaces.copy(TestWorkspaces.DEMO, tmp);
        String w = ws.toString();
        Map<String, String> before = TestWorkspaces.snapshot(ws);
        long t0 = System.nanoTime();
        CliRun train = CliRun.of("train", "--workspace", w, "--what", "autoencoders", "--epochs", "1");
        assertRefusedInOneLine(train, "models/ae-01 holds ");
        assertTrue(train.err().contains("and 9 more trained models would be replaced: ae-02,"), train.err());
        assertRefusedInOneLine(CliRun.of("train", "--workspace", w, "--what", "classifier"),
                "models/classifier holds ");
        assertRefusedInOneLine(CliRun.of("calibrate", "--workspace", w, "--attack", "fgsm"),
                "calibration/fgsm holds the calibration against fgsm");
        assertRefusedInOneLine(CliRun.of("evaluate", "--workspace", w, "--attack", "cw", "--defense", "magnet"),
                "evaluations/cw-magnet holds the evaluation cw-magnet");
        assertRefusedInOneLine(CliRun.of("reproduce", "--workspace", w, "--quick"), "report holds the report");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 30, "refused in " + seconds + " s, before any training or forward pass");
        assertEquals(before, TestWorkspaces.snapshot(ws));
        assertFalse(Files.exists(ws.resolve("history")), "nothing was kept because nothing was replaced");
    }
}
